// Owners of registry parties (the owner_parent_N_* columns of a filing), for the 50% rule. A party is
// stored once, so its owners are one set: the rows of a filing that name the same new owner must name the
// same owners, and a filing that names them replaces the stored set (registry_party_owners).
import type { Queryable } from '../db/index.js';
import { nameKey, partyKey } from './keys.js';
import { parentColumn } from './template.js';
import type { FiledItem, ParentInput } from './validate.js';

/** How deep an ownership chain through registry parties is followed (as the profile schema allows). */
export const MAX_CHAIN_DEPTH = 10;

/** A party's owner set as one comparable string (group order does not matter). */
export const ownerSignature = (parents: readonly ParentInput[]): string =>
  parents
    .map((p) => `${nameKey(p.name)}|${p.country ?? ''}|${p.share ?? '?'}`)
    .sort()
    .join('\n');

/** The problem of a row naming other owners for its new owner than `firstRow` did. */
export function ownerSetProblem(item: FiledItem, firstRow: number): { column: string; reason: string } {
  return {
    column: parentColumn(item.parents![0].n, 'name'),
    reason:
      `names other owners for "${item.owner!.name.slice(0, 60)}" than row ${firstRow} ` +
      '(a party has one set of owners: repeat it on every row, or leave it empty)',
  };
}

export interface PartyOwnerRow {
  partyId: number;
  position: number;
  name: string;
  country: string | null;
  ownerKey: string | null;
  share: number | null;
}

/** The owner rows to store: per new owner named with parents, the set its first such row gives. */
export function partyOwnerRows(items: readonly FiledItem[], partyIds: ReadonlyMap<string, number>): PartyOwnerRow[] {
  const done = new Set<number>();
  const out: PartyOwnerRow[] = [];
  for (const it of items) {
    if (!it.parents || !it.owner) continue;
    const partyId = partyIds.get(partyKey(it.owner.name, it.owner.country));
    if (partyId === undefined || done.has(partyId)) continue;
    done.add(partyId);
    for (const p of it.parents)
      out.push({
        partyId,
        position: p.n,
        name: p.name,
        country: p.country,
        ownerKey: p.country ? partyKey(p.name, p.country) : null,
        share: p.share ?? null,
      });
  }
  return out;
}

/** An owner of a registry party, with the owners recorded for it when it is a registry party itself. */
export interface RegistryOwner {
  name: string;
  country?: string;
  /** Percent of the party it holds; absent = unknown. */
  share?: number;
  owners?: RegistryOwner[];
}

type OwnerRecord = { name: string; country: string | null; share: number | null; ownedId: number | null };

/**
 * Every recorded owner set, as chains: party id -> its owners, each owner that is itself a registry party
 * with recorded owners carrying them in turn (to MAX_CHAIN_DEPTH; a cycle stops where it repeats).
 */
export async function loadOwnerTrees(q: Queryable): Promise<Map<number, RegistryOwner[]>> {
  const rows = await q.query<{
    party_id: string;
    name: string;
    country: string | null;
    share: number | null;
    owned_id: string | null;
  }>(
    `select o.party_id, o.name, o.country, o.share, p.id as owned_id
       from registry_party_owners o left join registry_parties p on p.party_key = o.owner_party_key
      order by o.party_id, o.position`,
  );
  const direct = new Map<number, OwnerRecord[]>();
  for (const r of rows) {
    const id = Number(r.party_id);
    const list = direct.get(id) ?? [];
    list.push({
      name: r.name,
      country: r.country,
      share: r.share === null ? null : Number(r.share),
      ownedId: r.owned_id === null ? null : Number(r.owned_id),
    });
    direct.set(id, list);
  }
  const tree = (id: number, path: Set<number>, depth: number): RegistryOwner[] =>
    (direct.get(id) ?? []).map((o) => {
      const up =
        o.ownedId !== null && !path.has(o.ownedId) && depth < MAX_CHAIN_DEPTH && direct.has(o.ownedId)
          ? tree(o.ownedId, new Set([...path, o.ownedId]), depth + 1)
          : [];
      return {
        name: o.name,
        ...(o.country ? { country: o.country } : {}),
        ...(o.share !== null ? { share: o.share } : {}),
        ...(up.length ? { owners: up } : {}),
      };
    });
  const out = new Map<number, RegistryOwner[]>();
  for (const id of direct.keys()) out.set(id, tree(id, new Set([id]), 1));
  return out;
}
