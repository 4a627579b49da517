// SQL for location verification (migration 050). Thin: rows in, rows out.
import type { Queryable } from '../db/index.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { LatLon } from '../geo/index.js';
import { publicKeyFromSpki, type Algorithm, type PublicKey } from './signer.js';
import type { SignedBatch } from './record.js';
import type { RecordFields } from './payloads.js';
import type { Verdict } from './verdict.js';
import type { TrustedLandmark } from './check.js';
import type { ChipState, DeclaredLocationSource } from './fleet.js';

export interface LandmarkRow {
  id: string;
  lat: number;
  lon: number;
  alg: Algorithm;
  publicKey: string;
  host: string;
  port: number;
  active: boolean;
}
export interface ChipInput {
  serial: string;
  publicKey: Buffer;
  shipment?: string | null;
  shippedAt?: Date | null;
  declared?: LatLon | null;
  /** When the first check is due; absent: at shipment (or now, when that is unknown). */
  firstCheckAt?: Date | null;
}

const ms = (d: unknown) => (d === null || d === undefined ? null : new Date(d as string).getTime());

export async function upsertLandmark(
  db: Queryable,
  l: { id: string; lat: number; lon: number; publicKey: Buffer; host: string; port: number },
): Promise<LandmarkRow> {
  const key = publicKeyFromSpki(l.publicKey);
  await db.query(
    `insert into verify_landmarks (id, lat, lon, alg, public_key, host, port) values ($1,$2,$3,$4,$5,$6,$7)
     on conflict (id) do update set lat = excluded.lat, lon = excluded.lon, alg = excluded.alg,
       public_key = excluded.public_key, host = excluded.host, port = excluded.port, active = true`,
    [l.id, l.lat, l.lon, key.alg, l.publicKey, l.host, l.port],
  );
  return {
    id: l.id,
    lat: l.lat,
    lon: l.lon,
    alg: key.alg,
    publicKey: l.publicKey.toString('base64url'),
    host: l.host,
    port: l.port,
    active: true,
  };
}

export async function listLandmarks(db: Queryable): Promise<LandmarkRow[]> {
  const rows = await db.query<{
    id: string;
    lat: number;
    lon: number;
    alg: Algorithm;
    public_key: Uint8Array;
    host: string;
    port: number;
    active: boolean;
  }>('select * from verify_landmarks order by id');
  return rows.map((r) => ({
    id: r.id,
    lat: Number(r.lat),
    lon: Number(r.lon),
    alg: r.alg,
    publicKey: Buffer.from(r.public_key).toString('base64url'),
    host: r.host,
    port: Number(r.port),
    active: r.active,
  }));
}

export function trustedFromRows(rows: readonly LandmarkRow[]): Map<string, TrustedLandmark> {
  return new Map(
    rows.map((r) => [
      r.id,
      { id: r.id, lat: r.lat, lon: r.lon, key: publicKeyFromSpki(Buffer.from(r.publicKey, 'base64url')) },
    ]),
  );
}

export type Enrolled = { serial: string; alg: Algorithm; nextCheckAt: string };

export async function enrolChip(db: Queryable, c: ChipInput): Promise<Enrolled> {
  return (await enrolChips(db, [c]))[0];
}

/** Rows a multi-row enrolment sends per statement (8 parameters a row, well under PostgreSQL's 65,535). */
const ENROL_BATCH = 500;

/**
 * Enrols many chips at once (a shipment, the demo world): each key checked as enrolChip checks it, then multi-row
 * inserts; an already enrolled serial is a conflict for the whole call (run it in a transaction to keep none).
 */
