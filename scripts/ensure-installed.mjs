// Runs `npm ci` before `npm start` / `npm test` when node_modules is missing or older than package-lock.json,
// so that those two commands are the whole set-up on a fresh checkout. Plain Node: no dependency of its own.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const installed = 'node_modules/.package-lock.json';
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync('package-lock.json').mtimeMs) {
  process.stderr.write('installing the dependencies (npm ci)…\n');
  const run = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
}
