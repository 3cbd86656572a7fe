import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { cachedEmbeddings } from '../../analysis/embeddings/cache.js';
import { dot, embedAll, type Embedder } from '../../analysis/embeddings/embedder.js';
import { Analyzer } from '../../analysis/analyzer.js';
import { CharNgramIndex, topK } from '../../analysis/char-tfidf.js';
import { detectLanguage, loadLanguageDetector } from '../../analysis/language.js';
import type { Language } from '../../domain/language.js';
import { LabelIndex } from '../../analysis/lexicon.js';
import { phrasesOf } from '../../analysis/semantic.js';
import {
  readSkillSpanLines,
  trainingLexicon,
  type SkillPhraseFinder,
  type SkillSpanLine,
} from '../../analysis/skill-phrases.js';
import { spansOfTags } from '../../analysis/span-tagger.js';
import { SPAN_KINDS, type SpanKind } from '../../domain/analysis.js';
import type { TaxonomyData } from '../../domain/taxonomy.js';
import { averagePrecision, mean, reciprocalRank, rPrecisionAt, spanF1 } from './metrics.js';

export interface EvalOptions {
  benchDir: string;
  /** the taxonomy's skills: their English labels join the benchmarks' label space, their types the span kinds */
  skills: TaxonomyData['skills'];
  analyzer: Analyzer;
  embedder: Embedder | null;
  cacheDir: string;
  predictionsDir?: string | undefined;
  /** compare long sentences phrase by phrase too, as the pipeline does (default); false for the ablation */
  phrases?: boolean;
  /** the trained English span tagger, when there is one */
  phraseFinder?: SkillPhraseFinder | undefined;
  log?: (line: string) => void;
}

export interface MetricRow {
  benchmark: string;
  task: 'skill-linking' | 'occupation-linking' | 'skill-spans' | 'realistic';
  metric: string;
  project: number;
  baseline: number | null;
  n: number;
}

const NOT_LABELS = new Set(['LABEL NOT PRESENT', 'UNDERSPECIFIED']);

function writeJsonl(dir: string | undefined, name: string, rows: unknown[]): void {
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** Blends signals that live on different scales by rank-free min–max over the candidates. */
function scaled(scores: Float32Array): Float32Array {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max <= 0) return scores;
  const out = new Float32Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = scores[i]! / max;
  return out;
}

/**
 * Skill linking (Decorte et al.): each sentence against all ESCO skill labels. The project's method blends the
 * sentence encoder's cosine, character n-gram TF-IDF and the lexical matcher (Voikko/stem labels incl. ESCO
 * synonyms); the baseline is the character n-gram TF-IDF alone.
 */
