import { compareCodeUnits } from '../base/compare.js';
import type { Analysis, OccupationMention, SkillMention, SkillResult } from '../domain/analysis.js';
import { correctionMeets, type AppliedCorrection, type Correction } from '../domain/correction.js';
import type { Signal } from './signals.js';

/** What applying corrections needs of the analyzer that read the document. */
export interface CorrectionContext {
  /** the document's text, NFC-normalised as the analysis read it */
  text: string;
  /** the signal the sentence gives a mention at `start` (its horizon, polarity and weight) */
  signalAt(sentenceIndex: number, start: number): Signal;
  /** a skill of the result from its mentions */
  skillOf(uri: string, mentions: SkillMention[]): SkillResult;
  /** an occupation's ISCO-08 unit group */
  iscoOf(uri: string): string | undefined;
}

/**
 * The analysis with a person's corrections over the machine's reading, in the order given: a removal drops the
 * concept's mentions over its span, a change sets their horizon, polarity or weight, an addition confirms the
 * mention there or makes one. Every mention a correction touches is verified and counted. Each correction comes
 * back with whether it applied: after a re-analysis the mention a removal named may be gone.
 */
export function applyCorrections(analysis: Analysis, corrections: Correction[], ctx: CorrectionContext): Analysis {
  let skills = [...analysis.mentions];
  let occupations = [...analysis.occupationMentions];
  const touched = new Set<string>();
  const applied: AppliedCorrection[] = [];
  for (const c of corrections) {
    const list: (SkillMention | OccupationMention)[] = c.concept === 'skill' ? skills : occupations;
    const hits = list.filter((m) => m.uri === c.uri && correctionMeets(c, m.start, m.end));
    if (c.concept === 'skill') touched.add(c.uri);
    if (c.action === 'remove') {
      if (c.concept === 'skill') skills = skills.filter((m) => !hits.includes(m));
      else occupations = occupations.filter((m) => !hits.includes(m));
    } else if (hits.length > 0) {
      const replace = (m: SkillMention | OccupationMention) => (hits.includes(m) ? confirmed(m, c) : m);
      if (c.concept === 'skill') skills = skills.map((m) => replace(m) as SkillMention);
      else occupations = occupations.map((m) => replace(m) as OccupationMention);
    } else if (c.action === 'add') {
      const made = added(analysis, c, ctx);
      if (c.concept === 'skill') skills.push(made);
      else occupations.push({ ...made, method: 'manual', isco: ctx.iscoOf(c.uri) ?? '', source: 'text' });
    }
    applied.push({ ...c, applied: hits.length > 0 || c.action === 'add' });
  }
  const byStart = (a: { start: number; uri: string }, b: { start: number; uri: string }) =>
    a.start - b.start || compareCodeUnits(a.uri, b.uri);
  skills.sort(byStart);
  const results = analysis.skills.filter((s) => !touched.has(s.uri));
  for (const uri of touched) {
    const list = skills.filter((m) => m.uri === uri);
    if (list.length > 0) results.push(ctx.skillOf(uri, list));
  }
  results.sort((a, b) => b.score - a.score || (a.spans[0]?.start ?? 0) - (b.spans[0]?.start ?? 0));
  // the job ad's own occupation stays first, the names in the text follow in text order
  occupations.sort((a, b) => (a.source === 'document' ? -1 : b.source === 'document' ? 1 : byStart(a, b)));
  return { ...analysis, mentions: skills, skills: results, occupationMentions: occupations, corrections: applied };
}

/** A mention as the correction confirms it: its signal as corrected, verified and counted. */
function confirmed<M extends SkillMention | OccupationMention>(m: M, c: Correction): M {
  return {
    ...m,
    ...(c.horizon && { horizon: c.horizon, horizonSource: 'correction' as const }),
    ...(c.polarity && { polarity: c.polarity }),
    ...(c.weight !== undefined && { weight: c.weight }),
    counted: true,
    verified: true,
  };
}

/** A mention a person added: the words of its span, with the signal its sentence gives unless corrected. */
function added(analysis: Analysis, c: Correction, ctx: CorrectionContext): SkillMention {
  const sentence = analysis.sentences.find((s) => s.start <= c.start && c.start < s.end);
  const sentenceIndex = sentence?.index ?? -1;
  return confirmed(
    {
      uri: c.uri,
      score: 1,
      rawScore: 1,
      method: 'manual',
      start: c.start,
      end: c.end,
      spans: c.start < c.end ? [{ start: c.start, end: c.end }] : [],
      sentenceIndex,
      matchedLabel: ctx.text.slice(c.start, c.end),
      ...ctx.signalAt(sentenceIndex, c.start),
      counted: true,
    },
    c,
  );
}
