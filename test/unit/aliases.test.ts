import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analysis/analyzer.js';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { readAliases } from '../../src/taxonomy/aliases.js';
import { readTaxonomy } from '../../src/taxonomy/load.js';
import { FIXTURE_TAXONOMY, fixtureTaxonomy, testConfig } from '../helpers/context.js';

const FORKLIFT = 'http://data.europa.eu/esco/skill/28cb374e-6261-4133-8371-f9a5470145da';
const MIG = 'http://data.europa.eu/esco/skill/f015c5d5-6a1c-4f63-9012-a05f4f34105e';

describe('local aliases', () => {
  it('reads the project list by default and reports bad rows without failing', async () => {
    expect(testConfig().ALIASES_FILES).toBe(join(PROJECT_ROOT, 'taxonomy', 'aliases.csv'));
    const dir = mkdtempSync(join(tmpdir(), 'radar-alias-'));
    const file = join(dir, 'ours.csv');
    writeFileSync(
      file,
      `lang,alias,uri,note\nfi,lavatrukki,${FORKLIFT},ok\nde,Gabelstapler,${FORKLIFT},\nfi,,${FORKLIFT},\nfi,x,not-a-uri,\n`,
    );
    const { aliases, problems } = await readAliases([file, join(dir, 'missing.csv')]);
    expect(aliases).toEqual([{ lang: 'fi', alias: 'lavatrukki', uri: FORKLIFT, file: 'ours.csv', line: 2 }]);
    expect(problems.map((p) => `${p.file}:${p.line} ${p.reason}`)).toEqual([
      'ours.csv:3 lang "de" is not fi, sv or en',
      'ours.csv:4 empty alias',
      'ours.csv:5 uri "not-a-uri" is not a URI',
      'missing.csv:0 file not found',
    ]);
  });

  it('matches workplace words ESCO lacks, inflected, with the alias method', async () => {
    const taxonomy = await fixtureTaxonomy();
    const { aliases } = await readAliases([testConfig().ALIASES_FILES]);
    const analyzer = await Analyzer.create({
      ...taxonomy,
      aliases: aliases.filter((a) => taxonomy.skills.some((s) => s.uri === a.uri)),
    });
    const text = 'Edellytämme MIG-hitsauksen osaamista ja voimassa olevaa trukkikorttia.';
    const a = analyzer.analyze({ text });
    const forklift = a.skills.find((s) => s.uri === FORKLIFT);
    expect(forklift).toMatchObject({ label: 'käyttää haarukkatrukkia', method: 'alias' });
    expect(forklift!.spans.map((s) => text.slice(s.start, s.end))).toEqual(['trukkikorttia']);
    expect(a.skills.find((s) => s.uri === MIG)?.method).toBe('lexical');
    const en = analyzer.analyze({ text: 'Strong MIG welding skills and a valid forklift licence.' });
    expect(en.skills.find((s) => s.uri === MIG)?.method).toBe('alias');
    expect(en.skills.find((s) => s.uri === FORKLIFT)?.method).toBe('alias');
    const without = await Analyzer.create(taxonomy);
    expect(without.analyze({ text }).skills.find((s) => s.uri === FORKLIFT)).toBeUndefined();
  });

  it('keeps, when the taxonomy is read, only the aliases of its skills, and says which it left out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'radar-alias-'));
    const file = join(dir, 'ours.csv');
    writeFileSync(
      file,
      `lang,alias,uri\nfi,lavatrukki,${FORKLIFT}\nfi,olematon,http://data.europa.eu/esco/skill/not-in-the-fixture\n`,
    );
    const warned: unknown[] = [];
    const taxonomy = await readTaxonomy(FIXTURE_TAXONOMY, {
      aliasFiles: [file],
      log: { warn: (o: unknown) => warned.push(o) },
    });
    expect(taxonomy.aliases.map((a) => a.alias)).toEqual(['lavatrukki']);
    expect(warned).toEqual([{ file: 'ours.csv', line: 3, uri: 'http://data.europa.eu/esco/skill/not-in-the-fixture' }]);
  });
});