async function skillLinking(
  o: EvalOptions,
  file: string,
  labels: string[],
  labelIndex: CharNgramIndex,
  labelVectors: Float32Array[] | null,
  uriToLabel: Map<string, number>,
): Promise<MetricRow[]> {
  const rows = parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const gold = new Map<string, Set<string>>();
  for (const r of rows) {
    const label = (r['label'] ?? '').trim();
    const sentence = r['sentence'] ?? '';
    if (!label || NOT_LABELS.has(label)) continue;
    if (!gold.has(sentence)) gold.set(sentence, new Set());
    gold.get(sentence)!.add(label);
  }
  const sentences = [...gold.keys()];
  const sentenceVectors = o.embedder && labelVectors ? await embedAll(o.embedder, sentences) : null;
  // as in the pipeline, a long sentence that divides is also compared phrase by phrase; a phrase's cosine counts
  // averaged with the whole sentence's, so that it sharpens the sentence's evidence rather than replacing it
  const phrases = sentences.map((text) =>
    o.phrases !== false ? phrasesOf({ index: 0, start: 0, end: text.length, text }).map((p) => p.text) : [],
  );
  const phraseVectors = sentenceVectors ? await embedAll(o.embedder!, phrases.flat()) : null;
  const phraseStart: number[] = [];
  phrases.reduce((at, list) => (phraseStart.push(at), at + list.length), 0);
  const name = basename(file).replace(/\.csv$/, '');
  const project: { rp5: number[]; rp10: number[]; mrr: number[] } = { rp5: [], rp10: [], mrr: [] };
  const base: typeof project = { rp5: [], rp10: [], mrr: [] };
  const predictions: unknown[] = [];
  sentences.forEach((sentence, si) => {
    const g = gold.get(sentence)!;
    const char = labelIndex.scores(sentence);
    const baseRanking = topK(char, 100).map((i) => labels[i]!);
    base.rp5.push(rPrecisionAt(baseRanking, g, 5));
    base.rp10.push(rPrecisionAt(baseRanking, g, 10));
    base.mrr.push(reciprocalRank(baseRanking, g));

    const combined = new Float32Array(labels.length);
    const charScaled = scaled(char);
    const sv = sentenceVectors?.[si];
    for (let i = 0; i < labels.length; i++) {
      let semantic = sv && labelVectors ? dot(sv, labelVectors[i]!) : 0;
      if (sv && phraseVectors) {
        for (let p = 0; p < phrases[si]!.length; p++)
          semantic = Math.max(
            semantic,
            0.5 * semantic + 0.5 * dot(phraseVectors[phraseStart[si]! + p]!, labelVectors![i]!),
          );
      }
      combined[i] = sv ? 0.6 * semantic + 0.4 * charScaled[i]! : charScaled[i]!;
    }
    const analysis = o.analyzer.analyze({ text: sentence, language: 'en' });
    // the lexical matcher's own match quality (the raw score), on the scale the blend's weights were chosen for
    const quality = new Map<string, number>();
    for (const m of analysis.mentions) quality.set(m.uri, Math.max(quality.get(m.uri) ?? 0, m.rawScore));
    for (const [uri, q] of quality) {
      const i = uriToLabel.get(uri);
      if (i !== undefined) combined[i] = combined[i]! + 0.3 * q;
    }
    const ranking = topK(combined, 100).map((i) => labels[i]!);
    project.rp5.push(rPrecisionAt(ranking, g, 5));
    project.rp10.push(rPrecisionAt(ranking, g, 10));
    project.mrr.push(reciprocalRank(ranking, g));
    predictions.push({ sentence, ranking: ranking.slice(0, 10) });
  });
  writeJsonl(o.predictionsDir, `${name}.jsonl`, predictions);
  const n = sentences.length;
  return [
    { benchmark: name, task: 'skill-linking', metric: 'RP@5', project: mean(project.rp5), baseline: mean(base.rp5), n },
    {
      benchmark: name,
      task: 'skill-linking',
      metric: 'RP@10',
      project: mean(project.rp10),
      baseline: mean(base.rp10),
      n,
    },
    { benchmark: name, task: 'skill-linking', metric: 'MRR', project: mean(project.mrr), baseline: mean(base.mrr), n },
  ];
}

function readTsv(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim().length > 0)
    .map((l) => l.split('\t'));
}

/**
 * Occupation linking (MELO): job titles against ESCO occupation surface forms. The method blends character
 * n-gram TF-IDF, the lexical matcher over the surface forms (stems/lemmas, free word order) and, when the
 * encoder knows the language, the sentence encoder; the baseline is the character n-gram TF-IDF alone.
 */
