import { firstsOf } from './rollups.js';
import type { Analysis } from '../domain/analysis.js';

/**
 * What saving an analysis writes (DocumentsRepository.saveRows), as columns of plain values and one JSON text.
 * The service's analysis process makes them beside the analysis and sends these instead of the analysis itself:
 * the process answering HTTP requests then holds, while the save lasts, a few arrays and strings rather than the
 * analysis's thousands of objects, and its event loop spends no time on the rows.
 */
export interface AnalysisRows {
  language: Analysis['language'];
  pipelineVersion: string;
  taxonomyVersion: number | null;
  /** the stored analysis, without its mentions, as JSON text */
  json: string;
  /** how many skills were found (for the log) */
  skills: number;
  /** the occupations, then the sectors, each ranked from 1 */
  classifications: {
    scheme: string[];
    rank: number[];
    code: string[];
    isco: (string | null)[];
    level: number[];
    score: number[];
  };
  regions: { code: string[]; level: string[]; primary: boolean[]; source: string[] };
  mentions: MentionColumns;
  /** what every demand fact of the document shares */
  facts: FactColumns;
}

/**
 * The mentions, a column each: the skills' (which the mentions table keeps) and the occupations named in the text
 * (kept in the stored analysis), with what each one's demand fact adds. A mention counted (probably right) has a
 * demand fact; the others are candidates.
 */
export interface MentionColumns {
  concept: ('skill' | 'occupation')[];
  counted: boolean[];
  /** confirmed, added or changed by a person */
  verified: boolean[];
  uri: string[];
  score: number[];
  method: string[];
  start: number[];
  end: number[];
  sentenceIndex: number[];
  horizon: string[];
  polarity: string[];
  weight: number[];
  /** a skill's group; an occupation's ISCO-08 unit group */
  group: (string | null)[];
  /** a skill's document's occupation; an occupation itself */
  occupation: (string | null)[];
  isco: (string | null)[];
  /** of the counted mentions only */
  firsts: number[];
}

/** The month's date and language of the document, its primary place at each level and its sector. */
export interface FactColumns {
  date: string;
  language: string;
  municipality: string | null;
  maakunta: string | null;
  area: string | null;
  majorRegion: string | null;
  section: string | null;
  division: string | null;
}

export function analysisRows(analysis: Analysis): AnalysisRows {
  const { mentions: skillMentions, ...stored } = analysis;
  const groups = new Map(analysis.skills.map((s) => [s.uri, s.group ?? null]));
  const occupation = analysis.occupations[0];
  const mentions = [
    ...skillMentions.map((m) => ({
      ...m,
      verified: m.verified === true,
      concept: 'skill' as const,
      group: groups.get(m.uri) ?? null,
      occupation: occupation?.uri ?? null,
      isco: occupation?.isco.code ?? null,
    })),
    // analyses stored before occupations were demand have none
    ...(analysis.occupationMentions ?? []).map((m) => ({
      ...m,
      verified: m.verified === true,
      concept: 'occupation' as const,
      group: m.isco,
      occupation: m.uri,
      isco: m.isco,
    })),
  ];
  const counted = mentions.filter((m) => m.counted);
  const bits = firstsOf(
    counted.map((m) => ({
      concept: m.concept,
      skill_uri: m.uri,
      skill_group: m.group,
      horizon: m.horizon,
      polarity: m.polarity,
    })),
  );
  let next = 0;
  const firsts = mentions.map((m) => (m.counted ? bits[next++]! : 0));
  const ranked = [
    ...analysis.occupations.map((o, i) => ({
      scheme: 'occupation',
      rank: i + 1,
      code: o.uri,
      isco: o.isco.code,
      level: 4,
      score: o.score,
    })),
    ...analysis.sectors.map((s, i) => ({
      scheme: 'sector',
      rank: i + 1,
      code: s.code,
      isco: null,
      level: s.level,
      score: s.score,
    })),
  ];
  const primary = (level: string) => analysis.regions.find((r) => r.primary && r.level === level)?.code ?? null;
  return {
    language: analysis.language,
    pipelineVersion: analysis.pipelineVersion,
    taxonomyVersion: analysis.taxonomyVersion,
    json: JSON.stringify(stored),
    skills: analysis.skills.length,
    classifications: columns(ranked, ['scheme', 'rank', 'code', 'isco', 'level', 'score']),
    regions: columns(analysis.regions, ['code', 'level', 'primary', 'source']),
    mentions: {
      ...columns(mentions, [
        'concept',
        'counted',
        'verified',
        'uri',
        'score',
        'method',
        'start',
        'end',
        'sentenceIndex',
        'horizon',
        'polarity',
        'weight',
        'group',
        'occupation',
        'isco',
      ]),
      firsts,
    },
    facts: {
      date: analysis.date,
      language: analysis.language,
      municipality: primary('municipality'),
      maakunta: primary('maakunta'),
      area: primary('elinvoimakeskus') ?? primary('ely'),
      majorRegion: primary('major_region'),
      section: analysis.sectors.find((s) => s.level === 1)?.code ?? null,
      division: analysis.sectors.find((s) => s.level >= 2)?.code.slice(0, 2) ?? null,
    },
  };
}

/** The rows' fields `keys`, a column (array) each. */
function columns<T, K extends keyof T>(rows: readonly T[], keys: readonly K[]): { [P in K]: T[P][] } {
  return Object.fromEntries(keys.map((key) => [key, rows.map((row) => row[key])])) as { [P in K]: T[P][] };
}

/** Mentions `from` up to `to` (not included), every column cut alike. */
export function sliceMentions(m: MentionColumns, from: number, to: number): MentionColumns {
  return Object.fromEntries(
    Object.entries(m).map(([column, values]) => [column, values.slice(from, to)]),
  ) as unknown as MentionColumns;
}
