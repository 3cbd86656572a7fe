import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { ROLES, type Principal, type Role } from '../domain/access.js';
import type { Queryable } from './database.js';

export interface Organisation {
  id: string;
  name: string;
  createdAt: Date;
  keys: number;
}

export interface KeyInfo {
  id: string;
  prefix: string;
  org: string;
  role: Role;
  label: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** One read of a document's text, from the audit log. */
export interface AuditRead {
  at: Date;
  org: string;
  keyPrefix: string;
  action: string;
  documentId: string;
  route: string;
}

export class AuthError extends Error {}

/** `sdr_` + 12 hex characters that find the key + 43 characters of secret (256 bits). */
const KEY_PATTERN = /^sdr_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const ORG_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,99}$/u;

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * Organisations and their API keys. A key is shown once, when it is made; the database keeps its SHA-256 (a
 * 256-bit random secret needs no slow hash), so a copy of the database gives no working key. Verified keys are
 * remembered for `cacheMs`, so revoking one takes effect within that time in every process.
 */
export class KeysRepository {
  private readonly cache = new Map<string, { principal: Principal | undefined; until: number }>();
  /** unknown keys are remembered apart, so that a stream of made-up keys cannot push the valid ones out */
  private readonly unknown = new Map<string, { principal: undefined; until: number }>();
  private readonly lookups = new Map<string, Promise<Principal | undefined>>();
  /** counts revocations: a lookup that began before one does not cache its answer */
  private generation = 0;

  constructor(
    private readonly db: Queryable,
    private readonly cacheMs = 10_000,
  ) {}

  async createOrganisation(name: string): Promise<Organisation> {
    if (!ORG_NAME.test(name))
      throw new AuthError(
        `organisation name ${JSON.stringify(name)}: 1–100 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit`,
      );
    const rows = await this.db.query<{ id: string; created_at: Date }>(
      'INSERT INTO organisations (id, name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING id, created_at',
      [randomUUID(), name],
    );
    if (!rows[0]) throw new AuthError(`organisation ${JSON.stringify(name)} exists already`);
    return { id: rows[0].id, name, createdAt: rows[0].created_at, keys: 0 };
  }

