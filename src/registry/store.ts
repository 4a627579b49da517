// SQL writes of an import. Every multi-row write is a few statements over unnest()ed packed columns
// (packed.ts), so a 100,000-item filing costs tens (PostgreSQL) or hundreds (PGlite) of statements,
// not hundreds of thousands. On a PostgreSQL server the rows of an item (chip, transfer) go by COPY
// (db/copy.ts), which costs the server half as much.
import type { Queryable } from '../db/index.js';
import type { ChipState, Filer } from './custody.js';
import { filerPartyKey, nameKey } from './keys.js';
import { slicesWithTurns } from '../db/turn.js';
import { pack, unnestPacked } from './packed.js';
import { copyLine } from '../db/copy.js';
import type { ItemStatus } from './validate.js';
import type { PartyOwnerRow } from './owners.js';

/**
 * Rows per statement on a PostgreSQL server: large enough to amortise round trips, small enough to keep
 * parameters modest. PGlite runs each statement on the event loop's thread, so it takes far fewer
 * (PGLITE_ROWS), and every write gives the loop a turn between its statements (db/turn.ts).
 */
export const CHUNK = 10_000;
export const PGLITE_ROWS = 500;

export async function ensureFilerParty(tx: Queryable, organisationId: number, name: string): Promise<Filer> {
  const rows = await tx.query<{ id: number; country: string | null }>(
    `insert into registry_parties (party_key, name_key, name, roles, organisation_id) values ($1, $2, $3, '{filer}', $4)
     on conflict (party_key) do update set name = excluded.name returning id, country`,
    [filerPartyKey(organisationId), nameKey(name), name, organisationId],
  );
  return { partyId: Number(rows[0].id), nameKey: nameKey(name), name, country: rows[0].country };
}

export interface FilingRow {
  organisationId: number;
  filerPartyId: number;
  purchaseOrder: string | null;
  itemCount: number;
  source: 'csv' | 'xlsx' | 'json';
  receivedAt: Date;
  contentSha256: Buffer;
}

