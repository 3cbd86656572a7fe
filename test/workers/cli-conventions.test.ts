import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/base/paths.js';
import { runCli } from '../helpers/processes.js';

const COMMANDS = ['start', 'api', 'worker', 'migrate', 'orgs', 'keys', 'taxonomy', 'eval', 'calibrate', 'classify'];

describe('skills-radar command-line conventions', () => {
  it('prints its version with --version', async () => {
    const { version } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = runCli([flag], {});
      expect(await run.exited).toBe(0);
      expect(run.output().trim()).toBe(`skills-radar ${version}`);
    }
  });

  it('explains every command with --help, without configuration or side effects, and exits 0', async () => {
    const runs = COMMANDS.map((command) => ({ command, run: runCli([command, '--help'], { PORT: 'not-a-port' }) }));
    for (const { command, run } of runs) {
      expect(await run.exited, run.output()).toBe(0);
      expect(run.output()).toMatch(new RegExp(`^usage: skills-radar ${command}\\b`));
    }
    const classify = runCli(['help', 'classify'], {});
    expect(await classify.exited).toBe(0);
    expect(classify.output()).toMatch(/--out FILE[\s\S]*input order[\s\S]*Exit status/);
  });

  it('lists the commands when given none (status 2) or asked (status 0)', async () => {
    const none = runCli([], {});
    expect(await none.exited).toBe(2);
    const asked = runCli(['--help'], {});
    expect(await asked.exited).toBe(0);
    for (const command of COMMANDS) expect(asked.output()).toMatch(new RegExp(`^  ${command} `, 'm'));
  });
});
