// Read side, per chip and per party: a chip's ownership and location timeline (each step with its
// filing), and parties with the chips they hold.
import type { Queryable } from '../db/index.js';
import { NotFoundError } from '../errors.js';
import { nameKey } from './keys.js';

export interface PartyRef {
  id: number;
  name: string;
  country: string | null;
}
export interface LocationRef {
  id: number;
  address: string;
  country: string;
  operator: string;
  lat: number | null;
  lon: number | null;
}

export interface HistoryStep {
  filingId: number;
  row: number;
  receivedAt: string;
  filer: string;
  status: string;
  begin: string;
  expectedComplete: string;
  fromOwner: PartyRef;
  toOwner: PartyRef;
  fromLocation: LocationRef | null;
  toLocation: LocationRef | null;
  ownershipChange: boolean;
  locationChange: boolean;
  foreignInvolved: boolean;
  purchaseOrder: string | null;
  leafIndex: number;
  flags: string[];
}

export interface ChipHistory {
  serial: string;
  product: string;
  eccn: string;
  status: string;
  currentOwner: PartyRef | null;
  currentLocation: LocationRef | null;
  history: HistoryStep[];
}

const LOCATION_COLUMNS = (a: string, op: string) =>
  `${a}.id as ${a}_id, ${a}.address as ${a}_address, ${a}.country as ${a}_country, ${a}.lat as ${a}_lat,
    ${a}.lon as ${a}_lon, ${op}.name as ${a}_operator`;

type R = Record<string, unknown>;
function party(r: R, p: string): PartyRef {
  return {
    id: Number(r[`${p}_id`]),
    name: String(r[`${p}_name`]),
    country: (r[`${p}_country`] as string | null) ?? null,
  };
}
function location(r: R, p: string): LocationRef | null {
  if (r[`${p}_id`] === null || r[`${p}_id`] === undefined) return null;
  const lat = r[`${p}_lat`] as number | null;
  const lon = r[`${p}_lon`] as number | null;
  return {
    id: Number(r[`${p}_id`]),
    address: String(r[`${p}_address`]),
    country: String(r[`${p}_country`]),
    operator: String(r[`${p}_operator`]),
    lat: lat === null ? null : Number(lat),
    lon: lon === null ? null : Number(lon),
  };
}

export async function chipHistory(q: Queryable, serial: string): Promise<ChipHistory> {
  const chips = await q.query<R>(
    `select c.serial, c.product_name, c.eccn, c.status, o.id as o_id, o.name as o_name, o.country as o_country,
      ${LOCATION_COLUMNS('l', 'lo')}
     from registry_chips c left join registry_parties o on o.id = c.current_owner_id
       left join registry_locations l on l.id = c.current_location_id
         left join registry_parties lo on lo.id = l.operator_party_id
     where c.serial = $1`,
    [serial],
  );
  const c = chips[0];
  if (!c) throw new NotFoundError(`no chip with serial ${serial}`, { field: 'serial' });
  const steps = await q.query<R>(
    `select t.filing_id, t.row_number, f.received_at, org.name as filer, t.item_status, t.begin_date::text as b,
      t.expected_complete_date::text as e,
       t.ownership_change, t.location_change, t.foreign_involved, t.purchase_order, t.leaf_index,
       fo.id as fo_id, fo.name as fo_name, fo.country as fo_country, tow.id as to_id, tow.name as to_name,
         tow.country as to_country,
       ${LOCATION_COLUMNS('fl', 'flo')}, ${LOCATION_COLUMNS('tl', 'tlo')},
       coalesce((select array_agg(g.kind order by g.kind) from registry_flags g where g.filing_id = t.filing_id
         and g.row_number = t.row_number), '{}') as flags
     from registry_transfers t join registry_filings f on f.id = t.filing_id
       join organisations org on org.id = f.organisation_id
       join registry_parties fo on fo.id = t.from_owner_id join registry_parties tow on tow.id = t.to_owner_id
       left join registry_locations fl on fl.id = t.from_location_id
         left join registry_parties flo on flo.id = fl.operator_party_id
       left join registry_locations tl on tl.id = t.to_location_id
         left join registry_parties tlo on tlo.id = tl.operator_party_id
     where t.serial = $1 order by t.begin_date, t.filing_id, t.row_number`,
    [c.serial],
  );
  return {
    serial: String(c.serial),
    product: String(c.product_name),
    eccn: String(c.eccn),
    status: String(c.status),
    currentOwner: c.o_id === null ? null : party(c, 'o'),
    currentLocation: location(c, 'l'),
    history: steps.map((r) => ({
      filingId: Number(r.filing_id),
      row: Number(r.row_number),
      receivedAt: new Date(r.received_at as string).toISOString(),
      filer: String(r.filer),
      status: String(r.item_status),
      begin: String(r.b),
      expectedComplete: String(r.e),
      fromOwner: party(r, 'fo'),
      toOwner: party(r, 'to'),
      fromLocation: location(r, 'fl'),
      toLocation: location(r, 'tl'),
      ownershipChange: Boolean(r.ownership_change),
      locationChange: Boolean(r.location_change),
      foreignInvolved: Boolean(r.foreign_involved),
      purchaseOrder: (r.purchase_order as string | null) ?? null,
      leafIndex: Number(r.leaf_index),
      flags: (r.flags as string[]) ?? [],
    })),
  };
}