async function occupationLinking(o: EvalOptions, dir: string): Promise<MetricRow[]> {
  const name = basename(dir);
  const queries = readTsv(join(dir, 'queries.tsv')).map(([qid, title]) => ({ qid: qid!, title: title ?? '' }));
  const corpus = readTsv(join(dir, 'corpus_elements.tsv')).map(([cid, text]) => ({ cid: cid!, text: text ?? '' }));
  const qrels = new Map<string, Set<string>>();
  for (const [qid, , cid, rel] of readTsv(join(dir, 'annotations.tsv'))) {
    if (Number(rel) <= 0) continue;
    if (!qrels.has(qid!)) qrels.set(qid!, new Set());
    qrels.get(qid!)!.add(cid!);
  }
  const declared = /_c_([a-z]{2})$/.exec(name)?.[1];
  const known = ['fi', 'sv', 'en'].includes(declared ?? '');
  if (!known) await loadLanguageDetector();
  const language = (
    known
      ? declared
      : detectLanguage(
          corpus
            .slice(0, 200)
            .map((c) => c.text)
            .join('. '),
        ).language
  ) as Language;
  const char = new CharNgramIndex(corpus.map((c) => c.text));
  const lexicon = new LabelIndex(language);
  corpus.forEach((c) => lexicon.add({ uri: c.cid, lang: language, kind: 'pref', label: c.text }));
  const cidIndex = new Map(corpus.map((c, i) => [c.cid, i]));
  const concepts = corpus.map((c) => /^(.+?)_[a-z]{2}_\d+$/.exec(c.cid)?.[1] ?? c.cid);
  const useEncoder = o.embedder && o.embedder.languages.includes(language);
  const corpusVectors = useEncoder
    ? await cachedEmbeddings(
        o.embedder!,
        o.cacheDir,
        `melo-${name}`,
        corpus.map((c) => c.text),
        (d, t) => o.log?.(`  embedding ${name} corpus ${d}/${t}`),
      )
    : null;
  const judged = queries.filter((q) => qrels.has(q.qid));
  const queryVectors = useEncoder
    ? await embedAll(
        o.embedder!,
        judged.map((q) => q.title),
      )
    : null;
  const ap: number[] = [];
  const rr: number[] = [];
  const baseAp: number[] = [];
  const baseRr: number[] = [];
  const predictions: unknown[] = [];
  judged.forEach((q, qi) => {
    const gold = qrels.get(q.qid)!;
    const scores = char.scores(q.title);
    const baseRanking = topK(scores, 1000).map((i) => corpus[i]!.cid);
    baseAp.push(averagePrecision(baseRanking, gold));
    baseRr.push(reciprocalRank(baseRanking, gold));
    const combined = new Float32Array(corpus.length);
    const charScaled = scaled(scores);
    const qv = queryVectors?.[qi];
    for (let i = 0; i < corpus.length; i++) {
      combined[i] = qv && corpusVectors ? 0.5 * dot(qv, corpusVectors[i]!) + 0.5 * charScaled[i]! : charScaled[i]!;
    }
    for (const m of lexicon.match(q.title, { index: 0, start: 0, end: q.title.length, text: q.title })) {
      const i = cidIndex.get(m.uri);
      if (i !== undefined) combined[i] = combined[i]! + 0.3 * m.score;
    }
    // surface forms of one occupation share its concept id (C000578_sv_000 → C000578): an occupation scores as
    // its best surface form, and all its forms are ranked together
    const best = new Map<string, number>();
    for (let i = 0; i < corpus.length; i++) {
      const c = concepts[i]!;
      if (combined[i]! > (best.get(c) ?? -Infinity)) best.set(c, combined[i]!);
    }
    const grouped = new Float32Array(corpus.length);
    for (let i = 0; i < corpus.length; i++) grouped[i] = best.get(concepts[i]!)! + 0.01 * combined[i]!;
    const ranking = topK(grouped, 1000).map((i) => corpus[i]!.cid);
    ap.push(averagePrecision(ranking, gold));
    rr.push(reciprocalRank(ranking, gold));
    predictions.push({ qid: q.qid, ranking: ranking.slice(0, 100) });
  });
  writeJsonl(o.predictionsDir, `${name}.jsonl`, predictions);
  const n = judged.length;
  return [
    { benchmark: name, task: 'occupation-linking', metric: 'MAP', project: mean(ap), baseline: mean(baseAp), n },
    { benchmark: name, task: 'occupation-linking', metric: 'MRR', project: mean(rr), baseline: mean(baseRr), n },
  ];
}

type Spans = [number, number][];
type KindSpans = Record<SpanKind, Spans>;

/** The tokens of a SkillSpan line covered by each mention, typed by the ESCO skill type. */
function matcherSpans(o: EvalOptions, types: Map<string, string | null>, tokens: string[]): KindSpans {
  let text = '';
  const offsets = tokens.map((t) => {
    const start = text.length + (text ? 1 : 0);
    text += (text ? ' ' : '') + t;
    return { start, end: start + t.length };
  });
  const found: Record<SpanKind, Set<string>> = { skill: new Set(), knowledge: new Set() };
  for (const m of o.analyzer.analyze({ text, language: 'en' }).mentions) {
    const first = offsets.findIndex((t) => t.end > m.start);
    if (first < 0) continue;
    let last = first;
    while (last + 1 < offsets.length && offsets[last + 1]!.start < m.end) last++;
    found[types.get(m.uri) === 'knowledge' ? 'knowledge' : 'skill'].add(`${first}:${last + 1}`);
  }
  const pairs = (set: Set<string>) =>
    [...set].map((k) => k.split(':').map(Number) as [number, number]).sort((a, b) => a[0] - b[0]);
  return { skill: pairs(found.skill), knowledge: pairs(found.knowledge) };
}

/** The tagger's spans, and the matchers' where the tagger marked none of their words. */
function bothSpans(tagged: KindSpans, matched: KindSpans): KindSpans {
  const taken = [...tagged.skill, ...tagged.knowledge];
  const free = ([a, b]: [number, number]) => !taken.some(([s, e]) => s < b && a < e);
  return {
    skill: [...tagged.skill, ...matched.skill.filter(free)].sort((x, y) => x[0] - y[0]),
    knowledge: [...tagged.knowledge, ...matched.knowledge.filter(free)].sort((x, y) => x[0] - y[0]),
  };
}

/**
 * SkillSpan, strict span F1 per kind: the trained span tagger alone, the lexical matchers alone (typed by the
 * ESCO skill type), and both; the baseline is the longest match of the training split's span phrases.
 */
