import { parseArgs } from 'node:util';
import type { Config } from '../../base/config.js';
import type { Logger } from '../../base/logger.js';
import { openStorage } from '../../storage/open.js';
import { StatisticsRepository } from '../../storage/statistics.repository.js';
import { TaxonomyFileError } from '../../taxonomy/csv.js';
import { downloadStatistics, PxWebError, STATFIN_12TI } from '../../taxonomy/pxweb.js';
import { readStatisticsFile, type StatisticsFile } from '../../taxonomy/statistics.js';

const USAGE = `usage: skills-radar statistics import <file.csv|file.json>…
       skills-radar statistics download [--from YYYY-MM] [--regions maakunnat|all|CODE,…] [--table URL]
`;

/**
 * `skills-radar statistics import <file>…` imports employment service statistics downloaded from Statistics
 * Finland's PxWeb (CSV or JSON-stat2); `statistics download` fetches table 12ti from its API. A release imported
 * before changes nothing; a malformed file or a refusing API stops with the reason, and nothing of it is stored.
 */
export async function statisticsCommand(config: Config, log: Logger, args: string[]): Promise<number> {
  const [verb, ...rest] = args;
  const releases: (() => Promise<StatisticsFile>)[] = [];
  if (verb === 'import' && rest.length > 0) {
    for (const path of rest) releases.push(() => readStatisticsFile(path));
  } else if (verb === 'download') {
    let values;
    try {
      ({ values } = parseArgs({
        args: rest,
        options: { from: { type: 'string' }, regions: { type: 'string' }, table: { type: 'string' } },
      }));
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\n${USAGE}`);
      return 2;
    }
    if (values.from !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.from)) {
      process.stderr.write(`--from takes a month, YYYY-MM (not "${values.from}")\n`);
      return 2;
    }
    const regions = values.regions;
    releases.push(() =>
      downloadStatistics({
        table: values.table ?? STATFIN_12TI,
        from: values.from,
        regions: regions === undefined || regions === 'maakunnat' || regions === 'all' ? regions : regions.split(','),
        progress: (done, total) => process.stderr.write(`\rquery ${done}/${total}`),
      }).finally(() => process.stderr.write('\n')),
    );
  } else {
    process.stderr.write(USAGE);
    return 2;
  }
  const db = await openStorage(config, log);
  try {
    const statistics = new StatisticsRepository(db);
    for (const read of releases) {
      let release;
      try {
        release = await read();
      } catch (err) {
        if (
          err instanceof TaxonomyFileError ||
          err instanceof PxWebError ||
          (err as NodeJS.ErrnoException).code === 'ENOENT'
        ) {
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
