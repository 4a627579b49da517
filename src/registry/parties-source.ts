// The registry's parties other domains screen: owners of chips and operators of locations (filers are
// organisations with accounts, not screened here), streamed in id order a page at a time.
import type { Queryable } from '../db/index.js';
import { loadOwnerTrees, type RegistryOwner } from './owners.js';

export interface RegistryParty {
  /** The registry party id, as text. */
  ref: string;
  name: string;
  /** ISO 3166 alpha-2, when known. */
  country?: string;
  address?: string;
  /** Its recorded owners (filings' owner_parent_N_* columns), down chains through registry parties. */
  owners?: RegistryOwner[];
}

const PAGE = 5000;

export async function* ownerAndOperatorParties(q: Queryable): AsyncGenerator<RegistryParty> {
  const owners = await loadOwnerTrees(q);
  for (let after = 0; ; ) {
    const rows = await q.query<{ id: string; name: string; country: string | null; address: string }>(
      `select id, name, country, address from registry_parties
        where id > $1 and (roles && array['owner', 'operator']
          or exists (select 1 from registry_locations l where l.operator_party_id = registry_parties.id))
        order by id limit $2`,
      [after, PAGE],
    );
    for (const r of rows) {
      const o = owners.get(Number(r.id));
      yield {
        ref: String(r.id),
        name: r.name,
        ...(r.country ? { country: r.country } : {}),
        ...(r.address ? { address: r.address } : {}),
        ...(o ? { owners: o } : {}),
      };
    }
    if (rows.length < PAGE) return;
    after = Number(rows[rows.length - 1].id);
  }
}
