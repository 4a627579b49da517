// Organisations and API keys, in one place. A key is `cw_<prefix>_<secret>`: only SHA-256 of the
// secret is stored (it has 256 bits of entropy, so a slow hash adds nothing); lookup is by the public
// prefix and the hash comparison is constant-time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db, Queryable } from '../db/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Principal, Role } from '../http/principal.js';

const KEY_FORMAT = /^cw_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

/** The organisation's id, creating it on first use (filers, keys and imports all go through here). */
export async function ensureOrganisation(db: Queryable, name: string): Promise<number> {
  const clean = name.trim();
  if (!clean) throw new ValidationError('organisation name must not be empty', { field: 'organisation' });
  const rows = await db.query<{ id: number }>(
    `insert into organisations (name) values ($1)
     on conflict (name) do update set name = excluded.name returning id`,
    [clean],
  );
  return Number(rows[0].id);
}

export async function createApiKey(
  db: Queryable,
  opts: { role: Role; organisationId?: number | null; label?: string },
): Promise<{ id: number; key: string }> {
  const prefix = randomBytes(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  const hash = createHash('sha256').update(secret).digest();
  const rows = await db.query<{ id: number }>(
    `insert into api_keys (prefix, secret_sha256, role, organisation_id, label)
     values ($1, $2, $3, $4, $5) returning id`,
    [prefix, hash, opts.role, opts.organisationId ?? null, opts.label ?? ''],
  );
  return { id: Number(rows[0].id), key: `cw_${prefix}_${secret}` };
}

/** Resolves a presented key (attacker-controlled) to its principal, or null. */
export async function authenticateKey(db: Queryable, presented: string): Promise<Principal | null> {
  const m = KEY_FORMAT.exec(presented);
  if (!m) return null;
  const rows = await db.query<{ id: number; role: Role; organisation_id: number | null; secret_sha256: Uint8Array }>(
    'select id, role, organisation_id, secret_sha256 from api_keys where prefix = $1 and revoked_at is null',
    [m[1]],
  );
  const row = rows[0];
  if (!row) return null;
  const hash = createHash('sha256').update(m[2]).digest();
  const stored = Buffer.from(row.secret_sha256);
  if (stored.length !== hash.length || !timingSafeEqual(stored, hash)) return null;
  const organisationId = row.organisation_id === null ? null : Number(row.organisation_id);
  return { keyId: Number(row.id), role: row.role, organisationId };
}

/** A key as listed: never the secret or its hash. */
export interface KeyInfo {
  id: number;
  prefix: string;
  role: Role;
  organisation: string | null;
  label: string;
  createdAt: string;
  revokedAt: string | null;
}

export async function listApiKeys(db: Queryable): Promise<KeyInfo[]> {
  const rows = await db.query<{
    id: number;
    prefix: string;
    role: Role;
    organisation: string | null;
    label: string;
    created_at: Date;
    revoked_at: Date | null;
  }>(
    `select k.id, k.prefix, k.role, o.name as organisation, k.label, k.created_at, k.revoked_at
     from api_keys k left join organisations o on o.id = k.organisation_id order by k.id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    prefix: r.prefix,
    role: r.role,
    organisation: r.organisation,
    label: r.label,
    createdAt: new Date(r.created_at).toISOString(),
    revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
  }));
}

/**
 * Revokes key `id`. Refuses to revoke the last active admin key (nobody could administer keys over
 * HTTP afterwards); the check and the update share a transaction that locks the admin keys.
 */
export async function revokeApiKey(db: Db, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const admins = await tx.query<{ id: number }>(
      "select id from api_keys where role = 'admin' and revoked_at is null order by id for update",
    );
    const rows = await tx.query<{ role: Role; revoked_at: Date | null }>(
      'select role, revoked_at from api_keys where id = $1',
      [id],
    );
    const key = rows[0];
    if (!key) throw new NotFoundError(`no API key with id ${id}`, { field: 'id' });
    if (key.revoked_at) throw new ConflictError(`API key ${id} is already revoked`, { field: 'id' });
    if (key.role === 'admin' && admins.length === 1) {
      const why = `API key ${id} is the last active admin key: create another admin key before revoking it`;
      throw new ConflictError(why, { field: 'id' });
    }
    await tx.query('update api_keys set revoked_at = now() where id = $1', [id]);
  });
}
