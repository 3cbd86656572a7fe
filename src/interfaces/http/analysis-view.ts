import type { Static } from 'typebox';
import type { ConceptsRepository } from '../../storage/concepts.repository.js';
import type { AnalysisView, AnalysisViewQuery } from './schemas.js';

type View = Static<typeof AnalysisView>;

/**
 * An analysis as the caller asked to see it: skills, occupations and their mentions below `minScore` left out,
 * labels in `language` (the text's by default), and each skill's ESCO type.
 */
export async function presentAnalysis(
  analysis: View,
  query: Static<typeof AnalysisViewQuery>,
  concepts: ConceptsRepository,
): Promise<View> {
  const min = query.minScore;
  const language = query.language ?? analysis.language;
  const skills = analysis.skills.filter((s) => s.score >= min);
  const occupations = analysis.occupations.filter((o) => o.score >= min);
  const labels = await concepts.labelsOf(language, {
    skills: skills.map((s) => s.uri),
    occupations: [...new Set([...occupations, ...(analysis.occupationMentions ?? [])].map((o) => o.uri))],
    isco: [...new Set(occupations.flatMap((o) => [o.isco.code, ...o.isco.levels.map((l) => l.code)]))],
    sectors: analysis.sectors.map((s) => s.code),
  });
  return {
    ...analysis,
    skills: skills.map((s) => {
      const known = labels.skills.get(s.uri);
      return { ...s, label: known?.label ?? s.label, skillType: known?.skillType ?? null };
    }),
    ...(analysis.mentions && { mentions: analysis.mentions.filter((m) => m.score >= min) }),
    occupations: occupations.map((o) => ({
      ...o,
      label: labels.occupations.get(o.uri) ?? o.label,
      isco: {
        ...o.isco,
        label: labels.isco.get(o.isco.code) ?? o.isco.label,
        levels: o.isco.levels.map((l) => ({ ...l, label: labels.isco.get(l.code) ?? l.label })),
      },
    })),
    ...(analysis.occupationMentions && {
      occupationMentions: analysis.occupationMentions
        .filter((m) => m.score >= min)
        .map((m) => ({ ...m, label: labels.occupations.get(m.uri) ?? m.matchedLabel })),
    }),
    sectors: analysis.sectors.map((s) => ({ ...s, label: labels.sectors.get(s.code) ?? s.label })),
    labelLanguage: language,
    minScore: min,
  };
}
