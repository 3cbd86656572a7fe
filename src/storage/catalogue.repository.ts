import { randomUUID } from 'node:crypto';
import {
  RHYTHM_MONTHS,
  type CalendarEntry,
  type KnowledgeSource,
  type KnowledgeSourceChange,
  type NewCalendarEntry,
  type NewKnowledgeSource,
  type ReceivedSource,
} from '../domain/catalogue.js';
import type { Database } from './database.js';

/** Why a catalogue change was refused: the route answers with the status and names the field. */
export class CatalogueError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

/** Who is changing the catalogue: an organisation changes its own entries, an operator any. */
export interface Editor {
  orgId: string;
  operator: boolean;
}

interface SourceRow {
  id: string;
  organisation: string;
  name: string;
  kind: KnowledgeSource['kind'];
  owner: string;
  rhythm: KnowledgeSource['rhythm'];
  last_update: string | null;
  url: string | null;
  description: string | null;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** When a source is due again: its last update plus its rhythm. */
export function nextDue(lastUpdate: string | null, rhythm: KnowledgeSource['rhythm']): string | null {
  const months = RHYTHM_MONTHS[rhythm];
  if (!lastUpdate || months === null) return null;
  const d = new Date(`${lastUpdate}T00:00:00Z`);
  if (months < 1) {
    d.setUTCDate(d.getUTCDate() + 7);
    return day(d);
  }
  // the same day months later, or that month's last ("2026-10-31" monthly: "2026-11-30")
  const month = d.getUTCMonth() + months;
  return dueIn(d.getUTCFullYear() + Math.floor(month / 12), (month % 12) + 1, d.getUTCDate());
}

/** The day an annual product is due in `year`: its day, or the month's last when it has none or too few days. */
export function dueIn(year: number, month: number, dayOfMonth: number | null): string {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day(new Date(Date.UTC(year, month - 1, Math.min(dayOfMonth ?? last, last))));
}

/** The catalogue of sources and the calendar of knowledge products (migration 18). */
export class CatalogueRepository {
  constructor(private readonly db: Database) {}

  async sources(): Promise<KnowledgeSource[]> {
    const rows = await this.db.query<SourceRow>(
      `SELECT s.id, o.name AS organisation, s.name, s.kind, s.owner, s.rhythm, s.last_update::text AS last_update,
              s.url, s.description
         FROM knowledge_sources s JOIN organisations o ON o.id = s.org_id
        ORDER BY s.kind, lower(s.name)`,
    );
    return rows.map((r) => ({
      id: r.id,
      organisation: r.organisation,
      name: r.name,
      kind: r.kind,
      owner: r.owner,
      rhythm: r.rhythm,
      lastUpdate: r.last_update,
      url: r.url,
      description: r.description,
      nextDue: nextDue(r.last_update, r.rhythm),
    }));
  }

  /**
   * What the platform holds per organisation and kind of document: the caller's own documents, and the other
   * organisations' shared ones (their private notes are not theirs to list).
   */
  async received(orgId: string): Promise<ReceivedSource[]> {
    return this.db.query<ReceivedSource>(
      `SELECT o.name AS organisation, d.kind, count(*)::int AS documents,
              max(d.created_at)::date::text AS "lastReceived", max(d.doc_date)::text AS newest
         FROM documents d JOIN organisations o ON o.id = d.org_id
        WHERE d.org_id = $1::uuid OR d.visibility = 'shared'
        GROUP BY o.name, d.kind
        ORDER BY o.name, d.kind`,
      [orgId],
    );
  }

  async addSource(input: NewKnowledgeSource, orgId: string): Promise<KnowledgeSource> {
    const id = randomUUID();
    await this.uniqueName(orgId, input.name);
    await this.db.query(
      `INSERT INTO knowledge_sources (id, org_id, name, kind, owner, rhythm, last_update, url, description)
       VALUES ($1, $2::uuid, $3, $4, $5, $6, $7::date, $8, $9)`,
      [
        id,
        orgId,
        input.name.trim(),
        input.kind,
        input.owner.trim(),
        input.rhythm,
        input.lastUpdate ?? null,
        input.url ?? null,
        input.description ?? null,
      ],
    );
    return (await this.sources()).find((s) => s.id === id)!;
  }

