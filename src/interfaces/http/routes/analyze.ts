import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AnalysisTimeoutError } from '../../../analysis/deadline.js';
import { CalendarDate, DOCUMENT_KINDS } from '../../../domain/document.js';
import { Language } from '../../../domain/language.js';
import { Horizon } from '../../../domain/signal.js';
import { ANY_ROLE, principalOf } from '../auth.js';
import { waitedForAnalyzer, type AppDeps } from '../deps.js';
import { Correction } from '../../../domain/correction.js';
import { checkConcepts, checkSpans } from '../../../jobs/document-corrections.js';
import { ConceptsRepository } from '../../../storage/concepts.repository.js';
import { sendAnalyzerLoading } from '../errors.js';
import { presentAnalysis } from '../analysis-view.js';
import { AnalysisView, AnalysisViewQuery, ErrorResponse } from '../schemas.js';

const AnalyzeBody = Type.Object(
  {
    text: Type.String({ minLength: 1, pattern: '\\S', description: 'limit MAX_ANALYZE_CHARS characters (413 above)' }),
    title: Type.Optional(Type.String({ maxLength: 500 })),
    language: Type.Optional(Language),
    kind: Type.Optional(
      Type.Enum([...DOCUMENT_KINDS], { description: 'job ads state needs by default; other texts need a cue' }),
    ),
    date: Type.Optional(CalendarDate('resolves horizons such as "next year"; default today')),
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
    vacancies: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    horizon: Type.Optional(Horizon),
    corrections: Type.Optional(
      Type.Array(Correction, {
        maxItems: 100,
        description: 'corrections to show over the reading (a note being written); each comes back with `applied`',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        text: 'Haemme hitsaajaa Lahteen. Edellytämme MIG-hitsauksen osaamista ja trukkikorttia.',
        kind: 'job_ad',
        language: 'fi',
      },
    ],
  },
);

export const analyzeRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    /** analyses running per API key */
    const inFlight = new Map<string, number>();
    const concepts = new ConceptsRepository(deps.db);
    app.post(
      '/v1/analyze',
      {
        schema: {
          tags: ['analysis'],
          summary: 'Analyse a short text synchronously; nothing is stored',
          description:
            'The body says what the text is (its `language` is the language the text is written in); the query says how to show the analysis: `minScore` and the `language` of the labels.',
          querystring: AnalysisViewQuery,
          body: AnalyzeBody,
          response: {
            200: AnalysisView,
            400: ErrorResponse,
            413: ErrorResponse,
            429: ErrorResponse,
            503: ErrorResponse,
          },
        },
        config: { roles: ANY_ROLE },
      },
      async (request, reply) => {
        const { body } = request;
        const { ANALYZE_PER_KEY, ANALYZE_TIMEOUT_MS } = deps.config;
        const limit = deps.config.MAX_ANALYZE_CHARS;
        if (body.text.length > limit) {
          return reply.code(413).send({
            statusCode: 413,
            error: 'Payload Too Large',
            message: `text is ${body.text.length} characters; POST /v1/analyze takes at most ${limit} (submit longer texts to POST /v1/documents)`,
            field: 'text',
          });
        }
        if (body.corrections) {
          checkSpans(body.text, body.corrections);
          await checkConcepts(concepts, body.corrections);
        }
        const analyzer = waitedForAnalyzer(deps.analyzer);
        if (!analyzer) return sendAnalyzerLoading(reply);
        const { keyId } = principalOf(request);
        const running = inFlight.get(keyId) ?? 0;
        if (running >= ANALYZE_PER_KEY) {
          return reply
            .header('retry-after', '1')
            .code(429)
            .send({
              statusCode: 429,
              error: 'Too Many Requests',
              message: `this key has ${running} analyses running; POST /v1/analyze runs at most ${ANALYZE_PER_KEY} at a time per key (submit many texts to POST /v1/documents)`,
            });
        }
        inFlight.set(keyId, running + 1);
        let timer: NodeJS.Timeout | undefined;
        try {
          // the analysis stops itself at the deadline; the timer answers should it not get there (busy in one step)
          const late = new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new AnalysisTimeoutError()), ANALYZE_TIMEOUT_MS + 2_000);
          });
          const analysis = await Promise.race([
            analyzer.analyzeFull(body, { deadline: Date.now() + ANALYZE_TIMEOUT_MS }),
            late,
          ]);
          return await presentAnalysis(analysis, request.query, concepts);
        } catch (err) {
          if (!(err instanceof AnalysisTimeoutError)) throw err;
          return reply.code(503).send({
            statusCode: 503,
            error: 'Service Unavailable',
            message: `the analysis took longer than ${ANALYZE_TIMEOUT_MS / 1000} s, the limit of POST /v1/analyze; submit long texts to POST /v1/documents, which analyses them in the queue`,
          });
        } finally {
          clearTimeout(timer);
          const left = (inFlight.get(keyId) ?? 1) - 1;
          if (left > 0) inFlight.set(keyId, left);
          else inFlight.delete(keyId);
        }
      },
    );
  };
