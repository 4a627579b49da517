// The 50% rule when the lists change: a known party with owners (a registry party's recorded owners, a
// diligence case customer's owners) is assessed again with the new lists, and its verdict compared with
// the stored one. A verdict that becomes "listed by ownership" or "owned by a listed party, share unknown"
// (or changes between the two, or ends) is a change like a hit of the party's own: an alert naming the
// chain (registry parties), or a hold on the case (case customers, whose owners alert as parties of their
// own). The owners' screenings come from one memo per run: many parties share a parent.
import { UserError } from '../../errors.js';
import { listedOf } from '../cases/assess.js';
import type { Decision, Screener, ScreenResult } from '../match/screen.js';
import {
  assessOwnership,
  type OwnershipParty,
  type OwnershipResult,
  type OwnershipVerdict,
  MAX_DEPTH,
} from '../ownership/rule.js';
import {
  describeChange,
  type Alert,
  type ChangeIndex,
  type Compared,
  type KnownParty,
  type PartyState,
} from './core.js';

/** An owner of a known party; share in percent of the party, absent = unknown. */
export interface KnownOwner {
  name: string;
  country?: string;
  share?: number;
  owners?: KnownOwner[];
}

/** A party's verdict under the 50% rule as stored with its hits (screening_party_hits.ownership). */
export interface OwnershipState {
  verdict: OwnershipVerdict;
  listedShare: OwnershipResult['listedShare'];
  explanation: string;
  chains: string[];
  /** The listed entries the chains end at. */
  entries: { id: string; list: string; name: string }[];
  /** The owners the verdict was computed from (JSON): other owners are a new baseline, not a list change. */
  owners: string;
}

/** How a verdict ranks beside screening decisions: treated as listed = match, share unknown = review. */
export function ownershipBand(v: OwnershipVerdict | undefined): Decision {
  return v === 'listed-by-ownership' ? 'match' : v === 'owned-by-listed-share-unknown' ? 'review' : 'clear';
}

/** Screens owners (name, country) once per run; an owner that cannot be screened counts as not listed. */
export function ownerScreener(screener: () => Screener): (o: KnownOwner) => ScreenResult | null {
  const memo = new Map<string, ScreenResult | null>();
  return (o) => {
    const key = `${o.name}\u0000${o.country ?? ''}`;
    let r = memo.get(key);
    if (r === undefined) {
      try {
        r = screener().screen({ name: o.name, country: o.country });
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        r = null;
      }
      memo.set(key, r);
    }
    return r;
  };
}

/** The 50% rule over a party's owners, with the new lists; null when it has none. */
export function ownershipOf(
  party: KnownParty,
  own: ScreenResult,
  screenOwner: (o: KnownOwner) => ScreenResult | null,
): OwnershipState | null {
  if (!party.owners?.length) return null;
  const root: OwnershipParty = { id: 'p', name: party.name, listed: listedOf(own), owners: [] };
  const parties: OwnershipParty[] = [root];
  const entries = new Map<string, OwnershipState['entries'][number]>();
  const walk = (owners: readonly KnownOwner[], parent: OwnershipParty, depth: number) => {
    if (depth > MAX_DEPTH) return;
    owners.forEach((o, i) => {
      const r = screenOwner(o);
      const node: OwnershipParty = {
        id: `${parent.id}.${i}`,
        name: o.name,
        listed: r ? listedOf(r) : null,
        owners: [],
      };
      if (node.listed)
        entries.set(node.listed.entryId, { id: node.listed.entryId, list: node.listed.list, name: node.listed.name });
      parties.push(node);
      parent.owners.push({ id: node.id, ...(o.share !== undefined ? { share: o.share } : {}) });
      walk(o.owners ?? [], node, depth + 1);
    });
  };
  walk(party.owners, root, 1);
  const r = assessOwnership(parties, root.id);
  return {
    verdict: r.verdict,
    listedShare: r.listedShare,
    explanation: r.explanation,
    chains: r.chains,
    entries: [...entries.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    owners: JSON.stringify(party.owners),
  };
}

/**
 * Compares a party's new verdict with its stored one (or, for a party stored without one, with the verdict
 * its source knew, e.g. a case's opening assessment) and returns the ownership alert, if its band changed.
 * A party seen for the first time, or whose owners changed, is a baseline: stored, nothing raised.
 */
export function compareOwnership(
  kind: string,
  party: KnownParty,
  previous: PartyState | undefined,
  now: OwnershipState | null,
  c: Compared,
  changes: ChangeIndex,
): Alert | null {
  const before = previous?.ownership ?? null;
  if (c.baseline && !party.knownVerdict) return null;
  // Owners named, dropped or changed since the stored verdict: a new baseline, not a list change.
  if (before && (!now || before.owners !== now.owners)) return null;
  const was = before ? before.verdict : (party.knownVerdict ?? null);
  if (was === null || !now) return null;
  const bd = ownershipBand(was);
  const ad = ownershipBand(now.verdict);
  if (bd === ad) return null;
  const alertKind = bd === 'clear' ? 'new-hit' : ad === 'clear' ? 'hit-gone' : 'changed-hit';
  const pool = (ad === 'clear' ? before?.entries : now.entries) ?? [];
  const entry = pool.find((e) => changes.has(e.id)) ?? pool[0];
  if (!entry) return null;
  const [changeKind, change] = describeChange(alertKind, entry.id, changes);
  const why = ad !== 'clear' ? `${now.explanation}: ${now.chains.join('; ')}` : now.explanation;
  const country = party.country?.trim() ? party.country.trim() : null;
  return {
    kind: alertKind,
    basis: 'ownership',
    ownership: { verdict: now.verdict, explanation: now.explanation, chains: now.chains, listChange: change },
    party: { kind, ref: party.ref, name: party.name, country, organisationId: party.organisationId ?? null },
    entry,
    changeKind,
    change: `${change}; ${why}`,
    before: { decision: bd, score: null },
    after: { decision: ad, score: null },
    partyDecision: { before: previous?.decision ?? c.state.decision, after: c.state.decision },
  };
}

/** Adds the ownership verdict to a compared party: its state, whether it changed, and its alert. */
export function withOwnership(
  kind: string,
  party: KnownParty,
  previous: PartyState | undefined,
  own: ScreenResult,
  c: Compared,
  changes: ChangeIndex,
  screenOwner: (o: KnownOwner) => ScreenResult | null,
): Alert | null {
  if (!party.owners?.length && !previous?.ownership) return null;
  const now = ownershipOf(party, own, screenOwner);
  c.state.ownership = now;
  if (JSON.stringify(previous?.ownership ?? null) !== JSON.stringify(now)) c.changed = true;
  return compareOwnership(kind, party, previous, now, c, changes);
}