export interface PartySummary {
  id: number;
  kind: string;
  name: string;
  address: string;
  phone: string;
  country: string | null;
  roles: string[];
  chipsOwned: number;
  locationsOperated: number;
}

export async function listParties(
  q: Queryable,
  opts: { country?: string; name?: string; limit: number; offset: number },
): Promise<PartySummary[]> {
  const rows = await q.query<R>(
    `select p.id, p.kind, p.name, p.address, p.phone, p.country, p.roles,
       (select count(*) from registry_chips c where c.current_owner_id = p.id)::int as chips,
       (select count(*) from registry_locations l where l.operator_party_id = p.id)::int as locs
     from registry_parties p
     where ($1::text is null or p.country = $1) and ($2::text is null or p.name_key like '%' || $2 || '%')
     order by p.name, p.id limit $3 offset $4`,
    [opts.country ?? null, opts.name ? nameKey(opts.name).replace(/[%_\\]/g, '') : null, opts.limit, opts.offset],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    kind: String(r.kind),
    name: String(r.name),
    address: String(r.address),
    phone: String(r.phone),
    country: (r.country as string | null) ?? null,
    roles: r.roles as string[],
    chipsOwned: Number(r.chips),
    locationsOperated: Number(r.locs),
  }));
}

export interface PartyChip {
  serial: string;
  product: string;
  eccn: string;
  status: string;
  location: string | null;
  country: string | null;
  since: string | null;
}

export async function partyChips(
  q: Queryable,
  partyId: number,
  opts: { limit: number; offset: number },
): Promise<{ party: PartySummary; chips: PartyChip[] }> {
  const p = (await q.query<R>('select id from registry_parties where id = $1', [partyId]))[0];
  if (!p) throw new NotFoundError(`no party ${partyId}`, { field: 'id' });
  const [party] = await q.query<R>(
    `select p.id, p.kind, p.name, p.address, p.phone, p.country, p.roles,
       (select count(*) from registry_chips c where c.current_owner_id = p.id)::int as chips,
       (select count(*) from registry_locations l where l.operator_party_id = p.id)::int as locs
     from registry_parties p where p.id = $1`,
    [partyId],
  );
  const chips = await q.query<R>(
    `select c.serial, c.product_name, c.eccn, c.status, l.address, l.country, c.last_begin_date::text as since
     from registry_chips c left join registry_locations l on l.id = c.current_location_id
     where c.current_owner_id = $1 order by c.serial limit $2 offset $3`,
    [partyId, opts.limit, opts.offset],
  );
  return {
    party: {
      id: Number(party.id),
      kind: String(party.kind),
      name: String(party.name),
      address: String(party.address),
      phone: String(party.phone),
      country: (party.country as string | null) ?? null,
      roles: party.roles as string[],
      chipsOwned: Number(party.chips),
      locationsOperated: Number(party.locs),
    },
    chips: chips.map((r) => ({
      serial: String(r.serial),
      product: String(r.product_name),
      eccn: String(r.eccn),
      status: String(r.status),
      location: (r.address as string | null) ?? null,
      country: (r.country as string | null) ?? null,
      since: (r.since as string | null) ?? null,
    })),
  };
}
