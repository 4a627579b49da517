// Where the parties to re-screen come from. Screening knows its own diligence case parties; other
// domains' parties (registry owners and location operators, later intelligence entities) come in through
// this port, plugged in by the assembler (src/app/wiring.ts), so screening imports no other domain.
import type { Queryable } from '../../db/index.js';
import type { OwnerInput, Profile } from '../redflags/profile.js';
import type { OwnershipVerdict } from '../ownership/rule.js';
import type { KnownParty } from './core.js';
import type { KnownOwner } from './ownership.js';

export interface PartySource {
  /** Short, stable name of the source: stored with each party's hits and in each alert ('registry', 'case'). */
  kind: string;
  /** Every party of the source, in a stable order, read through `q`. */
  parties(q: Queryable): AsyncIterable<KnownParty>;
  /**
   * Whether the owners its parties carry are parties of this source too (case customers' owners): then
   * a party's 50% verdict holds its case without an alert of its own, as each owner's own hit alerts.
   */
  ownersAreParties?: boolean;
}

const PAGE = 2000;

/**
 * The parties of every diligence case that is not cancelled: the customer, its owners down their chains,
 * its beneficial owners, the consignee and the payer, as the case's assessment screened them. Refs:
 * `<case id>/customer`, `<case id>/owner/customer.owners[0].owners[1]`, `<case id>/beneficial-owner/<n>`,
 * `<case id>/consignee`, `<case id>/payer` (`caseRef` reads them back).
 */
export const casePartySource: PartySource = {
  kind: 'case',
  ownersAreParties: true,
  async *parties(q) {
    for (let after = 0; ; ) {
      const rows = await q.query<{
        id: string;
        organisation_id: string | null;
        profile: Profile;
        verdict: OwnershipVerdict | null;
      }>(
        `select c.id, c.organisation_id, c.profile, (select e.data->'assessment'->'ownership'->>'verdict'
            from screening_case_events e where e.case_id = c.id and e.seq = 1) as verdict
          from screening_cases c where c.id > $1 and c.state <> 'cancelled' order by c.id limit $2`,
        [after, PAGE],
      );
      for (const r of rows) yield* partiesOfCase(Number(r.id), r.organisation_id, r.profile, r.verdict);
      if (rows.length < PAGE) return;
      after = Number(rows[rows.length - 1].id);
    }
  },
};

function* partiesOfCase(
  id: number,
  org: string | null,
  p: Profile,
  verdict: OwnershipVerdict | null,
): Generator<KnownParty> {
  const organisationId = org === null ? null : Number(org);
  const c = p.customer;
  if (!c?.name) return;
  // The 50% rule reads the owners as the assessment does: beneficial owners are owners of unknown share,
  // unless the same name is among the listed owners.
  const named = new Set((c.owners ?? []).map((o) => o.name.trim().toLowerCase()));
  const owned: KnownOwner[] = [
    ...(c.owners ?? []),
    ...(c.beneficialOwners ?? [])
      .filter((o) => !named.has(o.name.trim().toLowerCase()))
      .map((o) => ({ name: o.name, country: o.country })),
  ];
  yield {
    ref: `${id}/customer`,
    name: c.name,
    country: c.country,
    address: c.address,
    organisationId,
    ...(owned.length ? { owners: owned } : {}),
    ...(verdict ? { knownVerdict: verdict } : {}),
  };
  const owners = function* (list: OwnerInput[] | undefined, path: string): Generator<KnownParty> {
    for (const [i, o] of (list ?? []).entries()) {
      const at = `${path}.owners[${i}]`;
      yield { ref: `${id}/owner/${at}`, name: o.name, country: o.country, organisationId };
      yield* owners(o.owners, at);
    }
  };
  yield* owners(c.owners, 'customer');
  for (const [i, o] of (c.beneficialOwners ?? []).entries())
    yield { ref: `${id}/beneficial-owner/${i + 1}`, name: o.name, country: o.country, organisationId };
  const o = p.order ?? {};
  if (o.consigneeName?.trim())
    yield { ref: `${id}/consignee`, name: o.consigneeName, country: o.shipToCountry, organisationId };
  if (o.payerName?.trim()) yield { ref: `${id}/payer`, name: o.payerName, organisationId };
}

/** A case party's ref read back: the case id and the party's role in the profile. */
export function caseRef(ref: string): { caseId: number; role: string } | null {
  const m = /^(\d+)\/(customer|owner|beneficial-owner|consignee|payer)(\/.*)?$/.exec(ref);
  return m ? { caseId: Number(m[1]), role: m[2] } : null;
}
