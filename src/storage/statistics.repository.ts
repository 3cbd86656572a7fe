import { addMonths } from '../domain/demand.js';
import type { Language } from '../domain/language.js';
import type { OccupationStatistic, OccupationStatisticRow } from '../domain/statistics.js';
import type { Database } from './database.js';

/** What importing a release did: its id, whether anything changed, how many figures it holds. */
export interface StatisticsImport {
  releaseId: number;
  changed: boolean;
  figures: number;
}

/** Figures written per statement. */
const CHUNK = 5_000;

/** The employment service statistics (migration 22): releases and their figures. */
export class StatisticsRepository {
  constructor(private readonly db: Database) {}

  /** Imports a release; the same content again changes nothing. */
  async importRelease(release: {
    contentHash: string;
    file: string;
    title: string | null;
    rows: OccupationStatistic[];
  }): Promise<StatisticsImport> {
    const [known] = await this.db.query<{ id: number; figures: number }>(
      'SELECT id, figures FROM statistics_releases WHERE content_hash = $1',
      [release.contentHash],
    );
    if (known) return { releaseId: known.id, changed: false, figures: known.figures };
    const months = release.rows.map((r) => r.month).sort();
    return this.db.transaction(async (tx) => {
      const [made] = await tx.query<{ id: number }>(
        `INSERT INTO statistics_releases (content_hash, file, title, figures, first_month, last_month)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [
          release.contentHash,
          release.file,
          release.title,
          release.rows.length,
          months[0] ?? null,
          months.at(-1) ?? null,
        ],
      );
      for (let i = 0; i < release.rows.length; i += CHUNK) {
        await tx.query(
          `INSERT INTO occupation_statistics (region, isco, month, vacancies, jobseekers, release_id)
           SELECT region, isco, month, vacancies, jobseekers, $2
           FROM json_to_recordset($1::json) AS r (region text, isco text, month date, vacancies real, jobseekers real)
           ON CONFLICT (region, isco, month) DO UPDATE SET
             vacancies = COALESCE(EXCLUDED.vacancies, occupation_statistics.vacancies),
             jobseekers = COALESCE(EXCLUDED.jobseekers, occupation_statistics.jobseekers),
             release_id = EXCLUDED.release_id`,
          [JSON.stringify(release.rows.slice(i, i + CHUNK)), made!.id],
        );
      }
      await tx.query(
        'INSERT INTO statistics_regions (region) SELECT DISTINCT unnest($1::text[]) ON CONFLICT DO NOTHING',
        [[...new Set(release.rows.map((r) => r.region))]],
      );
      return { releaseId: made!.id, changed: true, figures: release.rows.length };
    });
  }

  /** The releases imported, newest first: the source lines of every answer. */
  async releases(): Promise<
    { file: string; title: string | null; firstMonth: string | null; lastMonth: string | null; importedAt: string }[]
  > {
    const rows = await this.db.query<{
      file: string;
      title: string | null;
      first_month: string | null;
      last_month: string | null;
      imported_at: Date;
    }>(
      `SELECT file, title, to_char(first_month, 'YYYY-MM') AS first_month, to_char(last_month, 'YYYY-MM') AS last_month, imported_at
       FROM statistics_releases ORDER BY id DESC`,
    );
    return rows.map((r) => ({
      file: r.file,
      title: r.title,
      firstMonth: r.first_month,
      lastMonth: r.last_month,
      importedAt: r.imported_at.toISOString(),
    }));
  }

  /**
   * The regions whose figures make up `code`'s: its own where the statistics have them, else its parts' (the
   * maakunnat of the country, the municipalities of a maakunta), each the same way; a grouping's members too.
   */
  async partsOf(code: string, grouping: boolean): Promise<string[]> {
    const rows = await this.db.query<{ code: string }>(
      `WITH RECURSIVE walk AS (
         SELECT r.code, EXISTS (SELECT 1 FROM statistics_regions s WHERE s.region = r.code) AS has
           FROM (SELECT $1::text AS code WHERE NOT $2
                 UNION SELECT region_code FROM region_grouping_members WHERE $2 AND grouping_code = $1) r
         UNION ALL
         SELECT c.code, EXISTS (SELECT 1 FROM statistics_regions s WHERE s.region = c.code)
           FROM regions c JOIN walk w ON c.parent_code = w.code WHERE NOT w.has
       ) SELECT DISTINCT code FROM walk WHERE has ORDER BY code`,
      [code, grouping],
    );
    return rows.map((r) => r.code);
  }

  /**
   * Vacancies and jobseekers per ISCO-08 group at `level` (1–4 digits) in the regions `parts` summed, in the latest
   * month from–to with figures, against the same month a year earlier; null when no month has figures.
   */
  async occupations(
    parts: string[],
    options: {
      level: number;
      from?: string | undefined;
      to?: string | undefined;
      lang: Language;
      isco?: string | undefined;
    },
  ): Promise<{ month: string; rows: OccupationStatisticRow[] } | null> {
    const [latest] = await this.db.query<{ month: string | null }>(
      // each region's newest month in the period, one step down the (region, month) index each
      `SELECT to_char(max(m.month), 'YYYY-MM-DD') AS month
         FROM unnest($1::text[]) AS r (code),
         LATERAL (SELECT month FROM occupation_statistics
                   WHERE region = r.code AND ($2::date IS NULL OR month >= $2) AND ($3::date IS NULL OR month <= $3)
                   ORDER BY month DESC LIMIT 1) m`,
      [parts, options.from ?? null, options.to ?? null],
    );
    const month = latest?.month;
    if (!month) return null;
    const year = addMonths(month, -12);
    const lang = options.lang === 'fi' ? 'fi' : options.lang === 'sv' ? 'sv' : 'en';
    const rows = await this.db.query<{
      key: string;
      label: string | null;
      vacancies: number | null;
      jobseekers: number | null;
      vacancies_before: number | null;
      jobseekers_before: number | null;
    }>(
      `SELECT left(s.isco, $3) AS key, max(COALESCE(g.name_${lang}, g.name_en)) AS label,
              sum(s.vacancies) FILTER (WHERE s.month = $4)::float8 AS vacancies,
              sum(s.jobseekers) FILTER (WHERE s.month = $4)::float8 AS jobseekers,
              sum(s.vacancies) FILTER (WHERE s.month = $5)::float8 AS vacancies_before,
              sum(s.jobseekers) FILTER (WHERE s.month = $5)::float8 AS jobseekers_before
         FROM occupation_statistics s LEFT JOIN isco_groups g ON g.code = left(s.isco, $3)
        WHERE s.region = ANY($1::text[]) AND length(s.isco) = 4 AND s.month IN ($4::date, $5::date)
          AND ($2::text IS NULL OR s.isco LIKE $2 || '%')
        GROUP BY left(s.isco, $3)
        HAVING count(*) FILTER (WHERE s.month = $4) > 0
        ORDER BY key`,
      [parts, options.isco ?? null, options.level, month, year],
    );
    const change = (now: number | null, before: number | null) =>
      now === null || before === null || before === 0 ? null : Math.round(((now - before) / before) * 1000) / 1000;
    return {
      month: month.slice(0, 7),
      rows: rows.map((r) => ({
        key: r.key,
        label: r.label ?? r.key,
        month: month.slice(0, 7),
        vacancies: r.vacancies,
        jobseekers: r.jobseekers,
        ratio:
          r.vacancies !== null && r.jobseekers !== null && r.jobseekers > 0
            ? Math.round((r.vacancies / r.jobseekers) * 1000) / 1000
            : null,
        vacanciesChange: change(r.vacancies, r.vacancies_before),
        jobseekersChange: change(r.jobseekers, r.jobseekers_before),
      })),
    };
  }
}
