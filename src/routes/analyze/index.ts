import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AppDeps } from '../../app.js';
import { ANY_ROLE } from '../../auth/plugin.js';
import { AnalysisSchema, ErrorResponse, Horizon, Language } from '../schemas.js';

const AnalyzeBody = Type.Object(
  {
    text: Type.String({ minLength: 1, pattern: '\\S', description: 'limit MAX_ANALYZE_CHARS characters (413 above)' }),
    title: Type.Optional(Type.String({ maxLength: 500 })),
    language: Type.Optional(Language),
    kind: Type.Optional(Type.Enum(['job_ad', 'meeting_note', 'survey_answer', 'report'], { description: 'job ads state needs by default; other texts need a cue' })),
    date: Type.Optional(Type.String({ format: 'date', description: 'resolves horizons such as "next year"; default today' })),
    region: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
    vacancies: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    horizon: Type.Optional(Horizon),
  },
  { additionalProperties: false },
);

export const analyzeRoutes =
  (deps: AppDeps): FastifyPluginAsync =>
  async (app) => {
    app.post(
      '/v1/analyze',
      {
        schema: {
          tags: ['analysis'],
          summary: 'Analyse a short text synchronously; nothing is stored',
          body: AnalyzeBody,
          response: { 200: AnalysisSchema, 400: ErrorResponse, 413: ErrorResponse, 503: ErrorResponse },
        },
        config: { roles: ANY_ROLE },
      },
      async (request, reply) => {
        const body = request.body as Static<typeof AnalyzeBody>;
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
          return reply.header('retry-after', '5').code(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'the taxonomy is still loading' });
        }
        return analyzer.analyzeFull(body);
      },
    );
  };
