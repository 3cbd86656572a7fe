import type { Analysis, SkillMention } from '../../domain/analysis.js';
import { csvCell } from '../csv.js';
import { normalizeText } from '../../analysis/text.js';

type Mention = Pick<SkillMention, 'uri' | 'start' | 'end' | 'method' | 'score' | 'horizon' | 'polarity' | 'weight'>;
/** What a result is made from: an analysis fresh from the pipeline, or one read back with its stored mentions. */
export type ResultAnalysis = Pick<
  Analysis,
  'language' | 'skills' | 'occupations' | 'sectors' | 'regions' | 'pipelineVersion' | 'encoder' | 'date'
> & { mentions: Mention[] };

/** The result for one ad, the same from `skills-radar classify` and from GET /v1/batches/:id/results. */
export interface BatchResult {
  id: string;
  row: number;
  language: string;
  date: string;
  skills: {
    uri: string;
    label: string;
    score: number;
    spans: {
      start: number;
      end: number;
      text: string;
      method: string;
      horizon: string;
      polarity: string;
      weight: number;
    }[];
  }[];
  occupations: { uri: string; label: string; isco: string; iscoLabel: string; score: number }[];
  sectors: { code: string; label: string; level: number; score: number }[];
  regions: { code: string; name: string; level: string; primary: boolean }[];
  pipelineVersion: string;
  encoder: string | null;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function toResult(ad: { id: string; row: number; text: string }, analysis: ResultAnalysis): BatchResult {
  const text = normalizeText(ad.text);
  const byUri = new Map<string, Mention[]>();
  for (const m of analysis.mentions) byUri.set(m.uri, [...(byUri.get(m.uri) ?? []), m]);
  return {
    id: ad.id,
    row: ad.row,
    language: analysis.language,
    date: analysis.date,
    skills: analysis.skills.map((s) => ({
      uri: s.uri,
      label: s.label,
      score: r3(s.score),
      spans: (byUri.get(s.uri) ?? []).map((m) => ({
        start: m.start,
        end: m.end,
        text: text.slice(m.start, m.end),
        method: m.method,
        horizon: m.horizon,
        polarity: m.polarity,
        weight: m.weight,
      })),
    })),
    occupations: analysis.occupations.map((o) => ({
      uri: o.uri,
      label: o.label,
      isco: o.isco.code,
      iscoLabel: o.isco.label,
      score: r3(o.score),
    })),
    sectors: analysis.sectors.map((s) => ({ code: s.code, label: s.label, level: s.level, score: r3(s.score) })),
    regions: analysis.regions.map((g) => ({ code: g.code, name: g.name, level: g.level, primary: g.primary })),
    pipelineVersion: analysis.pipelineVersion,
    encoder: analysis.encoder,
  };
}

export const CSV_COLUMNS = [
  'id',
  'row',
  'language',
  'date',
  'skill_uris',
  'skill_labels',
  'skill_scores',
  'skill_horizons',
  'skill_polarities',
  'occupation_uri',
  'occupation_label',
  'isco',
  'sector',
  'sector_label',
  'region',
  'region_name',
  'regions',
] as const;

/**
 * One CSV row per ad: list columns hold one entry per skill, in the same order, separated by " | "; a skill's
 * horizons and polarities are those of its mentions joined by "+".
 */
export function csvRow(r: BatchResult): string {
  const join = (xs: (string | number)[]) => xs.join(' | ');
  const unique = (xs: string[]) => [...new Set(xs)].join('+');
  const occupation = r.occupations[0];
  const sector = r.sectors[0];
  const primary = r.regions.find((g) => g.primary);
  const values: Record<(typeof CSV_COLUMNS)[number], string | number> = {
    id: r.id,
    row: r.row,
    language: r.language,
    date: r.date,
    skill_uris: join(r.skills.map((s) => s.uri)),
    skill_labels: join(r.skills.map((s) => s.label)),
    skill_scores: join(r.skills.map((s) => s.score)),
    skill_horizons: join(r.skills.map((s) => unique(s.spans.map((m) => m.horizon)))),
    skill_polarities: join(r.skills.map((s) => unique(s.spans.map((m) => m.polarity)))),
    occupation_uri: occupation?.uri ?? '',
    occupation_label: occupation?.label ?? '',
    isco: occupation?.isco ?? '',
    sector: sector?.code ?? '',
    sector_label: sector?.label ?? '',
    region: primary?.code ?? '',
    region_name: primary?.name ?? '',
    regions: join(r.regions.filter((g) => g.primary).map((g) => g.code)),
  };
  return `${CSV_COLUMNS.map((c) => csvCell(values[c])).join(',')}\n`;
}

export const csvHeader = () => `${CSV_COLUMNS.join(',')}\n`;
