import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../../paths.js';

export interface Bundle {
  code: Buffer;
  etag: string;
}

const CHARTS = join(PROJECT_ROOT, 'src', 'web', 'charts');

/**
 * The page's chart script, built once per process from the installed packages: vega-embed, Vega-Lite and the
 * lean Vega of src/web/charts/vega.js in one minified file. One file instead of the three prebuilt ones is about
 * 60 ms less before the first chart on a cold visit here (less to parse, one script to run).
 */
async function buildCharts(): Promise<Bundle> {
  const vega = JSON.parse(readFileSync(join(PROJECT_ROOT, 'node_modules', 'vega', 'package.json'), 'utf8')) as { version: string };
  const result = await build({
    entryPoints: [join(CHARTS, 'entry.js')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2022',
    write: false,
    legalComments: 'eof',
    logLevel: 'silent',
    alias: { vega: join(CHARTS, 'vega.js') },
    define: { __VEGA_VERSION__: JSON.stringify(vega.version) },
  });
  const code = Buffer.from(result.outputFiles[0]!.contents);
  return { code, etag: `"${createHash('sha256').update(code).digest('base64url').slice(0, 22)}"` };
}

let charts: Promise<Bundle> | undefined;

/** The chart bundle; the first call builds it (about half a second), later calls share that build. */
export function chartsBundle(): Promise<Bundle> {
  charts ??= buildCharts().catch((err: unknown) => {
    charts = undefined;
    throw err;
  });
  return charts;
}
