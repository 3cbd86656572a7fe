import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UniversalSentenceEncoder } from '../../src/analysis/embeddings/use.embedder.js';
import type { Analyzer } from '../../src/analysis/analyzer.js';
import { AnalysisTimeoutError } from '../../src/analysis/deadline.js';
import { SemanticSkillMatcher } from '../../src/analysis/semantic.js';
import { fixtureAnalyzer } from '../helpers/context.js';

const MIG = 'http://data.europa.eu/esco/skill/f015c5d5-6a1c-4f63-9012-a05f4f34105e';

describe('semantic skill candidates with the Universal Sentence Encoder', () => {
  let analyzer: Analyzer;
  beforeAll(async () => {
    const { analyzer: a, taxonomy } = await fixtureAnalyzer();
    analyzer = a;
    analyzer.attachSemantic(
      await SemanticSkillMatcher.build(
        taxonomy.skills,
        new UniversalSentenceEncoder(),
        mkdtempSync(join(tmpdir(), 'radar-sem-')),
        'fixture',
      ),
    );
  });

  it('finds a skill the words do not name, with the sentence as span and the encoder recorded', async () => {
    const text = 'The job is in Vantaa. You join steel parts with an electric arc.';
    expect(analyzer.analyze({ text }).skills.find((s) => s.uri === MIG)).toBeUndefined();
    const a = await analyzer.analyzeFull({ text });
    expect(a.encoder).toBe('use-lite-en@energetic-ai-0.2.0');
    const mig = a.skills.find((s) => s.uri === MIG);
    expect(mig).toMatchObject({ method: 'semantic', sentences: [1] });
    expect(mig!.spans.map((s) => text.slice(s.start, s.end))).toEqual(['You join steel parts with an electric arc.']);
    expect(mig!.score).toBeGreaterThan(0.5);
    expect(a.mentions.filter((m) => m.method === 'semantic').every((m) => m.sentenceIndex === 1)).toBe(true);
  });

  it('compares a long sentence that lists several things phrase by phrase, with the phrase as span', async () => {
    const text =
      'In this role you answer customer calls, keep the stock in order and join steel parts with an electric arc.';
    const a = await analyzer.analyzeFull({ text });
    const mig = a.skills.find((s) => s.uri === MIG);
    expect(mig).toMatchObject({ method: 'semantic', methods: ['semantic'] });
    expect(mig!.spans.map((s) => text.slice(s.start, s.end))).toEqual(['join steel parts with an electric arc']);
  });

  it('strengthens a lexical find with semantic evidence from the same sentence instead of adding a mention', async () => {
    const text = 'You will weld steel structures using metal inert gas welding every day.';
    const a = await analyzer.analyzeFull({ text });
    const mig = a.skills.find((s) => s.uri === MIG)!;
    expect(mig.methods).toEqual(['lexical', 'semantic']);
    expect(a.mentions.filter((m) => m.uri === MIG).map((m) => m.method)).toEqual(['lexical']);
    const lexicalOnly = analyzer.analyze({ text }).skills.find((s) => s.uri === MIG)!;
    expect(mig.score).toBeGreaterThan(lexicalOnly.score);
  });

  it('adds nothing where the lexical matcher found the skill, or for a language the encoder does not know', async () => {
    const en = await analyzer.analyzeFull({ text: 'Strong welding skills are required.' });
    expect(
      en.mentions
        .filter((m) => m.uri === 'http://data.europa.eu/esco/skill/530cb489-d900-46ab-9350-4d50ccd49eea')
        .map((m) => m.method),
    ).toEqual(['lexical']);
    const fi = await analyzer.analyzeFull({ text: 'Liität teräsosia toisiinsa sähkökaarella.', language: 'fi' });
    expect(fi.encoder).toBeNull();
    expect(fi.skills.filter((s) => s.method === 'semantic')).toEqual([]);
  });

  it('stops at a deadline that has passed, and gives the same analysis with one still ahead', async () => {
    const text = 'The job is in Vantaa. You join steel parts with an electric arc. You also read drawings.';
    await expect(analyzer.analyzeFull({ text }, { deadline: Date.now() - 1 })).rejects.toBeInstanceOf(
      AnalysisTimeoutError,
    );
    const ahead = await analyzer.analyzeFull({ text }, { deadline: Date.now() + 600_000 });
    expect(ahead).toEqual(await analyzer.analyzeFull({ text }));
  });
});
