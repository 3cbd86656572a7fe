import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a document's key is: a segment file of the key directory and the key's place in it. */
export interface KeyRef {
  segment: string;
  slot: number;
}

/** The keys of one write of documents, in order, and where each is. */
export interface IssuedKeys {
  refs: KeyRef[];
  keys: Buffer[];
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** First byte of a sealed value: the format (AES-256-GCM, random IV, the document id as associated data). */
const FORMAT = 1;
/** Keys per segment file (128 KiB), unless one write needs more. */
const SEGMENT_KEYS = 4096;
/** Keys written and synced ahead of need, so that storing documents waits for no disk sync. */
const POOL_KEYS = 256;
/** A segment's name: random, then how many keys it holds when full. */
const SEGMENT = /^[0-9a-f]{24}-([1-9][0-9]{0,8})$/;

/**
 * Per-document encryption keys, kept in files outside the database (crypto-shredding). A document's text is
 * stored sealed with its own key; deleting the document overwrites the key in place, and every copy of the text
 * the database still holds (dead rows, WAL, base backups) can no longer be read. A database row could not do
 * this: its old versions stay in the heap and in WAL long after a DELETE.
 *
 * Keys are appended to segment files, 32 bytes per document at `slot × 32`, and synced before any document
 * sealed with them is stored. Each process appends to a segment of its own (a random name), one write at a
 * time; any process destroys a key by writing zeros over it and syncing, touching only those 32 bytes, so no
 * lock is shared. A full segment whose keys are all destroyed is removed (keys written ahead and never used
 * keep theirs: they seal nothing).
 */
export class DocumentKeys {
  private current: { segment: string; capacity: number; used: number } | undefined;
  private pool: { ref: KeyRef; key: Buffer }[] = [];
  private refilling: Promise<void> | undefined;

  private constructor(readonly dir: string) {}

  /** The key directory `dir`, made (owner-only) when missing. */
  static async open(dir: string): Promise<DocumentKeys> {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return new DocumentKeys(dir);
  }

  /**
   * `count` new keys, on disk (synced) when this resolves. They come from keys written ahead (POOL_KEYS at a
   * time, in the background), so a write of a few documents waits for no disk; a larger one waits for its own.
   */
  async issue(count: number): Promise<IssuedKeys> {
    while (this.pool.length < count) await this.refill(count - this.pool.length);
    const taken = this.pool.splice(0, count);
    if (this.pool.length < POOL_KEYS / 2) this.refill(POOL_KEYS).catch(() => undefined); // retried when needed
    return { refs: taken.map((t) => t.ref), keys: taken.map((t) => t.key) };
  }

  /** Adds at least `count` keys to the pool; one refill at a time, which later callers wait for. */
  private refill(count: number): Promise<void> {
    this.refilling ??= this.append(Math.max(count, POOL_KEYS))
      .then((added) => void this.pool.push(...added))
      .finally(() => (this.refilling = undefined));
    return this.refilling;
  }

  /** Writes `count` new keys at the end of this process's segment (a new one when they do not fit) and syncs. */
  private async append(count: number): Promise<{ ref: KeyRef; key: Buffer }[]> {
    let created = false;
    if (!this.current || this.current.used + count > this.current.capacity) {
      const capacity = Math.max(SEGMENT_KEYS, count);
      this.current = { segment: `${randomBytes(12).toString('hex')}-${capacity}`, capacity, used: 0 };
      created = true;
    }
    const segment = this.current;
    const first = segment.used;
    const bytes = randomBytes(count * KEY_BYTES);
    const file = await open(
      this.path(segment.segment),
      created ? constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY : constants.O_WRONLY,
      0o600,
    );
    try {
      await file.write(bytes, 0, bytes.length, first * KEY_BYTES);
      await file.datasync();
    } catch (err) {
      this.current = undefined; // a segment in doubt gets no more keys
      throw err;
    } finally {
      await file.close();
    }
    if (created) await this.syncDir();
    segment.used += count;
    return Array.from({ length: count }, (_, i) => ({
      ref: { segment: segment.segment, slot: first + i },
      key: bytes.subarray(i * KEY_BYTES, (i + 1) * KEY_BYTES),
    }));
  }

  /** The key at `ref`; undefined when it was destroyed (or never written). */
  async key(ref: KeyRef): Promise<Buffer | undefined> {
    return (await this.keys([ref]))[0];
  }

  /** The keys at `refs`, in order, each segment file opened once (none for a document stored plain). */
  async keys(refs: (KeyRef | undefined)[]): Promise<(Buffer | undefined)[]> {
    const out: (Buffer | undefined)[] = new Array(refs.length).fill(undefined);
    for (const [segment, places] of bySegment(refs)) {
      const file = await openExisting(this.path(segment), 'r');
      if (!file) continue;
      try {
        for (const i of places) {
          const key = Buffer.alloc(KEY_BYTES);
          const { bytesRead } = await file.read(key, 0, KEY_BYTES, refs[i]!.slot * KEY_BYTES);
          if (bytesRead === KEY_BYTES && key.some((b) => b !== 0)) out[i] = key;
        }
      } finally {
        await file.close();
      }
    }
    return out;
  }

  /** Destroys the keys at `refs`: zeros written over each in place and synced before this resolves. */
  async destroy(refs: KeyRef[]): Promise<void> {
    for (const [segment, places] of bySegment(refs)) {
      const file = await openExisting(this.path(segment), 'r+');
      if (!file) continue;
      let gone = false;
      try {
        const zeros = Buffer.alloc(KEY_BYTES);
        for (const i of places) await file.write(zeros, 0, KEY_BYTES, refs[i]!.slot * KEY_BYTES);
        await file.datasync();
        // full (no key will be added) and every key destroyed: the file itself can go
        const all = await file.readFile();
        gone = all.length === Number(SEGMENT.exec(segment)![1]) * KEY_BYTES && all.every((b) => b === 0);
      } finally {
        await file.close();
      }
      if (gone) await unlink(this.path(segment)).catch(() => undefined);
    }
  }

  private path(segment: string): string {
    return join(this.dir, `${segment}.keys`);
  }

  private async syncDir(): Promise<void> {
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}

/** The file at `path` opened with `flags`; undefined when there is none. */
async function openExisting(path: string, flags: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, flags);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The places of `refs` by segment, well-formed references only. */
function bySegment(refs: (KeyRef | undefined)[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  refs.forEach((r, i) => {
    if (!r) return;
    const m = SEGMENT.exec(r.segment);
    if (!m || !Number.isInteger(r.slot) || r.slot < 0 || r.slot >= Number(m[1])) return;
    const places = out.get(r.segment);
    if (places) places.push(i);
    else out.set(r.segment, [i]);
  });
  return out;
}

/** `plain` sealed with `key` (AES-256-GCM), bound to document `id`: sealed under another id it does not open. */
export function seal(key: Buffer, id: string, plain: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(id));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.of(FORMAT), iv, cipher.getAuthTag(), body]);
}

/** What `seal` sealed; throws when the key, the id or the bytes are not those it was sealed with. */
export function unseal(key: Buffer, id: string, sealed: Buffer): string {
  if (sealed[0] !== FORMAT) throw new Error(`sealed value of unknown format ${sealed[0]}`);
  const iv = sealed.subarray(1, 1 + IV_BYTES);
  const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(id));
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(sealed.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}
