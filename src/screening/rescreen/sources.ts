// Where the parties to re-screen come from. Screening knows its own diligence case parties; other
// domains' parties (registry owners and location operators, later intelligence entities) come in through
// this port, plugged in by the assembler (src/app/wiring.ts), so screening imports no other domain.
import type { Queryable } from '../../db/index.js';
import type { OwnerInput, Profile } from '../redflags/profile.js';
import type { OwnershipVerdict } from '../ownership/rule.js';
import type { KnownParty, ResultHits } from './core.js';
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
        screenings: OpeningScreening[] | null;
      }>(
        `select c.id, c.organisation_id, c.profile, e.data->'assessment'->'ownership'->>'verdict' as verdict,
            e.data->'assessment'->'screenings' as screenings
          from screening_cases c left join screening_case_events e on e.case_id = c.id and e.seq = 1
          where c.id > $1 and c.state <> 'cancelled' order by c.id limit $2`,
        [after, PAGE],
      );
      for (const r of rows) {
        const id = Number(r.id);
        const known = openingHits(id, r.screenings);
        for (const party of partiesOfCase(id, r.organisation_id, r.profile, r.verdict)) {
          const hits = known.get(party.ref);
          yield hits ? { ...party, knownHits: hits } : party;
        }
      }
      if (rows.length < PAGE) return;
      after = Number(rows[rows.length - 1].id);
    }
  },
};

/** A party's screening as the case's opening assessment stored it (role, profile path, result). */
interface OpeningScreening {
  role: string;
  path?: string;
  result: ResultHits;
}

/** The opening assessment's results by party ref (the refs `partiesOfCase` gives). */
function openingHits(id: number, screenings: OpeningScreening[] | null): Map<string, ResultHits> {
  const out = new Map<string, ResultHits>();
  for (const s of screenings ?? []) {
    if (!s?.result?.matches) continue;
    const bo = s.path ? /^customer\.beneficialOwners\[(\d+)\]$/.exec(s.path) : null;
    const ref =
      s.role === 'owner' && s.path
        ? `${id}/owner/${s.path}`
        : s.role === 'beneficial-owner'
          ? bo
            ? `${id}/beneficial-owner/${Number(bo[1]) + 1}`
            : undefined
          : ['customer', 'consignee', 'payer'].includes(s.role)
            ? `${id}/${s.role}`
            : undefined;
    if (ref) out.set(ref, s.result);
  }
  return out;
}

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