  /** Every organisation, or only the one with id `orgId`. */
  async organisations(orgId?: string): Promise<Organisation[]> {
    const rows = await this.db.query<{ id: string; name: string; created_at: Date; keys: number }>(
      `SELECT o.id, o.name, o.created_at, count(k.id) FILTER (WHERE k.revoked_at IS NULL)::int AS keys
       FROM organisations o LEFT JOIN api_keys k ON k.org_id = o.id
       WHERE $1::uuid IS NULL OR o.id = $1 GROUP BY o.id ORDER BY o.name`,
      [orgId ?? null],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, keys: r.keys }));
  }

  /** A new key for the organisation; the returned `key` is the only time it is seen in full. */
  async createKey(orgName: string, role: Role, label?: string): Promise<{ key: string; info: KeyInfo }> {
    if (!ROLES.includes(role)) throw new AuthError(`role ${JSON.stringify(role)}: one of ${ROLES.join(', ')}`);
    const org = (await this.db.query<{ id: string }>('SELECT id FROM organisations WHERE name = $1', [orgName]))[0];
    if (!org) throw new AuthError(`no organisation ${JSON.stringify(orgName)} (skills-radar orgs create <name>)`);
    const prefix = randomBytes(6).toString('hex');
    const key = `sdr_${prefix}_${randomBytes(32).toString('base64url')}`;
    const id = randomUUID();
    const rows = await this.db.query<{ created_at: Date }>(
      'INSERT INTO api_keys (id, org_id, role, prefix, hash, label) VALUES ($1, $2, $3, $4, $5, $6) RETURNING created_at',
      [id, org.id, role, prefix, sha256(key).toString('hex'), label ?? null],
    );
    return {
      key,
      info: { id, prefix, org: orgName, role, label: label ?? null, createdAt: rows[0]!.created_at, revokedAt: null },
    };
  }

  async keys(orgName?: string): Promise<KeyInfo[]> {
    const rows = await this.db.query<{
      id: string;
      prefix: string;
      org: string;
      role: Role;
      label: string | null;
      created_at: Date;
      revoked_at: Date | null;
    }>(
      `SELECT k.id, k.prefix, o.name AS org, k.role, k.label, k.created_at, k.revoked_at
       FROM api_keys k JOIN organisations o ON o.id = k.org_id
       WHERE $1::text IS NULL OR o.name = $1 ORDER BY o.name, k.created_at`,
      [orgName ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      prefix: r.prefix,
      org: r.org,
      role: r.role,
      label: r.label,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
    }));
  }

  /**
   * Revokes the key with this prefix (the 12 characters after `sdr_`), only if it belongs to organisation
   * `orgId` when that is given; false when there is no such key in force.
   */
  async revoke(prefix: string, orgId?: string): Promise<boolean> {
    const rows = await this.db.query(
      'UPDATE api_keys SET revoked_at = now() WHERE prefix = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR org_id = $2) RETURNING id',
      [prefix, orgId ?? null],
    );
    this.generation++;
    this.cache.clear();
    this.unknown.clear();
    this.lookups.clear();
    return rows.length > 0;
  }

  async hasOperator(): Promise<boolean> {
    return (
      (await this.db.query("SELECT 1 FROM api_keys WHERE role = 'operator' AND revoked_at IS NULL LIMIT 1")).length > 0
    );
  }

  /** Whether the key is in the cache as valid now: no database work to tell. */
  knownValid(presented: string): boolean {
    const cached = this.cache.get(presented);
    return cached !== undefined && cached.until > Date.now();
  }

  /**
   * The principal of a presented key, or undefined for a malformed, unknown or revoked one. A key in steady use
   * never waits for the database: past half its time in the cache, its entry is renewed in the background while
   * the cached answer is given (one lookup per key at a time), so a revocation still holds within `cacheMs`.
   */
  async verify(presented: string): Promise<Principal | undefined> {
    const match = KEY_PATTERN.exec(presented);
    if (!match) return undefined;
    const cached = this.cache.get(presented) ?? this.unknown.get(presented);
    const left = cached ? cached.until - Date.now() : 0;
    if (cached && left > 0) {
      if (left < this.cacheMs / 2) this.lookup(presented, match[1]!).catch(() => undefined);
      return cached.principal;
    }
    return this.lookup(presented, match[1]!);
  }

  private lookup(presented: string, prefix: string): Promise<Principal | undefined> {
    let pending = this.lookups.get(presented);
    if (!pending) {
      pending = this.fetch(presented, prefix).finally(() => this.lookups.delete(presented));
      this.lookups.set(presented, pending);
    }
    return pending;
  }

  private async fetch(presented: string, prefix: string): Promise<Principal | undefined> {
    const generation = this.generation;
    const row = (
      await this.db.query<{ id: string; org_id: string; org: string; role: Role; hash: string }>(
        `SELECT k.id, k.org_id, o.name AS org, k.role, k.hash FROM api_keys k JOIN organisations o ON o.id = k.org_id
         WHERE k.prefix = $1 AND k.revoked_at IS NULL`,
        [prefix],
      )
    )[0];
    const principal =
      row && timingSafeEqual(Buffer.from(row.hash, 'hex'), sha256(presented))
        ? { keyId: row.id, orgId: row.org_id, orgName: row.org, role: row.role }
        : undefined;
    // a key revoked while this lookup ran is not put back
    if (this.cacheMs > 0 && generation === this.generation) {
      const until = Date.now() + this.cacheMs;
      if (principal) {
        if (this.cache.size > 10_000) this.cache.clear();
        this.cache.set(presented, { principal, until });
        this.unknown.delete(presented);
      } else {
        if (this.unknown.size > 10_000) this.unknown.clear();
        this.unknown.set(presented, { principal, until });
        this.cache.delete(presented);
      }
    }
    return principal;
  }

  /** Records that `principal` read the raw text of these documents, with each document's owner. */
  async audit(principal: Principal, action: string, documentIds: string[], route: string): Promise<void> {
    if (documentIds.length === 0) return;
    await this.db.query(
      `INSERT INTO audit_log (org_id, key_id, action, document_id, route, owner_org_id)
       SELECT $1, $2, $3, d.id, $5, d.org_id FROM documents d WHERE d.id = ANY($4::uuid[])`,
      [principal.orgId, principal.keyId, action, documentIds, route],
    );
  }

  /**
   * Who read the texts of organisation `orgId`'s documents (of one document, if given), newest first; the reads
   * of deleted documents stay.
   */
  async reads(orgId: string, documentId: string | undefined, limit: number): Promise<AuditRead[]> {
    const rows = await this.db.query<{
      at: Date;
      org: string;
      prefix: string;
      action: string;
      document_id: string;
      route: string;
    }>(
      `SELECT a.at, o.name AS org, k.prefix, a.action, a.document_id, a.route
       FROM audit_log a JOIN organisations o ON o.id = a.org_id JOIN api_keys k ON k.id = a.key_id
       WHERE a.owner_org_id = $1 AND ($2::uuid IS NULL OR a.document_id = $2) ORDER BY a.at DESC, a.id DESC LIMIT $3`,
      [orgId, documentId ?? null, limit],
    );
    return rows.map((r) => ({
      at: r.at,
      org: r.org,
      keyPrefix: r.prefix,
      action: r.action,
      documentId: r.document_id,
      route: r.route,
    }));
  }
}
