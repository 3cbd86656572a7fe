/**
 * The note form's live preview: POST /v1/analyze on Finnish meeting notes of about 2,000 characters, as `npm start`
 * serves it with the full taxonomy, one request at a time as a typist's pauses send them: p50/p95 per request.
 * The notes are the realistic set's Finnish meeting notes joined (each request starts at another one). Then the
 * regional brief: the realistic set's passages stored and analysed, the Brief view of a maakunta opened in
 * headless Chromium and printed to PDF, p50 and max of the time from navigation to the PDF.
 *   npm run bench:preview [-- --requests 200 --chars 2000 --pdfs 5]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT } from '../src/base/paths.js';
import { runCli } from '../test/helpers/processes.js';
import { launchChromium } from '../test/helpers/browser.js';
import { quantile } from './bench-stats.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '200' },
    chars: { type: 'string', default: '2000' },
    pdfs: { type: 'string', default: '5' },
  },
});
const chars = Number(values.chars);
type Passage = { kind: string; text: string; date: string; language: string; title?: string };
const passages = (lang: string) =>
  readFileSync(join(PROJECT_ROOT, 'evaluation', 'realistic', `${lang}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Passage);
const notes = passages('fi')
  .filter((p) => p.kind === 'meeting_note')
  .map((p) => p.text);
/** A note of about `chars` characters, from the notes starting at the i-th, cut after a sentence. */
const noteAt = (i: number) => {
  let text = '';
  for (let k = 0; text.length < chars; k++) text += `${notes[(i + k) % notes.length]} `;
  const cut = text.lastIndexOf('. ', chars);
  return text.slice(0, cut > chars / 2 ? cut + 1 : chars);
};

const dataDir = mkdtempSync(join(tmpdir(), 'radar-preview-'));
const port = 18_800 + Math.floor(Math.random() * 90);
const service = runCli(['start'], {
  PORT: String(port),
  DATA_DIR: dataDir,
  TAXONOMY_DIR: process.env.TAXONOMY_DIR ?? join(PROJECT_ROOT, '..', 'shared', 'data'),
  // Finnish is read lexically: the English sentence encoder plays no part in this preview
  SEMANTIC_MODEL: 'none',
  LOG_LEVEL: 'info',
  RATE_LIMIT_MAX: '1000000',
  QUEUE_PREFIX: 'benchpreview',
});
try {
  await service.waitForOutput(/POST \/v1\/analyze has its own analysis process/, 600_000);
  const key = /keep it:\s+(\S+)/.exec(service.output())![1]!;
  const ask = async (text: string) => {
    const t = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/v1/analyze?minScore=0&language=fi`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ text, kind: 'meeting_note', date: '2026-11-20', region: 'Lahti' }),
    });
    const body = (await res.json()) as { skills?: unknown[] };
    if (!res.ok) throw new Error(`/v1/analyze: ${res.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - t, skills: body.skills?.length ?? 0 };
  };
  for (let i = 0; i < 5; i++) await ask(noteAt(i)); // the first requests compile the path
  const ms: number[] = [];
  let skills = 0;
  let length = 0;
  for (let i = 0; i < Number(values.requests); i++) {
    const text = noteAt(i);
    const r = await ask(text);
    ms.push(r.ms);
    skills += r.skills;
    length += text.length;
  }
  ms.sort((a, b) => a - b);
  const n = ms.length;
  console.log(
    `live preview, POST /v1/analyze on ${n} Finnish notes of ${Math.round(length / n)} characters, one at a time: p50 ${quantile(ms, 0.5)!.toFixed(0)} ms, p95 ${quantile(ms, 0.95)!.toFixed(0)} ms, max ${ms.at(-1)!.toFixed(0)} ms (${(skills / n).toFixed(1)} skills each)`,
  );

  // the brief of Päijät-Häme over the realistic passages, printed by Chromium
  const stored = [...passages('fi'), ...passages('sv')];
  for (const p of stored) {
    const res = await fetch(`http://127.0.0.1:${port}/v1/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: p.kind,
        text: p.text,
        date: p.date,
        language: p.language,
        region: 'Lahti',
        visibility: 'shared',
        ...(p.title && { title: p.title }),
      }),
    });
    if (res.status !== 202) throw new Error(`/v1/documents: ${res.status} ${await res.text()}`);
  }
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/v1/documents?status=done&limit=1`, {
      headers: { authorization: `Bearer ${key}` },
    });
    if (((await res.json()) as { total: number }).total >= stored.length) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.addInitScript(`localStorage.setItem('radar.apiKey', ${JSON.stringify(key)})`);
    const pdf: number[] = [];
    let bytes = 0;
    for (let i = 0; i <= Number(values.pdfs); i++) {
      const t = performance.now();
      await page.goto(`http://127.0.0.1:${port}/?view=brief&region=MK07&from=2026-01&to=2026-12`);
      await page.waitForSelector('body[data-ready="true"] #brief');
      const printed = await page.pdf({ format: 'A4', printBackground: true });
      if (i > 0) pdf.push(performance.now() - t); // the first opens the browser's caches
      bytes = printed.length;
    }
    pdf.sort((a, b) => a - b);
    console.log(
      `regional brief of MK07 over ${stored.length} documents, opened and printed to PDF by Chromium: p50 ${quantile(pdf, 0.5)!.toFixed(0)} ms, max ${pdf.at(-1)!.toFixed(0)} ms (${Math.round(bytes / 1024)} KiB)`,
    );
  } finally {
    await browser.close();
  }
} finally {
  service.child.kill('SIGINT');
  await service.exited;
  rmSync(dataDir, { recursive: true, force: true });
}