export async function enrolChips(db: Queryable, chips: readonly ChipInput[]): Promise<Enrolled[]> {
  const now = new Date();
  const enrolled: Enrolled[] = [];
  for (let at = 0; at < chips.length; at += ENROL_BATCH) {
    const batch = chips.slice(at, at + ENROL_BATCH);
    const params: unknown[] = [];
    const rows = batch.map((c) => {
      const key = publicKeyFromSpki(c.publicKey);
      const first = c.firstCheckAt ?? c.shippedAt ?? now;
      const values = [c.serial, key.alg, c.publicKey, c.shipment ?? null, c.shippedAt ?? null];
      params.push(...values, c.declared?.lat ?? null, c.declared?.lon ?? null, first);
      enrolled.push({ serial: c.serial, alg: key.alg, nextCheckAt: first.toISOString() });
      const n = params.length - 8;
      const [p1, p2, p3, p4, p5, p6, p7, p8] = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => `$${n + k}`);
      return `(${p1},${p2},${p3},${p4},${p5}::timestamptz,${p6}::float8,${p7}::float8,${p8}::timestamptz)`;
    });
    const stored = await db.query<{ serial: string }>(
      `insert into verify_chips
         (serial, alg, public_key, shipment, shipped_at, declared_lat, declared_lon, next_check_at)
       values ${rows.join(',')} on conflict (serial) do nothing returning serial`,
      params,
    );
    // A chip's enrolled key never changes silently: re-enrolment is a conflict, not an overwrite.
    if (stored.length < batch.length) {
      // The first serial not stored, or stored once already by an earlier row of the same call.
      const done = new Set(stored.map((r) => r.serial));
      const taken = batch.find((c) => !done.delete(c.serial))!.serial;
      throw new ConflictError(`chip ${taken} is already enrolled`, { field: 'serial' });
    }
  }
  return enrolled;
}

export interface ChipRow extends ChipState {
  alg: Algorithm;
  key: PublicKey;
  declared: LatLon | null;
}

export async function chipsBySerial(db: Queryable, serials: readonly string[]): Promise<Map<string, ChipRow>> {
  const rows = await db.query<Record<string, unknown>>('select * from verify_chips where serial = any($1::text[])', [
    serials,
  ]);
  return new Map(
    rows.map((r) => {
      const row: ChipRow = {
        serial: String(r.serial),
        alg: r.alg as Algorithm,
        key: publicKeyFromSpki(Buffer.from(r.public_key as Uint8Array)),
        shipment: (r.shipment as string | null) ?? null,
        shippedAtMs: ms(r.shipped_at),
        enrolledAtMs: ms(r.enrolled_at)!,
        lastVerifiedAtMs: ms(r.last_verified_at),
        declared: r.declared_lat === null ? null : { lat: Number(r.declared_lat), lon: Number(r.declared_lon) },
      };
      return [row.serial, row];
    }),
  );
}

export async function dueSerials(db: Queryable, now: Date, limit: number): Promise<string[]> {
  const rows = await db.query<{ serial: string }>(
    'select serial from verify_chips where next_check_at <= $1 order by next_check_at limit $2',
    [now, limit],
  );
  return rows.map((r) => r.serial);
}

/** The default declared-location source: the site stored at enrolment. */
export function storedDeclaredLocations(db: Queryable): DeclaredLocationSource {
  return {
    async declaredFor(serials) {
      const chips = await chipsBySerial(db, serials);
      return new Map([...chips.values()].filter((c) => c.declared).map((c) => [c.serial, c.declared!] as const));
    },
  };
}

/** Stores a batch and the records accepted from it; a nonce already stored makes its record a replay (returned). */
export async function storeBatch(
  db: Queryable,
  batch: SignedBatch,
  accepted: readonly RecordFields[],
): Promise<Set<string>> {
  const [{ id }] = await db.query<{ id: string }>(
    'insert into verify_batches (landmark_id, body) values ($1, $2) returning id',
    [batch.landmarkId, JSON.stringify(batch)],
  );
  const replays = new Set<string>();
  for (const [idx, r] of accepted.entries()) {
    const ins = await db.query(
      `insert into verify_records (nonce, batch_id, idx, serial, landmark_id, rtt_micros, measured_at)
        values ($1,$2,$3,$4,$5,$6,$7) on conflict (nonce) do nothing returning nonce`,
      [r.nonce, id, idx, r.serial, r.landmarkId, r.rttMicros, new Date(r.timeMs)],
    );
    if (!ins.length) replays.add(r.nonce.toString('base64url'));
  }
  return replays;
}

