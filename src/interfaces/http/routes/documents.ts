import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import type { Principal } from '../../../domain/access.js';
import { DocumentKind, DocumentStatus, Employer, NewDocument, Visibility } from '../../../domain/document.js';
import { Horizon } from '../../../domain/signal.js';
import { Language } from '../../../domain/language.js';
import { analyzeJobId } from '../../../jobs/analyze.queue.js';
import { IngestBatcher } from '../../../jobs/ingest.js';
import type { StoredDocument } from '../../../storage/documents.repository.js';
import { ANY_ROLE, CONTRIBUTORS, principalOf } from '../auth.js';
import { waitedForAnalyzer, type AppDeps } from '../deps.js';
import { Correction } from '../../../domain/correction.js';
import { DocumentCorrections } from '../../../jobs/document-corrections.js';
import { ConceptsRepository } from '../../../storage/concepts.repository.js';
import { CorrectionsRepository } from '../../../storage/corrections.repository.js';
import { sendAnalyzerLoading } from '../errors.js';
import { presentAnalysis } from '../analysis-view.js';
import { AnalysisView, AnalysisViewQuery, ErrorResponse, IdParams } from '../schemas.js';

const SubmitBody = Type.Object(
  {
    ...NewDocument.properties,
    corrections: Type.Optional(
      Type.Array(Correction, {
        maxItems: 100,
        description: 'corrections of the analysis made before saving (on the preview of POST /v1/analyze)',
      }),
    ),
  },
  { additionalProperties: false, examples: (NewDocument as { examples?: unknown[] }).examples },
);

const SubmitResponse = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    status: DocumentStatus,
    duplicate: Type.Boolean({ description: 'true when the document was already stored (same externalId or content)' }),
  },
  { examples: [{ id: '0b9c3e52-8d1a-4f3e-9a57-2f1d6c0e4b11', status: 'queued', duplicate: false }] },
);

const DocumentSummary = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: DocumentStatus,
  title: Type.Optional(Type.String()),
  language: Type.Optional(Type.String()),
  date: Type.Optional(Type.String()),
  region: Type.Optional(Type.String()),
  externalId: Type.Optional(Type.String()),
  visibility: Visibility,
  own: Type.Boolean({ description: "true when the document belongs to the caller's organisation" }),
  attempts: Type.Integer(),
  error: Type.Optional(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  analysedAt: Type.Optional(Type.String({ format: 'date-time' })),
});

const DocumentResponse = Type.Intersect([
  DocumentSummary,
  Type.Object({
    text: Type.String(),
    employer: Type.Optional(Employer),
    vacancies: Type.Optional(Type.Integer()),
    horizon: Type.Optional(Horizon),
    analysis: Type.Optional(AnalysisView),
  }),
]);

const ListQuery = Type.Object(
  {
    status: Type.Optional(DocumentStatus),
    kind: Type.Optional(DocumentKind),
    language: Type.Optional(Language),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
  },
  { additionalProperties: false },
);

/** Whether `principal` may read the document's text, sentences and evidence: its own organisation's, or shared. */
export const mayRead = (principal: Principal, d: Pick<StoredDocument, 'orgId' | 'visibility'>) =>
  d.orgId === principal.orgId || d.visibility === 'shared';

const notFound = (id: string) => ({ statusCode: 404, error: 'Not Found', message: `no document ${id}`, field: 'id' });

function summary(d: StoredDocument, principal: Principal): Static<typeof DocumentSummary> {
  return {
    id: d.id,
    kind: d.kind,
    status: d.status,
    ...(d.title !== undefined && { title: d.title }),
    ...(d.language !== undefined && { language: d.language }),
    ...(d.date !== undefined && { date: d.date }),
    ...(d.region !== undefined && { region: d.region }),
    ...(d.externalId !== undefined && { externalId: d.externalId }),
    visibility: d.visibility,
    own: d.orgId === principal.orgId,
    attempts: d.attempts,
    ...(d.error !== null && { error: d.error }),
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    ...(d.analysedAt && { analysedAt: d.analysedAt.toISOString() }),
  };
}

