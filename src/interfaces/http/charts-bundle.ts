import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { build } from 'esbuild';
import { PROJECT_ROOT } from '../../base/paths.js';

export interface Bundle {
  code: Buffer;
  etag: string;
}

const CHARTS = join(PROJECT_ROOT, 'src', 'interfaces', 'web', 'charts');

/**
 * The page's chart script, built once per process from the installed packages: the parts of Observable Plot and
 * topojson-client that src/interfaces/web/charts/entry.js names, in one minified file.
 */
async function buildCharts(): Promise<Bundle> {
  const result = await build({
    entryPoints: [join(CHARTS, 'entry.js')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2022',
    write: false,
    legalComments: 'eof',
    logLevel: 'silent',
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
