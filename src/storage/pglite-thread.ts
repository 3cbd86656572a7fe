/**
 * The embedded PGlite engine in a thread of its own (node:worker_threads), driven by messages from
 * database.ts. PGlite runs each statement to its end in the thread that calls it; here, that is not the thread
 * reading and answering the HTTP requests, so a worker's save or a large demand query no longer holds every
 * request that arrives meanwhile, only those whose own statements queue behind it.
 *
 * Messages in: query (with `tx`, inside that open transaction), exec, batch (statements run in one transaction
 * here, answered with each one's rows), begin (answered once BEGIN ran, with the transaction's number), commit,
 * rollback, close. Each is answered by its `id`: `{ id, ok, result, ms }` or
 * `{ id, ok: false, error, ms }`, the error's own fields (PostgreSQL's `code`, `detail`...) copied; `ms` is the
 * time from the message being taken up here to its answer (its statements' run, and any wait in the engine for
 * those before them), for the metrics. Message 0 says the engine is open.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';

export type Request =
  | { id: number; op: 'query'; sql: string; params?: unknown[] | undefined; tx?: number | undefined }
  | { id: number; op: 'exec'; sql: string }
  | { id: number; op: 'batch'; statements: { sql: string; params?: unknown[] | undefined }[] }
  | { id: number; op: 'begin' }
  | { id: number; op: 'commit' | 'rollback'; tx: number }
  | { id: number; op: 'close' };

export type Reply =
  | { id: number; ok: true; result: unknown; ms?: number }
  | { id: number; ok: false; error: SerialisedError; ms?: number };

export interface SerialisedError {
  name: string;
  message: string;
  fields: Record<string, unknown>;
}

export interface ThreadData {
  dataDir: string | undefined;
}

const port = parentPort;
if (!port) throw new Error('pglite-thread.ts runs as a worker thread of database.ts');

const send = (reply: Reply) => port.postMessage(reply);
const since = (arrived: number) => performance.now() - arrived;
const fail = (id: number, err: unknown, arrived: number) =>
  send({ id, ok: false, error: serialise(err), ms: since(arrived) });
/** Answers message `id`, taken up at `arrived`, with what `work` comes to. */
const answer = (id: number, arrived: number, work: Promise<unknown>) =>
  work.then(
    (result) => send({ id, ok: true, result, ms: since(arrived) }),
    (err: unknown) => fail(id, err, arrived),
  );

function serialise(err: unknown): SerialisedError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err)) {
    // plain values only: a PGlite error also carries the query and its parameters, which need not travel back
    if (key === 'query' || key === 'params') continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return { name: err.name, message: err.message, fields };
}

const { dataDir } = workerData as ThreadData;
const db = await PGlite.create(dataDir);
// Each new 16 MB WAL segment is otherwise written full of zeros first, stalling every statement queued behind it.
await db.exec('SET wal_init_zero = off');
send({ id: 0, ok: true, result: undefined });

/** A message, and when it was taken up. */
type Received = Request & { arrived: number };

/** The messages for each open transaction, handed to the callback PGlite runs it in. */
const open = new Map<number, (request: Received) => void>();
let nextTx = 1;
const ROLLBACK = Symbol('rollback');

function begin(beginId: number, arrived: number): void {
  const txId = nextTx++;
  const inbox: Received[] = [];
  let wake: (() => void) | undefined;
  open.set(txId, (request) => {
    inbox.push(request);
    wake?.();
  });
  let end: Received | undefined;
  db.transaction(async (tx: Transaction) => {
    send({ id: beginId, ok: true, result: txId, ms: since(arrived) });
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const request = inbox.shift()!;
      if (request.op === 'query') {
        await answer(
          request.id,
          request.arrived,
          tx.query(request.sql, request.params).then((r) => r.rows),
        );
        continue;
      }
      end = request;
      if (request.op === 'commit') return;
      throw ROLLBACK;
    }
  })
    // a rollback asked for is an answer, not an error
    .catch((err: unknown) => {
      if (err !== ROLLBACK) throw err;
    })
    .then(
      () => send({ id: end!.id, ok: true, result: undefined, ms: since(end!.arrived) }),
      (err: unknown) => fail(end?.id ?? beginId, err, end?.arrived ?? arrived),
    )
    .finally(() => open.delete(txId));
}

port.on('message', (message: Request) => {
  const request: Received = { ...message, arrived: performance.now() };
  switch (request.op) {
    case 'query':
      if (request.tx !== undefined) return deliver(request.tx, request);
      void answer(
        request.id,
        request.arrived,
        db.query(request.sql, request.params).then((r) => r.rows),
      );
      return;
    case 'exec':
      void answer(
        request.id,
        request.arrived,
        db.exec(request.sql).then(() => undefined),
      );
      return;
    case 'batch': {
      const { statements } = request;
      void answer(
        request.id,
        request.arrived,
        db.transaction(async (tx) => {
          const rows: unknown[][] = [];
          for (const s of statements) rows.push((await tx.query(s.sql, s.params)).rows);
          return rows;
        }),
      );
      return;
    }
    case 'begin':
      return begin(request.id, request.arrived);
    case 'commit':
    case 'rollback':
      return deliver(request.tx, request);
    case 'close':
      void answer(request.id, request.arrived, db.close());
      return;
  }
});

function deliver(txId: number, request: Received): void {
  const to = open.get(txId);
  if (to) to(request);
  else fail(request.id, new Error(`transaction ${txId} is not open`), request.arrived);
}