export const documentRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { config, documents, queue, log, keys } = deps;
    const concepts = new ConceptsRepository(deps.db);
    const correctionsStore = new CorrectionsRepository(deps.db);
    const corrector = new DocumentCorrections(documents, correctionsStore, concepts);
    // one write at a time into embedded PGlite, which runs one statement at a time anyway; a server takes several
    const ingest = new IngestBatcher(documents, queue, config, log, 200, deps.db.engine === 'pglite' ? 1 : 4);
    app.addHook('onClose', () => ingest.drain());

    app.post(
      '/v1/documents',
      {
        schema: {
          tags: ['documents'],
          summary: 'Submit a document for analysis',
          description:
            'Stores the document, then queues it. 202 is sent only after the document is committed. With `corrections` (made on the preview of POST /v1/analyze) the document is analysed at once, the corrections stored with it and applied, and it comes back done; a removal or change must name a mention of that analysis.',
          body: SubmitBody,
          response: { 202: SubmitResponse, 400: ErrorResponse, 413: ErrorResponse, 503: ErrorResponse },
        },
        config: { roles: CONTRIBUTORS },
      },
      async (request, reply) => {
        const { body } = request;
        if (body.text.length > config.MAX_TEXT_CHARS) {
          return reply.code(413).send({
            statusCode: 413,
            error: 'Payload Too Large',
            message: `text is ${body.text.length} characters; the limit is ${config.MAX_TEXT_CHARS}`,
            field: 'text',
          });
        }
        const { corrections, ...doc } = body;
        const principal = principalOf(request);
        if (!corrections?.length) {
          const stored = await ingest.submit(principal.orgId, doc);
          return reply.code(202).send({ id: stored.id, status: stored.status, duplicate: !stored.created });
        }
        const service = waitedForAnalyzer(deps.analyzer);
        if (!service) return sendAnalyzerLoading(reply);
        const analysis = await corrector.analyse(service, doc, [], corrections);
        const { document, created } = await documents.create(principal.orgId, doc);
        if (created) await corrector.saveNew(document.id, principal, corrections, analysis);
        else if (document.status === 'done') await corrector.add(service, document, principal, corrections);
        // the same document, still waiting for its analysis: the job applies the corrections
        else await correctionsStore.add(document.id, principal.orgId, principal.keyId, corrections);
        const now = await documents.get(document.id);
        return reply.code(202).send({ id: document.id, status: now?.status ?? document.status, duplicate: !created });
      },
    );

    app.get(
      '/v1/documents/:id',
      {
        schema: {
          tags: ['documents'],
          summary: 'A document with its status and, once done, its analysis',
          description:
            "Your organisation's documents and shared ones; another organisation's private document is 404. Every read is written to the audit log.",
          params: IdParams,
          querystring: AnalysisViewQuery,
          response: { 200: DocumentResponse, 400: ErrorResponse, 404: ErrorResponse },
        },
        config: { roles: ANY_ROLE },
      },
      async (request, reply) => {
        const { id } = request.params;
        const principal = principalOf(request);
        const doc = await documents.get(id);
        if (!doc || !mayRead(principal, doc)) return reply.code(404).send(notFound(id));
        await keys.audit(principal, 'read_document', [id], request.routeOptions.url ?? request.url);
        const stored = doc.status === 'done' ? await documents.analysisOf(id) : undefined;
        const analysis = stored && (await presentAnalysis(stored, request.query, concepts));
        return {
          ...summary(doc, principal),
          text: doc.text,
          ...(doc.employer && { employer: doc.employer }),
          ...(doc.vacancies !== undefined && { vacancies: doc.vacancies }),
          ...(doc.horizon !== undefined && { horizon: doc.horizon }),
          ...(analysis && { analysis }),
        };
      },
    );

    app.get(
      '/v1/documents',
      {
        schema: {
          tags: ['documents'],
          summary: "List your organisation's documents, newest first",
          querystring: ListQuery,
          response: {
            200: Type.Object({
              items: Type.Array(DocumentSummary),
              total: Type.Integer(),
              limit: Type.Integer(),
              offset: Type.Integer(),
            }),
            400: ErrorResponse,
          },
        },
        config: { roles: ANY_ROLE },
      },
      async (request) => {
        const q = request.query;
        const principal = principalOf(request);
        const { items, total } = await documents.list({ ...q, orgId: principal.orgId });
        return { items: items.map((d) => summary(d, principal)), total, limit: q.limit, offset: q.offset };
      },
    );

    app.patch(
      '/v1/documents/:id',
      {
        schema: {
          tags: ['documents'],
          summary: "Make one of your organisation's documents private or shared",
          description: 'The demand aggregates follow at once.',
          params: IdParams,
          body: Type.Object({ visibility: Visibility }, { additionalProperties: false }),
          response: { 200: DocumentSummary, 400: ErrorResponse, 404: ErrorResponse },
        },
        config: { roles: CONTRIBUTORS },
      },
      async (request, reply) => {
        const { id } = request.params;
        const principal = principalOf(request);
        const doc = await documents.setVisibility(id, principal.orgId, request.body.visibility);
        if (!doc) return reply.code(404).send(notFound(id));
        return summary(doc, principal);
      },
    );

    app.delete(
      '/v1/documents/:id',
      {
        schema: {
          tags: ['documents'],
          summary:
            "Delete one of your organisation's documents, its analysis and its mentions (from every aggregate too)",
          params: IdParams,
          response: { 204: Type.Null(), 400: ErrorResponse, 404: ErrorResponse },
        },
        config: { roles: CONTRIBUTORS },
      },
      async (request, reply) => {
        const { id } = request.params;
        const deleted = await documents.delete(id, principalOf(request).orgId);
        if (!deleted) return reply.code(404).send(notFound(id));
        await queue.remove(analyzeJobId(id)).catch(() => undefined);
        return reply.code(204).send(null);
      },
    );
  };
