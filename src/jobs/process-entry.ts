import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The CLI's entry file, for forking the service's child processes: it runs an analysis process when given
 * `__analysis-child` and a classify process when given `__classify-child`. Under tsx (tests) it is the .ts file.
 */
export function cliEntry(): { path: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ext = extname(here);
  return { path: join(dirname(here), '..', 'entry', `cli${ext}`), execArgv: ext === '.ts' ? ['--import', 'tsx'] : [] };
}