/** Inserts the filing; null when this filer already filed the same content (idempotency). */
export async function insertFiling(tx: Queryable, f: FilingRow): Promise<number | null> {
  const rows = await tx.query<{ id: number }>(
    `insert into registry_filings (organisation_id, filer_party_id, purchase_order, item_count, source, received_at,
       content_sha256, first_leaf_index, tree_size)
     values ($1, $2, $3, $4, $5, $6, $7, -1, -1) on conflict (organisation_id, content_sha256) do nothing returning id`,
    [
      f.organisationId,
      f.filerPartyId,
      f.purchaseOrder,
      f.itemCount,
      f.source,
      f.receivedAt.toISOString(),
      f.contentSha256,
    ],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

export async function findFilingByContent(q: Queryable, organisationId: number, sha: Buffer): Promise<number | null> {
  const rows = await q.query<{ id: number }>(
    'select id from registry_filings where organisation_id = $1 and content_sha256 = $2',
    [organisationId, sha],
  );
  return rows[0] ? Number(rows[0].id) : null;
}

/** A streamed filing's content hash, item count and purchase order, known once its last item is read. */
export async function finishFiling(
  tx: Queryable,
  filingId: number,
  f: { contentSha256: Buffer; itemCount: number; purchaseOrder: string | null },
): Promise<void> {
  await tx.query(
    'update registry_filings set content_sha256 = $2, item_count = $3, purchase_order = $4 where id = $1',
    [filingId, f.contentSha256, f.itemCount, f.purchaseOrder],
  );
}

export async function setFilingLeaves(
  tx: Queryable,
  filingId: number,
  firstLeafIndex: number,
  treeSize: number,
): Promise<void> {
  await tx.query('update registry_filings set first_leaf_index = $2, tree_size = $3 where id = $1', [
    filingId,
    firstLeafIndex,
    treeSize,
  ]);
}

export interface PartyRow {
  key: string;
  nameKey: string;
  name: string;
  address: string;
  phone: string;
  country: string;
  roles: Array<'owner' | 'operator'>;
}

/** Upserts distinct parties (deduplicated by key by the caller); returns key → id. */
export async function upsertParties(
  tx: Queryable,
  parties: readonly PartyRow[],
  size = CHUNK,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for await (const c of slicesWithTurns(parties, size)) {
    const rows = await tx.query<{ id: number; party_key: string }>(
      `insert into registry_parties (party_key, name_key, name, address, phone, country, roles)
       select k, nk, n, a, p, c, string_to_array(r, ',')
       from ${unnestPacked(['text', 'text', 'text', 'text', 'text', 'text', 'text'])} as u(k, nk, n, a, p, c, r)
       on conflict (party_key) do update set name = excluded.name, address = excluded.address, phone = excluded.phone,
         roles = array(select distinct x from unnest(registry_parties.roles || excluded.roles) as x order by 1)
       returning id, party_key`,
      [
        c.map((p) => p.key),
        c.map((p) => p.nameKey),
        c.map((p) => p.name),
        c.map((p) => p.address),
        c.map((p) => p.phone),
        c.map((p) => p.country),
        c.map((p) => p.roles.join(',')),
      ].map(pack),
    );
    for (const r of rows) ids.set(r.party_key, Number(r.id));
  }
  return ids;
}

export interface LocationRow {
  key: string;
  address: string;
  country: string;
  lat: number | null;
  lon: number | null;
  operatorId: number;
  phone: string;
}

export async function upsertLocations(
  tx: Queryable,
  locs: readonly LocationRow[],
  size = CHUNK,
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for await (const c of slicesWithTurns(locs, size)) {
    const rows = await tx.query<{ id: number; location_key: string }>(
      `insert into registry_locations (location_key, address, country, lat, lon, operator_party_id, phone)
       select * from ${unnestPacked(['text', 'text', 'text', 'float8', 'float8', 'bigint', 'text'])}
       on conflict (location_key) do update set address = excluded.address,
         operator_party_id = excluded.operator_party_id, phone = excluded.phone,
         lat = coalesce(excluded.lat, registry_locations.lat), lon = coalesce(excluded.lon, registry_locations.lon)
       returning id, location_key`,
      [
        c.map((l) => l.key),
        c.map((l) => l.address),
        c.map((l) => l.country),
        c.map((l) => l.lat),
        c.map((l) => l.lon),
        c.map((l) => l.operatorId),
        c.map((l) => l.phone),
      ].map(pack),
    );
    for (const r of rows) ids.set(r.location_key, Number(r.id));
  }
  return ids;
}

/** Current custody of the named chips, locked until the filing commits so concurrent filings serialise per chip. */
export async function loadChipStates(
  tx: Queryable,
  serials: readonly string[],
  size = CHUNK,
): Promise<Map<string, ChipState>> {
  const out = new Map<string, ChipState>();
  for await (const c of slicesWithTurns(serials, size)) {
    const rows = await tx.query<{
      serial: string;
      status: ItemStatus;
      current_owner_id: number | null;
      name_key: string | null;
      owner_name: string | null;
      current_location_id: number | null;
      country: string | null;
      address: string | null;
      b: string | null;
      e: string | null;
      product_name: string;
      eccn: string;
    }>(
      `select c.serial, c.status, c.current_owner_id, p.name_key, p.name as owner_name, c.current_location_id,
         l.country, l.address,
              c.last_begin_date::text as b, c.last_complete_date::text as e, c.product_name, c.eccn
       from registry_chips c left join registry_parties p on p.id = c.current_owner_id
         left join registry_locations l on l.id = c.current_location_id
       where c.serial = any($1::text[]) for update of c`,
      [c],
    );
    for (const r of rows) {
      out.set(r.serial, {
        status: r.status,
        ownerId: r.current_owner_id === null ? null : Number(r.current_owner_id),
        ownerNameKey: r.name_key,
        ownerName: r.owner_name,
        locationId: r.current_location_id === null ? null : Number(r.current_location_id),
        locationCountry: r.country,
        locationAddress: r.address,
        lastBegin: r.b,
        lastComplete: r.e,
        product: r.product_name,
        eccn: r.eccn,
      });
    }
  }
  return out;
}

export interface ChipRow {
  serial: string;
  product: string;
  eccn: string;
  status: ItemStatus;
  ownerId: number | null;
  locationId: number | null;
  lastBegin: string | null;
  lastComplete: string | null;
}

/**
 * Inserts new chips and moves known ones to their planned state. New chips (the common case) go in by
 * plain INSERT, which is cheaper than INSERT ... ON CONFLICT; a chip created meanwhile by a concurrent
 * filing still fails the primary key and rolls this filing back rather than being overwritten.
 */
export async function upsertChips(
  tx: Queryable,
  filingId: number,
  chips: readonly ChipRow[],
  known: ReadonlySet<string>,
  size = CHUNK,
): Promise<void> {
  const fresh = chips.filter((c) => !known.has(c.serial));
  const old = chips.filter((c) => known.has(c.serial));
  const cols = (c: readonly ChipRow[]) =>
    [
      c.map((x) => x.serial),
      c.map((x) => x.product),
      c.map((x) => x.eccn),
      c.map((x) => x.status),
      c.map((x) => x.ownerId),
      c.map((x) => x.locationId),
      c.map((x) => x.lastBegin),
      c.map((x) => x.lastComplete),
    ].map(pack);
  const UNNEST =
    `${unnestPacked(['text', 'text', 'text', 'text', 'bigint', 'bigint', 'date', 'date'])}` +
    ' as u(s, p, e, st, o, l, b, x)';
  if (tx.copyFrom && fresh.length) {
    let text = '';
    for (const c of fresh)
      text += copyLine([
        c.serial,
        c.product,
        c.eccn,
        c.status,
        c.ownerId,
        c.locationId,
        c.lastBegin,
        c.lastComplete,
        filingId,
      ]);
    await tx.copyFrom(
      `copy registry_chips (serial, product_name, eccn, status, current_owner_id, current_location_id,
         last_begin_date, last_complete_date, first_filing_id) from stdin`,
      Buffer.from(text),
    );
  } else
    for await (const c of slicesWithTurns(fresh, size)) {
      await tx.query(
        `insert into registry_chips (serial, product_name, eccn, status, current_owner_id, current_location_id,
         last_begin_date, last_complete_date, first_filing_id)
       select s, p, e, st, o, l, b, x, $9 from ${UNNEST}`,
        [...cols(c), filingId],
      );
    }
  for await (const c of slicesWithTurns(old, size)) {
    await tx.query(
      `update registry_chips set product_name = u.p, eccn = u.e, status = u.st, current_owner_id = u.o,
         current_location_id = u.l,
         last_begin_date = u.b, last_complete_date = u.x
       from ${UNNEST} where registry_chips.serial = u.s`,
      cols(c),
    );
  }
}

/** Adds each location's change in chips (registry_locations.chips, what `registry locations` reports). */
export async function addLocationChips(tx: Queryable, delta: ReadonlyMap<number, number>): Promise<void> {
  const moved = [...delta].filter(([, n]) => n !== 0);
  if (!moved.length) return;
  await tx.query(
    `update registry_locations l set chips = l.chips + u.n from ${unnestPacked(['bigint', 'int'])} as u(id, n)
     where l.id = u.id`,
    [pack(moved.map(([id]) => id)), pack(moved.map(([, n]) => n))],
  );
}

export interface TransferRow {
  row: number;
  serial: string;
  status: ItemStatus;
  product: string;
  eccn: string;
  fromOwnerId: number;
  toOwnerId: number;
  fromLocationId: number | null;
  toLocationId: number | null;
  begin: string;
  complete: string;
  purchaseOrder: string | null;
  ownershipChange: boolean;
  locationChange: boolean;
  foreignInvolved: boolean;
  leafIndex: number;
}

/** Column types of the packed transfer arrays, in registry_transfers column order after filing_id. */
const TRANSFER_TYPES = [
  'int',
  'text',
  'text',
  'text',
  'text',
  'bigint',
  'bigint',
  'bigint',
  'bigint',
  'date',
  'date',
  'text',
  'bool',
  'bool',
  'bool',
  'bigint',
];

export async function insertTransfers(
  tx: Queryable,
  filingId: number,
  transfers: readonly TransferRow[],
  size = CHUNK,
): Promise<void> {
  if (tx.copyFrom) {
    if (!transfers.length) return;
    let text = '';
    for (const t of transfers)
      text += copyLine([
        filingId,
        t.row,
        t.serial,
        t.status,
        t.product,
        t.eccn,
        t.fromOwnerId,
        t.toOwnerId,
        t.fromLocationId,
        t.toLocationId,
        t.begin,
        t.complete,
        t.purchaseOrder,
        t.ownershipChange,
        t.locationChange,
        t.foreignInvolved,
        t.leafIndex,
      ]);
    await tx.copyFrom(
      `copy registry_transfers (filing_id, row_number, serial, item_status, product_name, eccn,
         from_owner_id, to_owner_id, from_location_id, to_location_id,
         begin_date, expected_complete_date, purchase_order, ownership_change, location_change, foreign_involved,
         leaf_index) from stdin`,
      Buffer.from(text),
    );
    return;
  }
  for await (const c of slicesWithTurns(transfers, size)) {
    await tx.query(
      `insert into registry_transfers (filing_id, row_number, serial, item_status, product_name, eccn,
         from_owner_id, to_owner_id, from_location_id, to_location_id,
         begin_date, expected_complete_date, purchase_order, ownership_change, location_change, foreign_involved,
         leaf_index)
       select $17, * from ${unnestPacked(TRANSFER_TYPES)}`,
      (
        [
          c.map((t) => t.row),
          c.map((t) => t.serial),
          c.map((t) => t.status),
          c.map((t) => t.product),
          c.map((t) => t.eccn),
          c.map((t) => t.fromOwnerId),
          c.map((t) => t.toOwnerId),
          c.map((t) => t.fromLocationId),
          c.map((t) => t.toLocationId),
          c.map((t) => t.begin),
          c.map((t) => t.complete),
          c.map((t) => t.purchaseOrder),
          c.map((t) => t.ownershipChange),
          c.map((t) => t.locationChange),
          c.map((t) => t.foreignInvolved),
          c.map((t) => t.leafIndex),
        ].map(pack) as Array<string | number>
      ).concat(filingId),
    );
  }
}

export interface FlagRow {
  kind: string;
  serial: string;
  row: number;
  detail: string;
}

export async function insertFlags(
  tx: Queryable,
  filingId: number,
  createdAt: Date,
  flags: readonly FlagRow[],
  size = CHUNK,
): Promise<void> {
  for await (const c of slicesWithTurns(flags, size)) {
    await tx.query(
      `insert into registry_flags (kind, serial, filing_id, row_number, detail, created_at)
       select k, ch, $5, r, d, $6 from ${unnestPacked(['text', 'text', 'int', 'text'])} as u(k, ch, r, d)`,
      [
        ...[c.map((f) => f.kind), c.map((f) => f.serial), c.map((f) => f.row), c.map((f) => f.detail)].map(pack),
        filingId,
        createdAt.toISOString(),
      ],
    );
  }
}

/**
 * Replaces the recorded owners of the parties in `rows` (registry_party_owners): a filing that names a
 * party's owners gives its whole current set.
 */
export async function replacePartyOwners(
  tx: Queryable,
  filingId: number,
  rows: readonly PartyOwnerRow[],
  size = CHUNK,
): Promise<void> {
  if (!rows.length) return;
  const parties = [...new Set(rows.map((r) => r.partyId))];
  for await (const c of slicesWithTurns(parties, size))
    await tx.query('delete from registry_party_owners where party_id = any($1::bigint[])', [c]);
  for await (const c of slicesWithTurns(rows, size)) {
    await tx.query(
      `insert into registry_party_owners (party_id, position, name, country, owner_party_key, share, filing_id)
       select pi, po, n, c, k, s, $7 from ${unnestPacked(['bigint', 'smallint', 'text', 'text', 'text', 'float8'])}
         as u(pi, po, n, c, k, s)`,
      [
        ...[
          c.map((r) => r.partyId),
          c.map((r) => r.position),
          c.map((r) => r.name),
          c.map((r) => r.country),
          c.map((r) => r.ownerKey),
          c.map((r) => r.share),
        ].map(pack),
        filingId,
      ],
    );
  }
}
