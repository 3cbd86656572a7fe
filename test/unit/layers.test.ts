import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/base/paths.js';

/** The house rules of .dependency-cruiser.cjs, as `npm run check:layers` applies them to src/. */
function checkLayers(dir: string): { status: number | null; output: string } {
  const bin = join(PROJECT_ROOT, 'node_modules', '.bin', 'depcruise');
  const run = spawnSync(bin, [dir, '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('the layer check', () => {
  it('fails on an import cycle and on imports up the layers', () => {
    const { status, output } = checkLayers('test/fixtures/layers/src');
    expect(status).not.toBe(0);
    expect(output).toMatch(/no-circular: test\/fixtures\/layers\/src\/analysis\/lemmas\.ts/);
    expect(output).toMatch(
      /layer-storage: test\/fixtures\/layers\/src\/storage\/rows\.ts → test\/fixtures\/layers\/src\/jobs\/queue\.ts/,
    );
    expect(output).toMatch(
      /layer-analysis: test\/fixtures\/layers\/src\/analysis\/lemmas\.ts → test\/fixtures\/layers\/src\/storage\/rows\.ts/,
    );
  });

  it('passes on the project', () => {
    const { status, output } = checkLayers('src');
    expect(output).toMatch(/no dependency violations found/);
    expect(status).toBe(0);
  });
});
