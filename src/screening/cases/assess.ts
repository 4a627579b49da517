// The initial risk assessment (Figure 9, step 1): screen every party of the profile (customer, its
// owners down their chains, beneficial owners, consignee, payer), apply the 50% rule to the owners,
// evaluate the red-flag rules, and suggest a risk level the compliance officer confirms or overrides
// with a reason. The hits it finds hold the case (workflow.ts).
import type { Screener, ScreenResult } from '../match/screen.js';
import type { OwnerInput, Profile } from '../redflags/profile.js';
import { evaluateRedFlags, type RedFlag, type RuleSet } from '../redflags/rules.js';
import { assessOwnership, OWNERSHIP_LISTS, type OwnershipParty, type OwnershipResult } from '../ownership/rule.js';
import type { Hit, Risk } from './workflow.js';

export interface PartyScreening {
  role: 'customer' | 'owner' | 'beneficial-owner' | 'consignee' | 'payer';
  /** Owners: where in the profile, e.g. customer.owners[0].owners[1]. */
  path?: string;
  /** Owners: the percentage of what it owns (absent: unknown). */
  share?: number;
  result: ScreenResult;
}

export interface Assessment {
  screenings: PartyScreening[];
  /** The 50% rule over the customer's owners. */
  ownership: OwnershipResult;
  flags: RedFlag[];
  suggestedRisk: Risk;
  reasons: string[];
  /** What holds the case until a compliance-lead resolves it. */
  hits: Hit[];
}

const RANK = { clear: 0, review: 1, match: 2 } as const;

/** The party's best match on a list the 50% rule reaches (a lower-scored one than the best is a review). */
export function listedOf(r: ScreenResult): OwnershipParty['listed'] {
  if (r.decision === 'clear' || !r.matches[0]) return null;
  const m = r.matches.find((x) => OWNERSHIP_LISTS.has(x.list));
  if (!m) return null;
  const decision = m.score >= r.matches[0].score ? r.decision : 'review';
  return { decision, list: m.list, name: m.name, entryId: m.entryId, score: m.score };
}

/** Screens the customer's owners (and theirs) and builds the owner graph the 50% rule reads. */
function screenOwners(profile: Profile, screener: Screener, customer: ScreenResult, out: PartyScreening[]) {
  const c = profile.customer;
  const parties: OwnershipParty[] = [];
  const root: OwnershipParty = { id: 'customer', name: c.name, listed: listedOf(customer), owners: [] };
  parties.push(root);
  const walk = (owners: OwnerInput[] | undefined, parent: OwnershipParty, path: string) => {
    (owners ?? []).forEach((o, i) => {
      const id = `${path}.owners[${i}]`;
      const result = screener.screen({ name: o.name, country: o.country });
      out.push({ role: 'owner', path: id, ...(o.share !== undefined ? { share: o.share } : {}), result });
      const node: OwnershipParty = { id, name: o.name, listed: listedOf(result), owners: [] };
      parties.push(node);
      parent.owners.push({ id, ...(o.share !== undefined ? { share: o.share } : {}) });
      walk(o.owners, node, id);
    });
  };
  walk(c.owners, root, 'customer');
  // Beneficial owners are owners of unknown share, unless the same name is among the listed owners.
  const named = new Set((c.owners ?? []).map((o) => o.name.trim().toLowerCase()));
  (c.beneficialOwners ?? []).forEach((o, i) => {
    const id = `customer.beneficialOwners[${i}]`;
    const result = screener.screen({ name: o.name, country: o.country });
    out.push({ role: 'beneficial-owner', path: id, result });
    if (named.has(o.name.trim().toLowerCase())) return;
    parties.push({ id, name: o.name, listed: listedOf(result), owners: [] });
    root.owners.push({ id });
  });
  return assessOwnership(parties, 'customer');
}

function hitsOf(screenings: PartyScreening[], ownership: OwnershipResult, customer: string): Hit[] {
  const hits: Hit[] = [];
  for (const s of screenings) {
    if (s.result.decision === 'clear') continue;
    const m = s.result.matches[0];
    hits.push({
      id: `h${hits.length + 1}`,
      kind: s.result.decision,
      role: s.role,
      party: s.result.query.name,
      detail: `${m.list} ${m.name}, score ${m.score}${s.path ? `; ${s.path}` : ''}`,
    });
  }
  if (ownership.verdict === 'listed-by-ownership' || ownership.verdict === 'owned-by-listed-share-unknown') {
    hits.push({
      id: `h${hits.length + 1}`,
      kind: ownership.verdict,
      role: 'customer',
      party: customer,
      detail: `${ownership.explanation}: ${ownership.chains.join('; ')}`,
    });
  }
  return hits;
}

export function assessProfile(profile: Profile, screener: Screener, rules: RuleSet): Assessment {
  const screenings: PartyScreening[] = [];
  const c = profile.customer;
  const customer = screener.screen({ name: c.name, country: c.country, address: c.address });
  screenings.push({ role: 'customer', result: customer });
  const ownership = screenOwners(profile, screener, customer, screenings);
  const o = profile.order;
  if (o.consigneeName)
    screenings.push({
      role: 'consignee',
      result: screener.screen({ name: o.consigneeName, country: o.shipToCountry }),
    });
  if (o.payerName) screenings.push({ role: 'payer', result: screener.screen({ name: o.payerName }) });
  const worst = screenings.reduce<ScreenResult['decision']>(
    (w, s) => (RANK[s.result.decision] > RANK[w] ? s.result.decision : w),
    'clear',
  );
  const flags = evaluateRedFlags(rules, {
    ...profile,
    screening: { decision: worst },
    ownership: { verdict: ownership.verdict },
  });
  const reasons: string[] = [];
  for (const s of screenings) {
    if (s.result.decision !== 'clear')
      reasons.push(
        `${s.role} "${s.result.query.name}" screened ${s.result.decision} (${s.result.matches[0].list} ` +
          `${s.result.matches[0].name}, score ${s.result.matches[0].score})`,
      );
  }
  if (ownership.verdict !== 'none') {
    reasons.push(`ownership: ${ownership.explanation}`);
    for (const chain of ownership.chains) reasons.push(`  chain: ${chain}`);
  }
  const high = flags.filter((f) => f.severity === 'high');
  const medium = flags.filter((f) => f.severity === 'medium');
  for (const f of high) reasons.push(`high red flag: ${f.title}`);
  if (medium.length >= 2) reasons.push(`${medium.length} medium red flags: ${medium.map((f) => f.id).join(', ')}`);
  const hits = hitsOf(screenings, ownership, c.name);
  const suggestedRisk: Risk =
    worst !== 'clear' || hits.length > 0 || high.length > 0 || medium.length >= 2 ? 'high' : 'low';
  if (suggestedRisk === 'low')
    reasons.push(
      medium.length
        ? `one medium red flag (${medium[0].id}) and no listed-party match`
        : 'no listed-party match and no red flags',
    );
  if (hits.length)
    reasons.push(
      `held until resolved: ${hits.map((h) => h.id).join(', ')} (a compliance-lead overrides, or resolves a ` +
        'review as a false positive)',
    );
  return { screenings, ownership, flags, suggestedRisk, reasons, hits };
}
