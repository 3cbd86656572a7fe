import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { OccupationConcept, SkillConcept } from '../../../domain/concept.js';
import { LANGUAGES } from '../../../domain/language.js';
import { ConceptsRepository } from '../../../storage/concepts.repository.js';
import { ANY_ROLE } from '../auth.js';
import type { AppDeps } from '../deps.js';
import { ErrorResponse } from '../schemas.js';

const SearchQuery = (what: string) =>
  Type.Object(
    {
      text: Type.String({
        minLength: 1,
        maxLength: 200,
        pattern: '\\S',
        description: `words of a label in Finnish, Swedish or English, or a concept URI${what}`,
      }),
      language: Type.Enum([...LANGUAGES], {
        default: 'fi',
        description: 'language of the labels answered; its labels rank first',
      }),
      limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
      offset: Type.Integer({ minimum: 0, maximum: 10_000, default: 0 }),
    },
    { additionalProperties: false },
  );

const page = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), limit: Type.Integer(), offset: Type.Integer() });

/** ESCO concepts looked up by label, URI or code, as ESCO's own search does: for pickers and other tools. */
export const conceptRoutes =
  (deps: AppDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    const concepts = new ConceptsRepository(deps.db);

    app.get(
      '/v1/skills',
      {
        schema: {
          tags: ['concepts'],
          summary: 'Find ESCO skills and knowledge by label or URI',
          querystring: SearchQuery(''),
          response: { 200: page(SkillConcept), 400: ErrorResponse },
        },
        config: { roles: ANY_ROLE },
      },
      async (request) => {
        const q = request.query;
        return { items: await concepts.skills(q), limit: q.limit, offset: q.offset };
      },
    );

    app.get(
      '/v1/occupations',
      {
        schema: {
          tags: ['concepts'],
          summary: 'Find ESCO occupations by label, URI, ISCO-08 group code or ESCO code',
          querystring: SearchQuery(', an ISCO-08 code (1–4 digits: the occupations in that group) or an ESCO code'),
          response: { 200: page(OccupationConcept), 400: ErrorResponse },
        },
        config: { roles: ANY_ROLE },
      },
      async (request) => {
        const q = request.query;
        return { items: await concepts.occupations(q), limit: q.limit, offset: q.offset };
      },
    );
  };
