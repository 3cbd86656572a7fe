import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/storage/documents.repository.js';
import { engines, FIXTURE_TAXONOMY } from '../helpers/context.js';
import { startTestService, waitFor, type Inject, type TestService } from '../helpers/service.js';

/**
 * Deletion that forgets: a document's title, text, employer and analysis are stored sealed with a key of its own,
 * kept outside the database; deleting the document destroys the key, so the copies the engine still keeps (dead
 * rows, WAL) cannot be read. The tests grep the engine's files: PGlite's directory, or the server's data
 * directory with its WAL.
 */
describe.each(engines())('deletion that forgets on %s', (engine) => {
  let s: TestService;
  let contributor: Inject;
  let pgliteDir: string | undefined;

  beforeAll(async () => {
    pgliteDir = engine === 'pglite' ? mkdtempSync(join(tmpdir(), 'radar-forget-')) : undefined;
    s = await startTestService(engine, 'forget', {}, FIXTURE_TAXONOMY, { ...(pgliteDir && { pgliteDir }) });
    s.startWorker();
    contributor = (await s.caller('forgetful', 'contributor')).inject;
  }, 60_000);
  afterAll(async () => {
    await s.close();
    if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true });
  });

  /** Every file of the engine's data (WAL included), after a checkpoint has written what it holds in memory. */
  async function engineFiles(): Promise<string> {
    await s.db.query('CHECKPOINT');
    if (pgliteDir) return pgliteDir;
    return (await s.db.query<{ data_directory: string }>('SHOW data_directory'))[0]!.data_directory;
  }

  /** The files under `dir` whose bytes contain `needle`. */
  function filesWith(dir: string, needle: Buffer): string[] {
    const found: string[] = [];
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      let bytes: Buffer;
      try {
        bytes = readFileSync(path);
      } catch {
        continue; // a file the server removed meanwhile
      }
      if (bytes.includes(needle)) found.push(relative(dir, path));
    }
    return found;
  }

  it("leaves a deleted private note's text, title and employer in no database file or WAL, and its key nowhere", async () => {
    const marker = `zqx${randomBytes(6).toString('hex')}`;
    const note = {
      kind: 'meeting_note',
      language: 'fi',
      date: '2026-11-20',
      region: 'Lahti',
      title: `Tapaaminen ${marker}`,
      employer: { name: `${marker} Oy` },
      text: `Tapasimme ${marker} Oy:n toimitusjohtajan Lahdessa. Ensi vuonna tarvitaan viisi hitsaajaa, kun ${marker}-linja laajenee.`,
    };
    const posted = await contributor({ method: 'POST', url: '/v1/documents', payload: note });
    expect(posted.statusCode, posted.body).toBe(202);
    const { id } = posted.json<{ id: string }>();
    const read = await waitFor(
      async () => {
        const doc = (await contributor({ method: 'GET', url: `/v1/documents/${id}` })).json<{
          status: string;
          text: string;
          title: string;
          employer: { name: string };
          analysis?: { cues: { text: string }[] };
        }>();
        return doc.status === 'done' ? doc : undefined;
      },
      30_000,
      'the note analysed',
    );
    // read back whole: text, title, employer, and the analysis with the words it rests on
    expect(read).toMatchObject({ text: note.text, title: note.title, employer: note.employer });
    expect(read.analysis!.cues.map((c) => c.text).join(' ')).toMatch(/ensi vuonna/i);

    const [row] = await s.db.query<{ key_segment: string; key_slot: number }>(
      'SELECT key_segment, key_slot FROM documents WHERE id = $1',
      [id],
    );
    const ref = { segment: row!.key_segment, slot: row!.key_slot };
    const key = await s.documentKeys.key(ref);
    expect(key).toBeDefined();

    // at rest, before any delete: the words are in no file of the engine, though the files are what is searched
    // (the document's content hash, a plain column, is found in them)
    let files = await engineFiles();
    expect(filesWith(files, Buffer.from(contentHash({ ...note, kind: 'meeting_note' }))).length).toBeGreaterThan(0);
    expect(filesWith(files, Buffer.from(marker))).toEqual([]);
    expect(filesWith(files, key!)).toEqual([]);

    const deleted = await contributor({ method: 'DELETE', url: `/v1/documents/${id}` });
    expect(deleted.statusCode).toBe(204);
    expect((await contributor({ method: 'GET', url: `/v1/documents/${id}` })).statusCode).toBe(404);
    // the key is gone from its segment and from every file of the key directory
    expect(await s.documentKeys.key(ref)).toBeUndefined();
    expect(filesWith(s.documentKeys.dir, key!)).toEqual([]);
    files = await engineFiles();
    expect(filesWith(files, Buffer.from(marker))).toEqual([]);
    expect(filesWith(files, key!)).toEqual([]);
  });

  it('seals the documents an earlier version stored plain, and reads them as before', async () => {
    const id = randomUUID();
    const text = 'Vanha muistiinpano: ensi vuonna tarvitaan hitsaajia Lahteen.';
    await s.db.query(
      `INSERT INTO documents (id, kind, title, text, employer, content_hash, org_id, visibility)
       VALUES ($1, 'meeting_note', 'Vanha', $2, '{"name": "Vanha Oy"}', $3, $4, 'private')`,
      [id, text, contentHash({ kind: 'meeting_note', title: 'Vanha', text }), s.orgId],
    );
    const analysis = { language: 'fi', cues: [{ sentenceIndex: 0, start: 19, end: 30, text: 'ensi vuonna' }] };
    await s.db.query(
      `INSERT INTO document_analyses (document_id, language, pipeline_version, analysis) VALUES ($1, 'fi', 'old', $2)`,
      [id, JSON.stringify(analysis)],
    );
    // the search above finds a text stored plain: the control that its empty answers mean something
    expect(filesWith(await engineFiles(), Buffer.from(text)).length).toBeGreaterThan(0);
    const before = await s.documents.get(id);
    expect(before).toMatchObject({ text, title: 'Vanha', employer: { name: 'Vanha Oy' } });

    let sealed = 0;
    for (let n = await s.documents.sealPlain(); n > 0; n = await s.documents.sealPlain()) sealed += n;
    expect(sealed).toBeGreaterThanOrEqual(2);
    const [doc] = await s.db.query<{ text: string | null; title: string | null; employer: unknown; sealed: unknown }>(
      'SELECT text, title, employer, sealed FROM documents WHERE id = $1',
      [id],
    );
    expect(doc).toMatchObject({ text: null, title: null, employer: null });
    expect(doc!.sealed).not.toBeNull();
    const [stored] = await s.db.query<{ analysis: unknown }>(
      'SELECT analysis FROM document_analyses WHERE document_id = $1',
      [id],
    );
    expect(stored!.analysis).toBeNull();
    expect(await s.documents.get(id)).toEqual(before);
    expect((await s.documents.analysisOf(id))?.cues).toEqual(analysis.cues);

    // and deleting it now forgets it as any other
    expect(await s.documents.delete(id, s.orgId)).toBe(true);
    expect(await s.documents.get(id)).toBeUndefined();
  });
});
