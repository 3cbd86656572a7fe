import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DOCUMENT_KINDS } from '../../../domain/document.js';
import { Language } from '../../../domain/language.js';
import { Horizon } from '../../../domain/signal.js';
import { ANY_ROLE } from '../auth.js';
import type { AppDeps } from '../deps.js';
import { AnalysisView, ErrorResponse } from '../schemas.js';

const AnalyzeBody = Type.Object(
  {
    text: Type.String({ minLength: 1, pattern: '\\S', description: 'limit MAX_ANALYZE_CHARS characters (413 above)' }),
    title: Type.Optional(Type.String({ maxLength: 500 })),
    language: Type.Optional(Language),
    kind: Type.Optional(
      Type.Enum([...DOCUMENT_KINDS], { description: 'job ads state needs by default; other texts need a cue' }),
    ),
    date: Type.Optional(
      Type.String({ format: 'date', description: 'resolves horizons such as "next year"; default today' }),
    ),
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
    vacancies: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    horizon: Type.Optional(Horizon),
  },
  { additionalProperties: false },
);

export const analyzeRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/v1/analyze',
      {
        schema: {
          tags: ['analysis'],
          summary: 'Analyse a short text synchronously; nothing is stored',
          body: AnalyzeBody,
          response: { 200: AnalysisView, 400: ErrorResponse, 413: ErrorResponse, 503: ErrorResponse },
        },
        config: { roles: ANY_ROLE },
      },
      async (request, reply) => {
        const { body } = request;
        const limit = deps.config.MAX_ANALYZE_CHARS;
        if (body.text.length > limit) {
          return reply.code(413).send({
            statusCode: 413,
            error: 'Payload Too Large',
            message: `text is ${body.text.length} characters; POST /v1/analyze takes at most ${limit} (submit longer texts to POST /v1/documents)`,
            field: 'text',
          });
        }
        const analyzer = deps.analyzer.current;
        if (!analyzer) {
          return reply
            .header('retry-after', '5')
            .code(503)
            .send({ statusCode: 503, error: 'Service Unavailable', message: 'the taxonomy is still loading' });
        }
        return analyzer.analyzeFull(body);
      },
    );
  };