async function skillSpans(o: EvalOptions, file: string): Promise<MetricRow[]> {
  const name = basename(file).replace(/\.json$/, '');
  const types = new Map(o.skills.map((s) => [s.uri, s.type]));
  const items = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as SkillSpanLine & { idx: number });
  const trainFile = join(dirname(file), 'train.json');
  const known = existsSync(trainFile) ? trainingLexicon(readSkillSpanLines(trainFile)) : undefined;
  const systems = new Map<string, KindSpans[]>();
  const add = (system: string, spans: KindSpans) => systems.set(system, [...(systems.get(system) ?? []), spans]);
  const predictions: unknown[] = [];
  for (const item of items) {
    const matched = matcherSpans(o, types, item.tokens);
    add('matchers', matched);
    const tagged = o.phraseFinder?.tagTokens(item.tokens);
    if (tagged) {
      add('tagger', tagged);
      add('tagger + matchers', bothSpans(tagged, matched));
    }
    if (known)
      add('baseline', { skill: known.skill.spans(item.tokens), knowledge: known.knowledge.spans(item.tokens) });
    predictions.push({
      idx: item.idx,
      skill_spans: (tagged ?? matched).skill,
      knowledge_spans: (tagged ?? matched).knowledge,
    });
  }
  writeJsonl(o.predictionsDir, `${name}.jsonl`, predictions);
  const gold = items.map((i) => ({ skill: spansOfTags(i.tags_skill), knowledge: spansOfTags(i.tags_knowledge) }));
  const f1 = (system: string, kind: SpanKind) =>
    spanF1(
      systems.get(system)!.map((s) => s[kind]),
      gold.map((g) => g[kind]),
    ).f1;
  const rows: MetricRow[] = [];
  for (const system of ['tagger', 'matchers', 'tagger + matchers'])
    if (systems.has(system))
      for (const kind of SPAN_KINDS)
        rows.push({
          benchmark: `${name} (${system})`,
          task: 'skill-spans',
          metric: `F1 ${kind}`,
          project: f1(system, kind),
          baseline: systems.has('baseline') ? f1('baseline', kind) : null,
          n: items.length,
        });
  return rows;
}

/** Finds the benchmark files by pattern and scores the project and the baseline on each. */
export async function runEval(o: EvalOptions): Promise<MetricRow[]> {
  const results: MetricRow[] = [];
  const skillDir = join(o.benchDir, 'esco-skill-linking');
  if (existsSync(skillDir)) {
    const files = readdirSync(skillDir)
      .filter((f) => f.endsWith('_annotations.csv'))
      .sort();
    const labelFile = join(skillDir, 'skills_en_label.txt');
    if (files.length > 0 && existsSync(labelFile)) {
      const labels = readFileSync(labelFile, 'utf8')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
      const byLabel = new Map(labels.map((l, i) => [l.toLowerCase(), i]));
      const uriToLabel = new Map<string, number>();
      for (const s of o.skills) {
        const i = byLabel.get(s.names.en.trim().toLowerCase());
        if (i !== undefined) uriToLabel.set(s.uri, i);
      }
      o.log?.(`skill linking: ${labels.length} labels, ${uriToLabel.size} joined to the taxonomy`);
      const labelIndex = new CharNgramIndex(labels);
      const labelVectors = o.embedder
        ? await cachedEmbeddings(o.embedder, o.cacheDir, 'skills_en_label', labels, (d, t) =>
            o.log?.(`  embedding skill labels ${d}/${t}`),
          )
        : null;
      for (const f of files)
        results.push(...(await skillLinking(o, join(skillDir, f), labels, labelIndex, labelVectors, uriToLabel)));
    }
  }
  const occDir = join(o.benchDir, 'occupation-linking');
  if (existsSync(occDir)) {
    for (const d of readdirSync(occDir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()) {
      const dir = join(occDir, d);
      if (['queries.tsv', 'corpus_elements.tsv', 'annotations.tsv'].every((f) => existsSync(join(dir, f))))
        results.push(...(await occupationLinking(o, dir)));
    }
  }
  const spanDir = join(o.benchDir, 'skill-spans');
  if (existsSync(spanDir)) {
    for (const f of readdirSync(spanDir)
      .filter((f) => f.endsWith('.json') && f !== 'train.json')
      .sort())
      results.push(...(await skillSpans(o, join(spanDir, f))));
  }
  return results;
}

export function formatTable(rows: MetricRow[]): string {
  const head = ['benchmark', 'metric', 'n', 'project', 'baseline', 'Δ'];
  const body = rows.map((r) => [
    r.benchmark,
    r.metric,
    String(r.n),
    (r.project * 100).toFixed(1),
    r.baseline === null ? 'n/a' : (r.baseline * 100).toFixed(1),
    r.baseline === null ? '' : `${r.project >= r.baseline ? '+' : ''}${((r.project - r.baseline) * 100).toFixed(1)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
