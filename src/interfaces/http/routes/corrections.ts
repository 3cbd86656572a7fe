import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type, type Static } from 'typebox';
import { segmentSentences, normalizeText } from '../../../analysis/text.js';
import { Correction, CORRECTION_EXAMPLES, StoredCorrection } from '../../../domain/correction.js';
import { LANGUAGES, type Language } from '../../../domain/language.js';
import { DocumentCorrections } from '../../../jobs/document-corrections.js';
import { ConceptsRepository } from '../../../storage/concepts.repository.js';
import { CorrectionsRepository } from '../../../storage/corrections.repository.js';
import { csvDialect, csvDocument, CSV_LOCALES } from '../../csv.js';
import { presentAnalysis } from '../analysis-view.js';
import { ATTRIBUTION } from '../attribution.js';
import { ANY_ROLE, CONTRIBUTORS, OPERATORS, principalOf } from '../auth.js';
import { waitedForAnalyzer, type AppDeps } from '../deps.js';
import { sendAnalyzerLoading, sendError } from '../errors.js';
import { AnalysisView, ErrorResponse, IdParams } from '../schemas.js';
import { mayRead } from './documents.js';

const CorrectionsBody = Type.Object(
  { corrections: Type.Array(Correction, { minItems: 1, maxItems: 100 }) },
  { additionalProperties: false, examples: [{ corrections: CORRECTION_EXAMPLES }] },
);

const CorrectionView = Type.Intersect([
  StoredCorrection,
  Type.Object({ applied: Type.Optional(Type.Boolean({ description: 'whether the latest analysis applied it' })) }),
]);

const CorrectedResponse = Type.Object({
  corrections: Type.Array(CorrectionView),
  analysis: AnalysisView,
});