  async changeSource(id: string, change: KnowledgeSourceChange, editor: Editor): Promise<KnowledgeSource> {
    const owner = await this.ownerOf('knowledge_sources', id, 'source');
    this.mayEdit(owner, editor);
    if (change.name !== undefined) await this.uniqueName(owner, change.name, id);
    const columns: [string, unknown][] = [
      ['name', change.name?.trim()],
      ['kind', change.kind],
      ['owner', change.owner?.trim()],
      ['rhythm', change.rhythm],
      ['last_update', change.lastUpdate],
      ['url', change.url],
      ['description', change.description],
    ];
    const set = columns.filter(([, v]) => v !== undefined);
    const params: unknown[] = [id];
    const assignments = set.map(([c, v]) => `${c} = $${params.push(v)}${c === 'last_update' ? '::date' : ''}`);
    await this.db.query(`UPDATE knowledge_sources SET ${assignments.join(', ')} WHERE id = $1::uuid`, params);
    return (await this.sources()).find((s) => s.id === id)!;
  }

  async removeSource(id: string, editor: Editor): Promise<void> {
    this.mayEdit(await this.ownerOf('knowledge_sources', id, 'source'), editor);
    await this.db.query('DELETE FROM knowledge_sources WHERE id = $1::uuid', [id]);
  }

  /** The calendar's products as due in `year`, soonest first, with their regions' names in `lang`. */
  async calendar(year: number, lang: 'fi' | 'sv' | 'en'): Promise<CalendarEntry[]> {
    const rows = await this.db.query<{
      id: string;
      organisation: string;
      title: string;
      due_month: number;
      due_day: number | null;
      region: string | null;
      region_name: string | null;
      owner: string;
      description: string | null;
    }>(
      `SELECT c.id, o.name AS organisation, c.title, c.due_month, c.due_day, c.region,
              COALESCE(r.name_${lang}, r.name_fi, g.name_${lang}, g.name_fi) AS region_name, c.owner, c.description
         FROM knowledge_calendar c JOIN organisations o ON o.id = c.org_id
         LEFT JOIN regions r ON r.code = c.region
         LEFT JOIN region_groupings g ON g.code = c.region`,
    );
    return rows
      .map((r) => ({
        id: r.id,
        organisation: r.organisation,
        title: r.title,
        due: dueIn(year, r.due_month, r.due_day),
        region: r.region ? { code: r.region, name: r.region_name ?? r.region } : null,
        owner: r.owner,
        description: r.description,
      }))
      .sort((a, b) => a.due.localeCompare(b.due) || a.title.localeCompare(b.title));
  }

  /** A product due every year; `region` is a region or grouping code the caller has resolved. */
  async addCalendarEntry(
    input: NewCalendarEntry,
    region: string | null,
    orgId: string,
    lang: 'fi' | 'sv' | 'en',
  ): Promise<CalendarEntry> {
    if (input.dueDay !== undefined && input.dueDay > new Date(Date.UTC(2024, input.dueMonth, 0)).getUTCDate())
      throw new CatalogueError(400, 'dueDay', `month ${input.dueMonth} has no day ${input.dueDay}`);
    const id = randomUUID();
    await this.db.query(
      `INSERT INTO knowledge_calendar (id, org_id, title, region, due_month, due_day, owner, description)
       VALUES ($1, $2::uuid, $3, $4, $5, $6, $7, $8)`,
      [
        id,
        orgId,
        input.title.trim(),
        region,
        input.dueMonth,
        input.dueDay ?? null,
        input.owner.trim(),
        input.description ?? null,
      ],
    );
    return (await this.calendar(new Date().getUTCFullYear(), lang)).find((e) => e.id === id)!;
  }

  async removeCalendarEntry(id: string, editor: Editor): Promise<void> {
    this.mayEdit(await this.ownerOf('knowledge_calendar', id, 'calendar entry'), editor);
    await this.db.query('DELETE FROM knowledge_calendar WHERE id = $1::uuid', [id]);
  }

  private async ownerOf(table: 'knowledge_sources' | 'knowledge_calendar', id: string, what: string) {
    const found = /^[0-9a-f-]{36}$/i.test(id)
      ? await this.db.query<{ org_id: string }>(`SELECT org_id FROM ${table} WHERE id = $1::uuid`, [id])
      : [];
    if (!found[0]) throw new CatalogueError(404, 'id', `no ${what} ${id}`);
    return found[0].org_id;
  }

  private mayEdit(owner: string, editor: Editor): void {
    if (!editor.operator && owner !== editor.orgId)
      throw new CatalogueError(403, undefined, 'an entry is changed by the organisation that made it or an operator');
  }

  private async uniqueName(orgId: string, name: string, except?: string): Promise<void> {
    const taken = await this.db.query(
      `SELECT 1 FROM knowledge_sources WHERE org_id = $1::uuid AND lower(name) = lower($2)
         AND ($3::uuid IS NULL OR id <> $3::uuid)`,
      [orgId, name.trim(), except ?? null],
    );
    if (taken.length > 0)
      throw new CatalogueError(409, 'name', `the organisation already has a source named ${JSON.stringify(name)}`);
  }
}
