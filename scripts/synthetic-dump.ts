/**
 * A job-ad dump for benchmarks, in the shape job boards export: JSON Lines or CSV (gzip when the name ends .gz),
 * with id, title, text, place, date, employer and sometimes vacancies. Texts come from scripts/synthetic-ads.ts,
 * 600–3,400 characters (about 2,000 on average), fi/sv/en in proportion 2:1:1. Deterministic for a seed.
 *   node --import tsx scripts/synthetic-dump.ts OUT N [seed]
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { csvCell } from '../src/interfaces/csv.js';
import { rng, syntheticAd, type Lang } from './synthetic-ads.js';

const PLACES = [
  'Helsinki',
  'Tampere',
  'Lahti',
  'Hämeenlinna',
  'Oulu',
  'Vaasa',
  'Turku',
  'Jyväskylä',
  'Kuopio',
  'Espoo',
  '00100',
  '33100',
  'Porvoo',
  '',
];
const TITLES: Record<Lang, string[]> = {
  fi: ['Hitsaaja', 'Lähihoitaja', 'Myyjä', 'Ohjelmistokehittäjä', 'Varastotyöntekijä'],
  sv: ['Svetsare', 'Närvårdare', 'Säljare', 'Mjukvaruutvecklare'],
  en: ['Welder', 'Practical nurse', 'Sales assistant', 'Software developer'],
};
const EMPLOYERS = ['Konepaja Oy', 'Hoiva Ab', 'Kauppa Oy', 'Softa Oy', 'Logistiikka Oy'];

export interface DumpAd {
  id: string;
  title: string;
  text: string;
  language: Lang;
  region: string;
  date: string;
  employer: string;
  vacancies: number | '';
}

export function* dumpAds(n: number, seed = 1): Generator<DumpAd> {
  const random = rng(seed);
  const langs: Lang[] = ['fi', 'fi', 'sv', 'en'];
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  for (let i = 1; i <= n; i++) {
    const language = langs[i % langs.length]!;
    yield {
      id: `ad-${seed}-${i}`,
      title: pick(TITLES[language]),
      text: syntheticAd(language, random, 600 + Math.floor(random() * 2_800)),
      language,
      region: pick(PLACES),
      date: `2026-${String(1 + Math.floor(random() * 10)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
      employer: pick(EMPLOYERS),
      vacancies: random() < 0.2 ? 1 + Math.floor(random() * 4) : '',
    };
  }
}

const COLUMNS: (keyof DumpAd)[] = ['id', 'title', 'text', 'language', 'region', 'date', 'employer', 'vacancies'];

/** Writes `n` ads to `path`: CSV when it names .csv(.gz), else JSON Lines; streamed, so any size fits. */
export async function writeDump(path: string, n: number, seed = 1): Promise<void> {
  const file = createWriteStream(path);
  const gz = path.endsWith('.gz') ? createGzip({ level: 1 }) : undefined;
  if (gz) gz.pipe(file);
  const out = gz ?? file;
  const csv = /\.csv(\.gz)?$/.test(path);
  if (csv) out.write(`${COLUMNS.join(',')}\n`);
  for (const ad of dumpAds(n, seed)) {
    const line = csv
      ? `${COLUMNS.map((c) => csvCell(ad[c])).join(',')}\n`
      : `${JSON.stringify({ ...ad, vacancies: ad.vacancies || undefined })}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(file, 'close');
}

if (process.argv[1]?.endsWith('synthetic-dump.ts')) {
  const [path, n, seed] = process.argv.slice(2);
  if (!path || !n) {
    process.stderr.write('usage: node --import tsx scripts/synthetic-dump.ts OUT N [seed]\n');
    process.exit(2);
  }
  await writeDump(path, Number(n), Number(seed ?? 1));
}
