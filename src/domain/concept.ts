import { Type, type Static } from 'typebox';

const Labels = Type.Object(
  { fi: Type.Union([Type.String(), Type.Null()]), sv: Type.Union([Type.String(), Type.Null()]), en: Type.String() },
  { description: 'the preferred label in each language (Finnish and Swedish where ESCO has them)' },
);

/** A broader concept: a skill group or broader skill, or an ISCO-08 group. */
const Broader = Type.Object({
  uri: Type.String(),
  code: Type.Union([Type.String(), Type.Null()]),
  label: Type.String(),
});

/** What a concept look-up gives for every hit: its labels, and the label the search text matched. */
const ConceptBase = {
  uri: Type.String(),
  label: Type.String({ description: 'the preferred label in the asked language (English where it has none)' }),
  labels: Labels,
  altLabels: Type.Array(Type.String(), { description: 'alternative labels in the asked language' }),
  matched: Type.Optional(Type.String({ description: 'the label (any language) the search text was found in' })),
};

/** An ESCO skill or knowledge concept as the look-up answers it. */
export const SkillConcept = Type.Object({
  ...ConceptBase,
  skillType: Type.Union([Type.Enum(['skill/competence', 'knowledge']), Type.Null()]),
  reuseLevel: Type.Union([Type.String(), Type.Null()], {
    description: 'transversal, cross-sector, sector-specific or occupation-specific',
  }),
  broader: Type.Array(Broader, { description: 'the broader skills and skill groups it sits under' }),
});
export type SkillConcept = Static<typeof SkillConcept>;

/** An ESCO occupation as the look-up answers it, with its ISCO-08 group and that group's ancestors. */
export const OccupationConcept = Type.Object({
  ...ConceptBase,
  code: Type.Union([Type.String(), Type.Null()], { description: "ESCO's occupation code (ISCO code and a suffix)" }),
  isco: Type.Array(Broader, { description: 'its ISCO-08 unit group first, then each broader group' }),
});
export type OccupationConcept = Static<typeof OccupationConcept>;
