import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import { DOCUMENT_KINDS, VISIBILITIES, type DocumentKind, type Visibility } from '../../../domain/document.js';
import { enqueueStored } from '../../../jobs/analyze.queue.js';
import { BATCH_STATES, BatchesRepository, type BatchRow } from '../../../storage/batches.repository.js';
import { DocumentRefusedError, type StoredRef } from '../../../storage/documents.repository.js';
import { gunzipIfNeeded, readRecords, type InputFormat } from '../../batch/input.js';
import { csvHeader, csvRow, toResult } from '../../batch/output.js';
import { RowError, toAd, type BatchAd } from '../../batch/records.js';
import { ANY_ROLE, CONTRIBUTORS, principalOf } from '../auth.js';
import type { AppDeps } from '../deps.js';
import { ErrorResponse, IdParams } from '../schemas.js';

/** The media types an upload may be sent as (gzip-compressed or not), and the format each is read as. */
export const UPLOAD_TYPES: Record<string, InputFormat> = {
  'application/x-ndjson': 'jsonl',
  'application/jsonl': 'jsonl',
  'application/json-lines': 'jsonl',
  'text/csv': 'csv',
};

const UploadQuery = Type.Object(
  {
    textField: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'field with the ad text; default the first of text, description, body, content, kuvaus',
      }),
    ),
    idField: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'field with the ad id; default the first of id, externalId, ad_id, jobId',
      }),
    ),
    kind: Type.Enum([...DOCUMENT_KINDS], { default: 'job_ad' }),
    visibility: Type.Optional(
      Type.Enum([...VISIBILITIES], {
        description: 'of every document of the upload; default private for meeting notes, shared otherwise',
      }),
    ),
  },
  { additionalProperties: false },
);

/** A body streamed as it is read (NDJSON or CSV lines). */
const Streamed = (description: string) => Type.Unsafe<Readable>({ type: 'string', description });

const ResultsQuery = Type.Object(
  { format: Type.Enum(['jsonl', 'csv'], { default: 'jsonl' }) },
  { additionalProperties: false },
);

const Counts = Type.Object({
  queued: Type.Integer(),
  processing: Type.Integer(),
  done: Type.Integer(),
  failed: Type.Integer(),
});
const BatchError = Type.Object({
  row: Type.Integer(),
  line: Type.Union([Type.Integer(), Type.Null()]),
  id: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
});
const BatchStatusSchema = Type.Object({
  id: Type.String(),
  status: Type.Enum([...BATCH_STATES], {
    description:
      'receiving: the upload is arriving; received: stored, rows being analysed; done: every row analysed or failed; interrupted: the upload broke off',
  }),
  format: Type.String(),
  kind: Type.String(),
  rows: Type.Integer(),
  accepted: Type.Integer(),
  rejected: Type.Integer(),
  documents: Counts,
  createdAt: Type.String(),
  receivedAt: Type.Union([Type.String(), Type.Null()]),
  etaSeconds: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  errors: Type.Array(BatchError, { description: 'the first failed rows; all of them at /errors' }),
});

const FLUSH_ROWS = 500;

const notFound = (reply: FastifyReply, id: string) =>
  reply.code(404).send({ statusCode: 404, error: 'Not Found', message: `no batch ${id}`, field: 'id' });

