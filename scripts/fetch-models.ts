/**
 * Downloads the transformers.js models of models/manifest.json into MODELS_DIR, where a network exists.
 * The service itself never downloads: it loads from MODELS_DIR with remote loading disabled.
 *   npm run models:fetch [-- model-id ...]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readManifest } from '../src/analysis/embeddings/manifest.js';

const modelsDir = resolve(process.env.MODELS_DIR ?? 'models');
const wanted = process.argv.slice(2);
let failed = 0;
for (const m of readManifest(modelsDir)) {
  if (m.backend !== 'transformers' || !m.hub || (wanted.length > 0 && !wanted.includes(m.id))) continue;
  for (const file of m.files ?? []) {
    const url = `https://huggingface.co/${m.hub}/resolve/${m.revision ?? 'main'}/${file}`;
    const target = join(modelsDir, m.path ?? m.id, file);
    try {
      const res = await fetch(url);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, Buffer.from(await res.arrayBuffer()));
      console.log(`${m.id}: ${file}`);
    } catch (err) {
      failed++;
      console.error(`${m.id}: could not fetch ${url}: ${(err as Error).message}`);
    }
  }
}
if (failed > 0) {
  console.error(`${failed} file(s) not fetched: copy them into ${modelsDir} by hand on a machine with a network`);
  process.exit(1);
}
