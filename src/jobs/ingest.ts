import type { Queue } from 'bullmq';
import type { Config } from '../base/config.js';
import type { Logger } from '../base/logger.js';
import { ingestStatement } from '../base/metrics.js';
import { enqueueStored, type AnalyzeJobPayload } from './analyze.queue.js';
import type { NewDocument } from '../domain/document.js';
import { DocumentRefusedError, type DocumentsRepository, type StoredRef } from '../storage/documents.repository.js';

interface Pending {
  orgId: string;
  doc: NewDocument;
  resolve: (result: StoredRef) => void;
  reject: (err: unknown) => void;
}

/**
 * Stores submitted documents and queues their jobs, gathering submissions into one INSERT per organisation and
 * one Redis round trip (group commit): alone, a submission is written at once; while `maxInFlight` writes are
 * under way, the submissions arriving meanwhile wait and go together in the next one (at most `maxBatch`
 * each). So when the database is busy a moment (a worker's save, a large query), the backlog behind it is
 * written in a few statements rather than one by one. Each submission resolves only after its row is
 * committed. A submission whose values the database refuses fails alone, with a 400 (see `createEach`); any
 * other failure of a statement (database unavailable, timed out) fails every submission in it, and none of them
 * is stored. Jobs are queued once the rows are committed, without holding up the answers, and gathered over
 * `enqueueDelayMs` into one `addBulk`: BullMQ's cost is mostly per call, which a steady stream of single
 * submissions would otherwise pay in full.
 */
export class IngestBatcher {
  private pending: Pending[] = [];
  private scheduled = false;
  private inFlight = 0;
  /** stored documents whose jobs wait for the next `addBulk` */
  private toQueue: StoredRef[] = [];
  private queueTimer: NodeJS.Timeout | undefined;
  /** the `addBulk` under way: one at a time, the next takes all that gathered meanwhile */
  private sending: Promise<void> | undefined;

  constructor(
    private readonly documents: DocumentsRepository,
    private readonly queue: Queue<AnalyzeJobPayload>,
    private readonly config: Pick<Config, 'JOB_ATTEMPTS' | 'JOB_BACKOFF_MS'>,
    private readonly log: Logger,
    private readonly maxBatch = 200,
    private readonly maxInFlight = 1,
    private readonly enqueueDelayMs = 20,
  ) {}

  submit(orgId: string, doc: NewDocument): Promise<StoredRef> {
    return new Promise((resolve, reject) => {
      this.pending.push({ orgId, doc, resolve, reject });
      this.schedule();
    });
  }

  /** Writes the waiting submissions in the next turn of the event loop (or at once, a full batch), if a write may start. */
  private schedule(): void {
    if (this.pending.length === 0 || this.inFlight >= this.maxInFlight) return;
    if (this.pending.length >= this.maxBatch) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0 || this.inFlight >= this.maxInFlight) return;
    const batch = this.pending.splice(0, this.maxBatch);
    const byOrg = new Map<string, Pending[]>();
    for (const p of batch) {
      const items = byOrg.get(p.orgId);
      if (items) items.push(p);
      else byOrg.set(p.orgId, [p]);
    }
    this.inFlight++;
    void Promise.all([...byOrg].map(([orgId, items]) => this.store(orgId, items))).finally(() => {
      this.inFlight--;
      this.schedule();
    });
  }

  private async store(orgId: string, items: Pending[]): Promise<void> {
    let each: (StoredRef | DocumentRefusedError)[];
    ingestStatement.observe(items.length);
    try {
      each = await this.documents.createEach(
        orgId,
        items.map((p) => p.doc),
      );
    } catch (err) {
      for (const p of items) p.reject(err);
      return;
    }
    // committed: the submissions are accepted now. Their jobs are queued after the answer, not before it: a
    // stored document whose job never reaches Redis is queued by the requeue sweep, as when Redis is down.
    const stored: StoredRef[] = [];
    items.forEach((p, i) => {
      const outcome = each[i]!;
      if (outcome instanceof DocumentRefusedError) return p.reject(outcome);
      stored.push(outcome);
      p.resolve(outcome);
    });
    this.toQueue.push(...stored);
    if (this.toQueue.length >= this.maxBatch) this.sendJobs();
    else this.queueTimer ??= setTimeout(() => this.sendJobs(), this.enqueueDelayMs);
  }

  /** Queues the jobs gathered so far in one round trip, unless one is under way (its end sends them). */
  private sendJobs(): void {
    clearTimeout(this.queueTimer);
    this.queueTimer = undefined;
    if (this.sending || this.toQueue.length === 0) return;
    const jobs = this.toQueue;
    this.toQueue = [];
    this.sending = enqueueStored(this.queue, jobs, this.config, (err, documents) =>
      this.log.warn({ err, documents }, 'enqueue failed; the requeue sweep will retry'),
    ).finally(() => {
      this.sending = undefined;
      // what gathered meanwhile goes next, at once (while Redis hangs, the backlog goes in one call per timeout)
      this.sendJobs();
    });
  }

  /** Queues the jobs of the documents already stored, and waits for them (on close, before the queue's connection goes). */
  async drain(): Promise<void> {
    this.sendJobs();
    while (this.sending) await this.sending;
  }
}
