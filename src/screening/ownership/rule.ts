// The 50% rule as a pure computation. OFAC's 50 Percent Rule treats an entity owned 50% or more,
// directly or indirectly, individually or in the aggregate, by one or more blocked persons as blocked
// itself; BIS's 2025 Affiliates rule extends Entity List and MEU restrictions to affiliates owned 50% or
// more by listed parties in the same way. "Indirectly" means through entities that are themselves 50%
// or more owned by listed parties (OFAC FAQ 401): such an owner counts as listed with its whole share,
// while a stake held through an owner that is not itself listed adds nothing (but is reported).
//
// Shares may be unknown. Each party's listed share is computed as bounds: `low` counts unknown shares
// as 0, `high` as the most they can be (what the known shares of that party's owners leave, at most
// 100%). Both are least fixpoints over the owner graph, so cycles never make anyone listed by
// themselves, and a party reached along two paths counts once per holding.
import { ValidationError } from '../../errors.js';

export const THRESHOLD = 50;
/**
 * Lists whose parties' affiliates a 50% rule reaches: OFAC's blocked persons (SDN) and sectoral sanctions
 * entities (SSI), and BIS's Entity List and Military End User List (Affiliates rule). A match on another
 * list (CMIC, DPL, UVL, ITAR debarred, ...) is a hit of its own but makes no owned entity listed.
 */
export const OWNERSHIP_LISTS: ReadonlySet<string> = new Set(['SDN', 'SSI', 'EL', 'MEU']);
/** Longest owner chain followed when explaining (the profile schema allows no deeper nesting). */
export const MAX_DEPTH = 10;
/** Chains reported per subject. */
export const MAX_CHAINS = 20;

export interface ListedEvidence {
  decision: 'match' | 'review';
  list: string;
  name: string;
  entryId: string;
  score: number;
}

export interface OwnershipParty {
  id: string;
  name: string;
  /** The party's own screening hit (match or review), or null when it screened clear. */
  listed: ListedEvidence | null;
  /** Direct owners with their share in percent; share undefined = unknown. */
  owners: { id: string; share?: number }[];
}

export type OwnershipVerdict =
  | 'listed-by-ownership'
  | 'owned-by-listed-share-unknown'
  | 'minority-listed-owner'
  | 'none';

export interface OwnershipResult {
  verdict: OwnershipVerdict;
  /** Percent of the subject held by listed parties (directly, or through owners listed by ownership). */
  listedShare: { low: number; high: number };
  /** Every owner chain from the subject to a listed party, e.g. `A <- 60% B <- 100% C (SDN: ..., match 1)`. */
  chains: string[];
  /** One sentence: the verdict and the share. */
  explanation: string;
}

const EPS = 1e-9;
const pct = (x: number) => `${Number(x.toFixed(2))}%`;

/** Rejects shares outside 0..100 and owners whose known shares add up to more than 100%. */
function check(parties: ReadonlyMap<string, OwnershipParty>): void {
  for (const p of parties.values()) {
    let sum = 0;
    for (const o of p.owners) {
      if (!parties.has(o.id)) throw new ValidationError(`owner ${o.id} of "${p.name}" is not a known party`);
      if (o.share === undefined) continue;
      if (!(o.share >= 0 && o.share <= 100))
        throw new ValidationError(`owner "${parties.get(o.id)!.name}" of "${p.name}": share must be 0..100`);
      sum += o.share;
    }
    if (sum > 100 + 1e-6)
      throw new ValidationError(`the owners of "${p.name}" hold ${pct(sum)} in total (at most 100%)`);
  }
}

/**
 * Least fixpoint of "listed" over the graph: a party is listed when screened so, or when the owners
 * counted as listed hold at least 50% of it. `unknownAs` is what an unknown share counts as: 0 (low) or
 * the rest the known shares leave (high).
 */
