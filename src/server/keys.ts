// API keys: `cw_<prefix>_<secret>`. Only SHA-256 of the secret is stored; lookup is by the public
// prefix and the hash comparison is constant-time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/index.js';
import { ValidationError } from '../errors.js';

export const ROLES = ['admin', 'regulator', 'filer', 'auditor', 'analyst', 'compliance'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  keyId: number;
  role: Role;
  organisationId: number | null;
}

const KEY_FORMAT = /^cw_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

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
  const prefix = randomBytes(9).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '0').slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  const hash = createHash('sha256').update(secret).digest();
  const rows = await db.query<{ id: number }>(
    `insert into api_keys (prefix, secret_sha256, role, organisation_id, label) values ($1, $2, $3, $4, $5) returning id`,
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
  return { keyId: Number(row.id), role: row.role, organisationId: row.organisation_id === null ? null : Number(row.organisation_id) };
}

export async function revokeApiKey(db: Queryable, id: number): Promise<boolean> {
  const rows = await db.query('update api_keys set revoked_at = now() where id = $1 and revoked_at is null returning id', [id]);
  return rows.length > 0;
}
