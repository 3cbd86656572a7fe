import type { Config } from '../../base/config.js';
import type { Logger } from '../../base/logger.js';
import { openStorage } from '../../storage/open.js';
import { StatisticsRepository } from '../../storage/statistics.repository.js';
import { TaxonomyFileError } from '../../taxonomy/csv.js';
import { readStatisticsFile } from '../../taxonomy/statistics.js';

/**
 * `skills-radar statistics import <file>…`: imports employment service statistics downloaded from Statistics
 * Finland's PxWeb (CSV or JSON-stat2). A file imported before changes nothing; a malformed one stops with file,
 * line and reason, and nothing of it is stored.
 */
export async function statisticsCommand(config: Config, log: Logger, args: string[]): Promise<number> {
  const [verb, ...files] = args;
  if (verb !== 'import' || files.length === 0) {
    process.stderr.write('usage: skills-radar statistics import <file.csv|file.json>…\n');
    return 2;
  }
  const db = await openStorage(config, log);
  try {
    const statistics = new StatisticsRepository(db);
    for (const path of files) {
      let release;
      try {
        release = await readStatisticsFile(path);
      } catch (err) {
        if (err instanceof TaxonomyFileError || (err as NodeJS.ErrnoException).code === 'ENOENT') {
          process.stderr.write(`statistics import failed, nothing of it stored:\n  ${(err as Error).message}\n`);
          return 1;
        }
        throw err;
      }
      const result = await statistics.importRelease(release);
      process.stdout.write(
        result.changed
          ? `Imported ${result.figures} figures from ${release.file} (release ${result.releaseId}).\n`
          : `${release.file} is already imported (release ${result.releaseId}); nothing changed.\n`,
      );
    }
    return 0;
  } finally {
    await db.close();
  }
}