function fixpoint(parties: ReadonlyMap<string, OwnershipParty>, unknownAs: 'zero' | 'rest'): Map<string, number> {
  const share = new Map<string, number>();
  const listed = new Set<string>();
  for (const p of parties.values()) if (p.listed) listed.add(p.id);
  for (let changed = true, rounds = 0; changed && rounds <= parties.size + 1; rounds++) {
    changed = false;
    for (const p of parties.values()) {
      let known = 0;
      let knownListed = 0;
      let unknownListed = 0;
      for (const o of p.owners) {
        if (o.share !== undefined) known += o.share;
        if (!listed.has(o.id)) continue;
        if (o.share !== undefined) knownListed += o.share;
        else unknownListed++;
      }
      const rest = Math.max(0, 100 - known);
      const s = Math.min(100, knownListed + (unknownAs === 'rest' && unknownListed ? rest : 0));
      share.set(p.id, s);
      if (!listed.has(p.id) && s >= THRESHOLD - EPS) {
        listed.add(p.id);
        changed = true;
      }
    }
  }
  return share;
}

function describeListed(l: ListedEvidence): string {
  return `${l.list}: ${l.name}, ${l.decision} ${Number(l.score.toFixed(3))}`;
}

/** Simple paths from the subject up to parties screened as listed, as text. */
function chainsOf(parties: ReadonlyMap<string, OwnershipParty>, subjectId: string, low: Map<string, number>): string[] {
  const out: string[] = [];
  const onPath = new Set<string>([subjectId]);
  const walk = (id: string, text: string, depth: number): void => {
    const p = parties.get(id)!;
    for (const o of p.owners) {
      if (out.length >= MAX_CHAINS || onPath.has(o.id) || depth >= MAX_DEPTH) continue;
      const owner = parties.get(o.id)!;
      const held = low.get(o.id) ?? 0;
      const via = !owner.listed && held >= THRESHOLD - EPS ? ` [${pct(held)} listed-owned]` : '';
      const step = `${text} <- ${o.share === undefined ? '?%' : pct(o.share)} ${owner.name}${via}`;
      if (owner.listed) out.push(`${step} (${describeListed(owner.listed)})`);
      onPath.add(o.id);
      walk(o.id, step, depth + 1);
      onPath.delete(o.id);
    }
  };
  walk(subjectId, parties.get(subjectId)!.name, 0);
  return out;
}

export function assessOwnership(list: readonly OwnershipParty[], subjectId: string): OwnershipResult {
  const parties = new Map<string, OwnershipParty>();
  for (const p of list) {
    if (parties.has(p.id)) throw new ValidationError(`party ${p.id} is given twice`);
    parties.set(p.id, p);
  }
  if (!parties.has(subjectId)) throw new ValidationError(`the subject ${subjectId} is not among the parties`);
  check(parties);
  const lowShares = fixpoint(parties, 'zero');
  const highShares = fixpoint(parties, 'rest');
  const low = lowShares.get(subjectId) ?? 0;
  const high = Math.max(low, highShares.get(subjectId) ?? 0);
  const chains = chainsOf(parties, subjectId, lowShares);
  let verdict: OwnershipVerdict;
  let explanation: string;
  if (low >= THRESHOLD - EPS) {
    verdict = 'listed-by-ownership';
    explanation = `listed parties own ${pct(low)} (>= ${THRESHOLD}%): treated as listed under the 50% rule`;
  } else if (high >= THRESHOLD - EPS) {
    verdict = 'owned-by-listed-share-unknown';
    explanation =
      `owned by a listed party, share unknown: listed parties own ${pct(low)} by the known shares ` +
      `and up to ${pct(high)} with the unknown ones`;
  } else if (chains.length) {
    verdict = 'minority-listed-owner';
    explanation =
      `a listed party is among the owners, but listed parties own ` +
      `${low === high ? pct(low) : `${pct(low)} to ${pct(high)}`} (< ${THRESHOLD}%, counting stakes held ` +
      'directly or through owners that are themselves listed): not listed by ownership';
  } else {
    verdict = 'none';
    explanation = 'no listed party among the owners';
  }
  return { verdict, listedShare: { low: Number(low.toFixed(4)), high: Number(high.toFixed(4)) }, chains, explanation };
}