const ExportRow = Type.Object({
  documentId: Type.String(),
  kind: Type.String(),
  language: Type.String(),
  action: Type.String(),
  concept: Type.String(),
  uri: Type.String(),
  label: Type.String({ description: 'the concept’s ESCO preferred label in English' }),
  words: Type.String({ description: 'the words of the corrected span' }),
  sentence: Type.String({ description: 'the sentence around them' }),
  start: Type.Integer(),
  end: Type.Integer(),
  horizon: Type.Optional(Type.String()),
  polarity: Type.Optional(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
type ExportRow = Static<typeof ExportRow>;

const AliasProposal = Type.Object({
  language: Type.Enum([...LANGUAGES]),
  alias: Type.String({ description: 'the words added, lower case' }),
  concept: Type.Enum(['skill', 'occupation']),
  uri: Type.String(),
  label: Type.String(),
  documents: Type.Integer({ description: 'how many documents added these words as this concept' }),
});

const ExportQuery = Type.Object(
  {
    format: Type.Optional(Type.Enum(['json', 'csv'])),
    locale: Type.Optional(Type.Enum([...CSV_LOCALES])),
    limit: Type.Integer({ minimum: 1, maximum: 100_000, default: 10_000 }),
  },
  { additionalProperties: false },
);

const notFound = (id: string) => ({ statusCode: 404, error: 'Not Found', message: `no document ${id}`, field: 'id' });

/** A person's corrections of documents' analyses: made, withdrawn, listed, and exported as training material. */
export const correctionRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { documents, analyzer } = deps;
    const concepts = new ConceptsRepository(deps.db);
    const stored = new CorrectionsRepository(deps.db);
    const corrector = new DocumentCorrections(documents, stored, concepts);
    const analysisService = () => waitedForAnalyzer(analyzer);

    /**
     * The document of `orgId` to correct, analysed, and the analysis to correct it with; otherwise the refusal
     * sent (404 another's or none, 409 not analysed yet, 503 the taxonomy loading).
     */
    async function correctable(id: string, orgId: string, reply: FastifyReply) {
      const doc = await documents.get(id);
      if (!doc || doc.orgId !== orgId) return reply.code(404).send(notFound(id));
      if (doc.status !== 'done')
        return sendError(reply, 409, `the document is ${doc.status}: correct it once it is analysed`, 'id');
      const service = analysisService();
      if (!service) return sendAnalyzerLoading(reply);
      return { doc, service };
    }

    /** The document's corrections with whether its latest analysis applied each. */
    async function correctionsWithOutcome(id: string) {
      const [list, analysis] = await Promise.all([stored.of(id), documents.analysisOf(id)]);
      const outcome = analysis?.corrections;
      const same = outcome && outcome.length === list.length;
      return list.map((c, i) => (same ? { ...c, applied: outcome[i]!.applied } : c));
    }

    /** The corrections of the documents `orgId` may read, with their words and sentences (at most `limit`). */
    async function exportRows(orgId: string, limit: number): Promise<ExportRow[]> {
      const list = await stored.readable(orgId, limit);
      const docs = new Map(
        (await documents.getMany([...new Set(list.map((c) => c.documentId))])).map((d) => [d.id, d]),
      );
      const analyses = await documents.analysesOf([...docs.keys()]);
      const labels = await concepts.labelsOf('en', {
        skills: list.filter((c) => c.concept === 'skill').map((c) => c.uri),
        occupations: list.filter((c) => c.concept === 'occupation').map((c) => c.uri),
        isco: [],
        sectors: [],
      });
      const texts = new Map<string, { text: string; sentences: { start: number; end: number }[] }>();
      const rows: ExportRow[] = list.flatMap((c) => {
        const doc = docs.get(c.documentId);
        if (!doc) return [];
        const language: Language = analyses.get(doc.id)?.language ?? doc.language ?? 'fi';
        let t = texts.get(doc.id);
        if (!t) {
          const text = normalizeText(doc.text);
          t = { text, sentences: segmentSentences(text, language) };
          texts.set(doc.id, t);
        }
        const s = t.sentences.find((x) => x.start <= c.start && c.start < x.end);
        const label = c.concept === 'skill' ? labels.skills.get(c.uri)?.label : labels.occupations.get(c.uri);
        return [
          {
            documentId: doc.id,
            kind: doc.kind,
            language,
            action: c.action,
            concept: c.concept,
            uri: c.uri,
            label: label ?? '',
            words: t.text.slice(c.start, c.end),
            sentence: s ? t.text.slice(s.start, s.end).trim() : '',
            start: c.start,
            end: c.end,
            ...(c.horizon && { horizon: c.horizon }),
            ...(c.polarity && { polarity: c.polarity }),
            createdAt: c.createdAt,
          },
        ];
      });
      return rows;
    }

    app.post(
      '/v1/documents/:id/corrections',
      {
        schema: {
          tags: ['documents'],
          summary: "Correct the analysis of one of your organisation's documents",
          description:
            'Removes a wrong skill or occupation, adds a missing one (a span of the text and an ESCO URI) or changes a mention’s horizon, polarity or weight. The corrections are stored with the document, applied over the machine’s reading at every analysis (they survive re-analysis), and the corrected reading replaces the old one in every aggregate at once. A removal or change must name a mention the analysis has.',
          params: IdParams,
          body: CorrectionsBody,
          response: {
            200: CorrectedResponse,
            400: ErrorResponse,
            404: ErrorResponse,
            409: ErrorResponse,
            503: ErrorResponse,
          },
        },
        config: { roles: CONTRIBUTORS },
      },
      async (request, reply) => {
        const { id } = request.params;
        const principal = principalOf(request);
        const ready = await correctable(id, principal.orgId, reply);
        if (!('doc' in ready)) return ready;
        const { analysis } = await corrector.add(ready.service, ready.doc, principal, request.body.corrections);
        return {
          corrections: await correctionsWithOutcome(id),
          analysis: await presentAnalysis(analysis, { minScore: 0 }, concepts),
        };
      },
    );

    app.get(
      '/v1/documents/:id/corrections',
      {
        schema: {
          tags: ['documents'],
          summary: 'The corrections made to a document’s analysis, oldest first',
          params: IdParams,
          response: { 200: Type.Object({ corrections: Type.Array(CorrectionView) }), 404: ErrorResponse },
        },
        config: { roles: ANY_ROLE },
      },
      async (request, reply) => {
        const { id } = request.params;
        const doc = await documents.get(id);
        if (!doc || !mayRead(principalOf(request), doc)) return reply.code(404).send(notFound(id));
        return { corrections: await correctionsWithOutcome(id) };
      },
    );

    app.delete(
      '/v1/documents/:id/corrections/:correctionId',
      {
        schema: {
          tags: ['documents'],
          summary: 'Withdraw a correction: the machine’s reading of those words comes back',
          params: Type.Object({
            id: Type.String({ format: 'uuid' }),
            correctionId: Type.String({ pattern: '^[0-9]{1,18}$', description: 'digits' }),
          }),
          response: {
            204: Type.Null(),
            400: ErrorResponse,
            404: ErrorResponse,
            409: ErrorResponse,
            503: ErrorResponse,
          },
        },
        config: { roles: CONTRIBUTORS },
      },
      async (request, reply) => {
        const { id, correctionId } = request.params;
        const ready = await correctable(id, principalOf(request).orgId, reply);
        if (!('doc' in ready)) return ready;
        if (!(await corrector.withdraw(ready.service, ready.doc, correctionId)))
          return sendError(reply, 404, `document ${id} has no correction ${correctionId}`, 'correctionId');
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/v1/corrections',
      {
        schema: {
          tags: ['documents'],
          summary: 'Export the corrections of the documents you may read: material for improving the analysis',
          description: `Each correction with the words it names and their sentence, oldest first: your organisation's documents and shared ones. JSON, or CSV with format=csv. ${ATTRIBUTION}`,
          querystring: ExportQuery,
          response: { 200: Type.Object({ corrections: Type.Array(ExportRow) }), 400: ErrorResponse },
        },
        config: { roles: ANY_ROLE },
      },
      async (request, reply) => {
        const q = request.query;
        const rows = await exportRows(principalOf(request).orgId, q.limit);
        if (q.format !== 'csv') return { corrections: rows };
        const columns: (keyof ExportRow & string)[] = [
          'documentId',
          'kind',
          'language',
          'action',
          'concept',
          'uri',
          'label',
          'words',
          'sentence',
          'start',
          'end',
          'horizon',
          'polarity',
          'createdAt',
        ];
        // a CSV text, which the JSON schema of the answer does not describe
        return (reply as FastifyReply)
          .type('text/csv; charset=utf-8')
          .send(csvDocument(columns, rows, csvDialect(q.locale), [ATTRIBUTION]));
      },
    );

    app.get(
      '/v1/corrections/aliases',
      {
        schema: {
          tags: ['documents'],
          summary: 'Aliases proposed from the words people repeatedly added as the same concept',
          description:
            'Additions of the same words (case and spacing aside) as the same skill or occupation in at least minDocuments documents, from the documents you may read, not yet accepted: for an operator to accept.',
          querystring: Type.Object(
            { minDocuments: Type.Integer({ minimum: 1, maximum: 1000, default: 2 }) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ proposals: Type.Array(AliasProposal) }), 400: ErrorResponse },
        },
        config: { roles: OPERATORS },
      },
      async (request) => {
        const accepted = new Set(
          (await stored.acceptedAliases()).map((a) => `${a.lang}\0${aliasKey(a.alias)}\0${a.uri}`),
        );
        const proposals = new Map<string, Static<typeof AliasProposal> & { ids: Set<string> }>();
        for (const r of await exportRows(principalOf(request).orgId, 100_000)) {
          if (r.action !== 'add' || !aliasKey(r.words)) continue;
          const key = `${r.language}\0${aliasKey(r.words)}\0${r.uri}`;
          if (accepted.has(key)) continue;
          const p = proposals.get(key) ?? {
            language: r.language as Language,
            alias: aliasKey(r.words),
            concept: r.concept as Correction['concept'],
            uri: r.uri,
            label: r.label,
            documents: 0,
            ids: new Set<string>(),
          };
          p.ids.add(r.documentId);
          p.documents = p.ids.size;
          proposals.set(key, p);
        }
        return {
          proposals: [...proposals.values()]
            .filter((p) => p.documents >= request.query.minDocuments)
            .sort((a, b) => b.documents - a.documents || a.alias.localeCompare(b.alias))
            .map(({ ids: _ids, ...p }) => p),
        };
      },
    );

    app.post(
      '/v1/corrections/aliases',
      {
        schema: {
          tags: ['documents'],
          summary: 'Accept an alias: the analysis reads it from its next start on',
          body: Type.Object(
            {
              language: Type.Enum([...LANGUAGES]),
              alias: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
              uri: Type.String({ minLength: 1, maxLength: 300 }),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ accepted: Type.Boolean({ description: 'false when it was accepted already' }) }),
            400: ErrorResponse,
          },
        },
        config: { roles: OPERATORS },
      },
      async (request, reply) => {
        const { language, alias, uri } = request.body;
        const known = await concepts.labelsOf('en', { skills: [uri], occupations: [uri], isco: [], sectors: [] });
        if (!known.skills.has(uri) && !known.occupations.has(uri))
          return sendError(reply, 400, `the taxonomy has no skill or occupation ${uri}`, 'uri');
        const accepted = await stored.acceptAlias(
          { lang: language, alias: aliasKey(alias), uri },
          principalOf(request).keyId,
        );
        return reply.code(201).send({ accepted });
      },
    );
  };

/** Words as an alias is kept: lower case, one space between words. */
const aliasKey = (words: string) => words.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
