import { parseArgs } from 'node:util';
import type { Config } from '../../base/config.js';
import type { Logger } from '../../base/logger.js';
import { openStorage } from '../../storage/open.js';
import { TaxonomyFileError } from '../../taxonomy/csv.js';
import { importTaxonomy } from '../../taxonomy/import.js';
import { progressReporter } from '../progress.js';

/** `skills-radar taxonomy import --from <dir>`: imports the official classifications into the database. */
export async function taxonomyCommand(config: Config, log: Logger, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { from: { type: 'string' } }, allowPositionals: true });
  if (positionals[0] !== 'import') {
    process.stderr.write('usage: skills-radar taxonomy import --from <dir>\n');
    return 2;
  }
  const from = values.from ?? config.TAXONOMY_DIR;
  if (!from) {
    process.stderr.write('taxonomy import: give --from <dir> (or set TAXONOMY_DIR)\n');
    return 2;
  }
  const db = await openStorage(config, log);
  const progress = progressReporter();
  try {
    const result = await importTaxonomy(db, from, progress.update);
    progress.stop();
    const counts = Object.entries(result.counts)
      .map(([t, n]) => `  ${t.padEnd(24)} ${n}`)
      .join('\n');
    process.stdout.write(
      result.changed
        ? `Imported taxonomy version ${result.versionId} (ESCO ${result.escoVersion}) from ${from}:\n${counts}\n`
        : `Taxonomy version ${result.versionId} (ESCO ${result.escoVersion}) is already imported from the same data; nothing changed.\n`,
    );
    return 0;
  } catch (err) {
    progress.stop();
    if (err instanceof TaxonomyFileError) {
      process.stderr.write(`taxonomy import failed, the previous taxonomy is unchanged:\n  ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await db.close();
  }
}
