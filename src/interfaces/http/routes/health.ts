import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { formatSeconds } from '../../../analysis/load-analyzer.js';
import type { AnalysisService } from '../../../jobs/analysis-service.js';
import type { AppDeps } from '../deps.js';
import { pingRedis } from '../../../jobs/redis.js';
import { activeTaxonomyVersion } from '../../../taxonomy/import.js';

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) });
const ReadyResponse = Type.Object({
  ready: Type.Boolean(),
  checks: Type.Object({ redis: Check, database: Check, taxonomy: Check, analyzer: Check }),
});

/** What the analyzer can do now, and what is still loading and for about how long. */
function analyzerDetail(service: AnalysisService, semanticModel: string): string {
  const labels = `${service.labelCount} labels indexed`;
  if (semanticModel === 'none') return `${labels}; lexical matching (SEMANTIC_MODEL none)`;
  if (service.semanticModel) return `${labels}; lexical and semantic matching (${service.semanticModel})`;
  const p = service.semanticProgress;
  if (!p) return `${labels}; lexical matching; the semantic matcher is loading`;
  const left = p.etaSeconds === null ? '' : `, about ${formatSeconds(p.etaSeconds)} left`;
  return `${labels}; lexical matching now; embedding skill labels for semantic matching: ${p.done}/${p.total}${left}`;
}

export const healthRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/health',
      {
        schema: {
          tags: ['health'],
          summary: 'The process is alive',
          response: { 200: Type.Object({ status: Type.Literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/ready',
      {
        schema: {
          tags: ['health'],
          summary: 'Redis, database and taxonomy are usable',
          response: { 200: ReadyResponse, 503: ReadyResponse },
        },
      },
      async (_request, reply) => {
        const redis = (await pingRedis(deps.redisUrl)) ? { ok: true } : { ok: false, detail: 'no answer from Redis' };
        let database: { ok: boolean; detail?: string } = { ok: true };
        let taxonomy: { ok: boolean; detail?: string } = { ok: false, detail: 'database unavailable' };
        try {
          const version = await activeTaxonomyVersion(deps.db);
          taxonomy = version
            ? {
                ok: true,
                detail: `version ${version.id} (ESCO ${version.escoVersion}, ${version.counts['esco_skills'] ?? 0} skills)`,
              }
            : { ok: false, detail: 'no taxonomy imported: run skills-radar taxonomy import --from <dir>' };
        } catch (err) {
          database = { ok: false, detail: (err as Error).message };
        }
        const analyzer = deps.analyzer.current
          ? { ok: true, detail: analyzerDetail(deps.analyzer.current, deps.config.SEMANTIC_MODEL) }
          : {
              ok: false,
              detail:
                deps.analyzer.error ??
                `loading the taxonomy index (a minute at most); documents are stored and queued meanwhile`,
            };
        const ready = redis.ok && database.ok && taxonomy.ok && analyzer.ok;
        return reply.code(ready ? 200 : 503).send({ ready, checks: { redis, database, taxonomy, analyzer } });
      },
    );
  };
