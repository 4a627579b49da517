// `intel sync`: registry parties, their recorded owners (Ownership links) and the active screening-list
// entries become entities, in one transaction, a page at a time. Ids are deterministic and writes are
// upserts that skip unchanged rows, so a second run changes nothing; an owner set a later filing replaced
// loses its old Ownership links. The registry's tables are read here, read-only (a set-based read of a
// million parties; the registry's paged API counts chips per party and is for people, not for this).
import type { Db, Queryable } from '../../db/index.js';
import type { ListEntry } from '../../screening/index.js';
import {
  listEntryEntity,
  registryOwnership,
  registryPartyEntity,
  type RegistryOwnerRow,
  type RegistryPartyRow,
} from './sources.js';
import { upsertEntities, upsertLinks, type Entity, type Link } from './store.js';

export interface SyncResult {
  registryParties: number;
  owners: number;
  ownershipLinks: number;
  listEntries: number;
  /** Registry Ownership links removed because a later filing replaced the owner set. */
  staleLinks: number;
}

const PAGE = 5000;

async function syncParties(q: Queryable, now: Date): Promise<number> {
  let n = 0;
  for (let after = 0; ; ) {
    const rows = await q.query<RegistryPartyRow>(
      `select id::text, kind, name, address, phone, country, roles from registry_parties
        where id > $1 order by id limit ${PAGE}`,
      [after],
    );
    await upsertEntities(q, rows.map(registryPartyEntity), now);
    n += rows.length;
    if (rows.length < PAGE) return n;
    after = Number(rows[rows.length - 1].id);
  }
}

async function syncOwners(q: Queryable, now: Date): Promise<{ owners: number; links: number; stale: number }> {
  const rows = await q.query<{
    party_id: string;
    name: string;
    country: string | null;
    share: number | null;
    owner_id: string | null;
  }>(
    `select o.party_id::text, o.name, o.country, o.share, p.id::text as owner_id
       from registry_party_owners o left join registry_parties p on p.party_key = o.owner_party_key
      order by o.party_id, o.position`,
  );
  const owners = new Map<string, Entity>();
  const links = new Map<string, Link>();
  for (const r of rows) {
    const o: RegistryOwnerRow = {
      partyId: r.party_id,
      name: r.name,
      country: r.country,
      share: r.share === null ? null : Number(r.share),
      ownerPartyId: r.owner_id,
    };
    const { owner, link } = registryOwnership(o);
    if (owner) owners.set(owner.id, owner);
    if (link.sourceId !== link.targetId) links.set(link.id, link);
  }
  await upsertEntities(q, [...owners.values()], now);
  await upsertLinks(q, [...links.values()], now);
  const stale = await q.query<{ id: string }>(
    `delete from intel_links where origin = 'registry' and schema = 'Ownership'
        and not (id = any($1::text[])) returning id`,
    [[...links.keys()]],
  );
  return { owners: owners.size, links: links.size, stale: stale.length };
}

/** Makes or updates the entities of the registry and of these list entries. */
export async function syncEntities(db: Db, entries: readonly ListEntry[], now: Date): Promise<SyncResult> {
  return db.transaction(async (tx) => {
    const registryParties = await syncParties(tx, now);
    const own = await syncOwners(tx, now);
    // One entity per entry id (a list set never repeats one, but a second would fail the upsert).
    const unique = [...new Map(entries.map((e) => [e.id, e])).values()];
    for (let i = 0; i < unique.length; i += PAGE)
      await upsertEntities(tx, unique.slice(i, i + PAGE).map(listEntryEntity), now);
    return {
      registryParties,
      owners: own.owners,
      ownershipLinks: own.links,
      listEntries: unique.length,
      staleLinks: own.stale,
    };
  });
}