export async function storeResult(
  db: Queryable,
  serial: string,
  v: Verdict,
  now: Date,
  nextCheckAt: Date,
  requestedBy: number | null,
): Promise<number> {
  const [{ id }] = await db.query<{ id: string }>(
    `insert into verify_results (serial, verdict, declared_consistent, proven_outside, margin_km, evidence, checked_at,
      requested_by)
     values ($1,$2,$3,$4,$5,$6,$7,$8) returning id`,
    [
      serial,
      v.verdict,
      v.declaredConsistent,
      v.provenOutside,
      JSON.stringify(v.marginKm),
      JSON.stringify(v.evidence),
      now,
      requestedBy,
    ],
  );
  await db.query(
    `update verify_chips set last_checked_at = $2, last_verdict = $3, next_check_at = $4,
       last_verified_at = case when $3 = 'proven-outside' then $2 else last_verified_at end where serial = $1`,
    [serial, now, v.verdict, nextCheckAt],
  );
  return Number(id);
}

export interface ResultRow {
  id: number;
  serial: string;
  verdict: string;
  declaredConsistent: boolean | null;
  provenOutside: string[];
  marginKm: Record<string, number>;
  evidence: unknown;
  checkedAt: string;
}

export async function listResults(db: Queryable, serial: string | undefined, limit: number): Promise<ResultRow[]> {
  const rows = await db.query<Record<string, unknown>>(
    `select * from verify_results where ($1::text is null or serial = $1) order by checked_at desc, id desc limit $2`,
    [serial ?? null, limit],
  );
  if (serial && rows.length === 0 && !(await chipsBySerial(db, [serial])).size)
    throw new NotFoundError(`no chip ${serial} is enrolled`, { field: 'serial' });
  return rows.map((r) => ({
    id: Number(r.id),
    serial: String(r.serial),
    verdict: String(r.verdict),
    declaredConsistent: (r.declared_consistent as boolean | null) ?? null,
    provenOutside: (r.proven_outside as string[]) ?? [],
    marginKm: parseJsonb(r.margin_km) as Record<string, number>,
    evidence: parseJsonb(r.evidence),
    checkedAt: new Date(r.checked_at as string).toISOString(),
  }));
}

function parseJsonb(v: unknown): unknown {
  return typeof v === 'string' ? JSON.parse(v) : v;
}

export async function raiseAlert(
  db: Queryable,
  a: { kind: string; serial?: string | null; shipment?: string | null; detail: object },
  now: Date,
): Promise<boolean> {
  const rows = await db.query(
    `insert into verify_alerts (kind, serial, shipment, detail, created_at) values ($1,$2,$3,$4,$5)
      on conflict do nothing returning id`,
    [a.kind, a.serial ?? null, a.shipment ?? null, JSON.stringify(a.detail), now],
  );
  return rows.length > 0;
}

export async function listAlerts(
  db: Queryable,
  openOnly: boolean,
): Promise<
  { id: number; kind: string; serial: string | null; shipment: string | null; detail: unknown; createdAt: string }[]
> {
  const rows = await db.query<Record<string, unknown>>(
    `select * from verify_alerts where ($1::boolean = false or acknowledged_at is null)
      order by created_at desc, id desc limit 1000`,
    [openOnly],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    kind: String(r.kind),
    serial: (r.serial as string | null) ?? null,
    shipment: (r.shipment as string | null) ?? null,
    detail: parseJsonb(r.detail),
    createdAt: new Date(r.created_at as string).toISOString(),
  }));
}

/** Per chip of a shipment: failing = inconsistent now, or past its verification deadline. */
export async function shipmentChips(db: Queryable, shipment: string): Promise<ChipRow[]> {
  const rows = await db.query<{ serial: string }>('select serial from verify_chips where shipment = $1', [shipment]);
  return [
    ...(
      await chipsBySerial(
        db,
        rows.map((r) => r.serial),
      )
    ).values(),
  ];
}

export async function lastVerdicts(db: Queryable, serials: readonly string[]): Promise<Map<string, string | null>> {
  const rows = await db.query<{ serial: string; last_verdict: string | null }>(
    'select serial, last_verdict from verify_chips where serial = any($1::text[])',
    [serials],
  );
  return new Map(rows.map((r) => [r.serial, r.last_verdict]));
}