export const batchRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { config, documents, queue, log } = deps;
    const batches = new BatchesRepository(deps.db, documents);
    // the upload is read as it arrives, never buffered whole
    app.addContentTypeParser(Object.keys(UPLOAD_TYPES), (_request, payload, done) => done(null, payload));

    /** Stores a chunk of rows: documents in one statement, their rows, and jobs for the new ones. */
    async function flush(
      batchId: string,
      owner: { orgId: string; kind: DocumentKind; visibility: Visibility | undefined },
      ads: (BatchAd & { line: number })[],
      rejected: BatchRow[],
    ): Promise<void> {
      // a row whose values the database refuses is a row error; the others are stored
      const each = await documents.createEach(
        owner.orgId,
        ads.map(({ id, ownId, row: _row, employerSector: _sector, ...ad }) => ({
          ...ad,
          kind: owner.kind,
          visibility: owner.visibility,
          ...(ownId && { externalId: id }),
        })),
      );
      const stored = each.filter((s): s is StoredRef => !(s instanceof DocumentRefusedError));
      await batches.addRows(batchId, [
        ...ads.map((ad, i) => {
          const s = each[i]!;
          return {
            row: ad.row,
            line: ad.line,
            adId: ad.id,
            ...(s instanceof DocumentRefusedError ? { error: s.message } : { documentId: s.id }),
          };
        }),
        ...rejected,
      ]);
      await enqueueStored(queue, stored, config, (err, documents) =>
        log.warn({ err, batchId, documents }, 'enqueue failed; the requeue sweep will retry'),
      );
    }

    app.post<{ Body: Readable; Querystring: Static<typeof UploadQuery> }>(
      '/v1/batches',
      {
        schema: {
          tags: ['batches'],
          summary: 'Upload a dump of ads (NDJSON or CSV, gzip allowed) for classification',
          description:
            'Send the file as the body with Content-Type application/x-ndjson or text/csv (gzip is recognised). Rows are stored and queued as they ' +
            'arrive; 202 comes when the whole upload is stored. A row that cannot be an ad is listed with its reason. The same ad uploaded again ' +
            '(same id, or same text without an id) is the same document, analysed once.',
          querystring: UploadQuery,
          response: { 202: BatchStatusSchema, 400: ErrorResponse, 415: ErrorResponse },
        },
        config: { roles: CONTRIBUTORS },
      },
      async (request, reply) => {
        const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const format = UPLOAD_TYPES[type];
        if (!format) {
          return reply.code(415).send({
            statusCode: 415,
            error: 'Unsupported Media Type',
            message: `send ${Object.keys(UPLOAD_TYPES).join(' or ')}`,
            field: 'content-type',
          });
        }
        const q = request.query;
        const orgId = principalOf(request).orgId;
        const owner = { orgId, kind: q.kind, visibility: q.visibility };
        const batchId = await batches.create(orgId, {
          format,
          kind: q.kind,
          textField: q.textField,
          idField: q.idField,
        });
        let ads: (BatchAd & { line: number })[] = [];
        let rejected: BatchRow[] = [];
        const seen = new Set<string>();
        try {
          for await (const item of readRecords(gunzipIfNeeded(request.body), format)) {
            let adId: string | undefined;
            try {
              if (item.error !== undefined) throw new RowError(item.error);
              const ad = toAd(item.record, item.row, {
                textField: q.textField,
                idField: q.idField,
                maxChars: config.MAX_TEXT_CHARS,
              });
              adId = ad.id;
              if (seen.has(ad.id)) throw new RowError(`duplicate id ${JSON.stringify(ad.id)} (an earlier row has it)`);
              seen.add(ad.id);
              ads.push({ ...ad, line: item.line });
            } catch (err) {
              if (!(err instanceof RowError)) throw err;
              rejected.push({ row: item.row, line: item.line, adId, error: err.message });
            }
            if (ads.length + rejected.length >= FLUSH_ROWS) {
              await flush(batchId, owner, ads, rejected);
              ads = [];
              rejected = [];
            }
          }
          await flush(batchId, owner, ads, rejected);
          await batches.finish(batchId, 'received');
        } catch (err) {
          // what was stored stays, and is analysed; the batch says the upload broke off
          await flush(batchId, owner, ads, rejected).catch(() => undefined);
          await batches.finish(batchId, 'interrupted', `the upload broke off: ${(err as Error).message}`);
          log.warn({ err, batchId }, 'batch upload interrupted');
          return reply.code(400).send({
            statusCode: 400,
            error: 'Bad Request',
            message: `the upload could not be read to the end (${(err as Error).message}); batch ${batchId} keeps the rows before it`,
          });
        }
        return reply
          .code(202)
          .send({ ...(await batches.status(batchId))!, errors: await batches.errors(batchId, 0, 20) });
      },
    );

    app.get(
      '/v1/batches/:id',
      {
        schema: {
          tags: ['batches'],
          summary: 'Progress of a batch: rows, documents by state, ETA, the first failed rows',
          params: IdParams,
          response: { 200: BatchStatusSchema, 400: ErrorResponse, 404: ErrorResponse },
        },
        config: { roles: ANY_ROLE },
      },
      async (request, reply) => {
        const { id } = request.params;
        if (!(await batches.ownedBy(id, principalOf(request).orgId))) return notFound(reply, id);
        const status = await batches.status(id);
        if (!status) return notFound(reply, id);
        return { ...status, errors: await batches.errors(id, 0, 20) };
      },
    );

    /** Pages through a batch in row order as one streamed body. */
    const pages = <T extends { row: number }>(
      fetch: (after: number) => Promise<T[]>,
      line: (x: T) => string,
      head = '',
    ) =>
      Readable.from(
        (async function* () {
          if (head) yield head;
          let after = 0;
          for (;;) {
            const page = await fetch(after);
            if (page.length === 0) return;
            yield page.map(line).join('');
            after = page[page.length - 1]!.row;
          }
        })(),
      );

    app.get(
      '/v1/batches/:id/results',
      {
        schema: {
          tags: ['batches'],
          summary: 'The results of the analysed rows, streamed in row order (NDJSON, or CSV with format=csv)',
          produces: ['application/x-ndjson', 'text/csv'],
          params: IdParams,
          querystring: ResultsQuery,
          response: {
            200: Streamed('one result per line: NDJSON, or CSV with a header line'),
            400: ErrorResponse,
            404: ErrorResponse,
          },
        },
        config: { roles: ANY_ROLE },
      },
      async (request, reply) => {
        const { id } = request.params;
        const { format } = request.query;
        if (!(await batches.ownedBy(id, principalOf(request).orgId))) return notFound(reply, id);
        const fetch = async (after: number) =>
          (await batches.results(id, after, 200)).map((r) => toResult(r, r.analysis));
        return format === 'csv'
          ? reply.type('text/csv; charset=utf-8').send(pages(fetch, csvRow, csvHeader()))
          : reply.type('application/x-ndjson').send(pages(fetch, (r) => `${JSON.stringify(r)}\n`));
      },
    );

    app.get(
      '/v1/batches/:id/errors',
      {
        schema: {
          tags: ['batches'],
          summary: 'Every failed row with its line and reason, streamed (NDJSON)',
          produces: ['application/x-ndjson'],
          params: IdParams,
          response: { 200: Streamed('one failed row per line (NDJSON)'), 400: ErrorResponse, 404: ErrorResponse },
        },
        config: { roles: ANY_ROLE },
      },
      async (request, reply) => {
        const { id } = request.params;
        if (!(await batches.ownedBy(id, principalOf(request).orgId))) return notFound(reply, id);
        return reply.type('application/x-ndjson').send(
          pages(
            (after) => batches.errors(id, after, 500),
            (e) => `${JSON.stringify(e)}\n`,
          ),
        );
      },
    );
  };
