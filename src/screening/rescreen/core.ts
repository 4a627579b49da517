// The pure core of re-screening: given a party's last known hits, its new screening result and what the
// list update changed, which alerts to raise. A hit is a listed entry scored at or above the review band.
// Alerts: a new hit, a hit whose band changed (review <-> match), a hit gone; each names the list change
// behind it. Scores drift a little whenever the lists change (word weights depend on every name), so a
// hit that stays in its band raises nothing.
import type { EntryChange, ListChanges } from '../lists/diff.js';
import { decide, type Decision, type Match, type ScreenConfig, type ScreenResult } from '../match/screen.js';
import type { OwnershipVerdict } from '../ownership/rule.js';
import type { KnownOwner, OwnershipState } from './ownership.js';

/** What re-screening reads of a screening result: the decision and each match's entry and score. */
export type ResultHits = Pick<ScreenResult, 'decision'> & {
  matches: readonly Pick<Match, 'entryId' | 'list' | 'name' | 'score'>[];
};

/** One party chipwatch knows, as its source streams it. */
export interface KnownParty {
  /** Unique within its source: a registry party id, `<case id>/customer`, ... */
  ref: string;
  name: string;
  country?: string;
  address?: string;
  /** Whose party it is (diligence cases); null or absent: seen by regulators and admins only. */
  organisationId?: number | null;
  /** Its owners, for the 50% rule (ownership.ts). */
  owners?: KnownOwner[];
  /** Its verdict under the 50% rule as its source last knew it (a case's opening assessment). */
  knownVerdict?: OwnershipVerdict;
  /**
   * What its source last screened it as (a case's opening assessment): the comparison's starting point when no
   * state is stored yet, so a hit that a list update brings to a case opened since the last update still alerts.
   */
  knownHits?: ResultHits;
}

export interface Hit {
  entryId: string;
  list: string;
  name: string;
  score: number;
}

/** What the last screening of a party found (stored per party between list updates). */
export interface PartyState {
  kind: string;
  ref: string;
  organisationId: number | null;
  name: string;
  country: string | null;
  decision: Decision;
  hits: Hit[];
  /** Its verdict under the 50% rule, when it has owners (null or absent: none computed). */
  ownership?: OwnershipState | null;
}

export type AlertKind = 'new-hit' | 'changed-hit' | 'hit-gone';
export type ChangeKind =
  | 'entry added'
  | 'alias added'
  | 'name changed'
  | 'entry changed'
  | 'entry removed'
  | 'alias removed'
  | 'entry unchanged';

export interface Alert {
  kind: AlertKind;
  /** Absent or 'screening': the party's own name; 'ownership': its owners, under the 50% rule. */
  basis?: 'screening' | 'ownership';
  /** Ownership alerts: the new verdict, its explanation and chains, and the list change behind it. */
  ownership?: Pick<OwnershipState, 'verdict' | 'explanation' | 'chains'> & { listChange: string };
  party: { kind: string; ref: string; name: string; country: string | null; organisationId: number | null };
  entry: { id: string; list: string; name: string };
  changeKind: ChangeKind;
  /** For people: "alias added: AO Alagir", "entry removed", "name changed: A -> B". */
  change: string;
  /** The hit's band and score before and after ('clear' and null when there was no hit). */
  before: { decision: Decision; score: number | null };
  after: { decision: Decision; score: number | null };
  /** The party's overall decision before and after. */
  partyDecision: { before: Decision; after: Decision };
}

/** The list update, by entry id, as re-screening reads it. */
export type ChangeIndex = Map<
  string,
  { kind: 'added' } | { kind: 'removed'; name: string; list: string } | { kind: 'changed'; change: EntryChange }
>;

export function changeIndex(c: Pick<ListChanges, 'added' | 'removed' | 'changed'>): ChangeIndex {
  const m: ChangeIndex = new Map();
  for (const e of c.added) m.set(e.id, { kind: 'added' });
  for (const e of c.removed) m.set(e.id, { kind: 'removed', name: e.name, list: e.list });
  for (const e of c.changed) m.set(e.id, { kind: 'changed', change: e });
  return m;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The hits of a result, scores rounded to 3 places (what is stored and compared). */
export function hitsOf(r: ResultHits): Hit[] {
  return r.matches
    .map((m) => ({ entryId: m.entryId, list: m.list, name: m.name, score: round(m.score) }))
    .sort((a, b) => (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0));
}

/** Why a hit appeared, changed band or went, in the update's terms. */
export function describeChange(kind: AlertKind, entryId: string, changes: ChangeIndex): [ChangeKind, string] {
  const c = changes.get(entryId);
  if (!c) return ['entry unchanged', 'entry unchanged (its score crossed a band as the rest of the lists changed)'];
  if (c.kind === 'added') return ['entry added', 'entry added'];
  if (c.kind === 'removed') return ['entry removed', 'entry removed'];
  const e = c.change;
  const gone = kind === 'hit-gone';
  if (!gone && e.aliasesAdded?.length) return ['alias added', `alias added: ${e.aliasesAdded.join('; ')}`];
  if (gone && e.aliasesRemoved?.length) return ['alias removed', `alias removed: ${e.aliasesRemoved.join('; ')}`];
  if (e.previousName !== undefined) return ['name changed', `name changed: ${e.previousName} -> ${e.name}`];
  if (e.aliasesRemoved?.length) return ['alias removed', `alias removed: ${e.aliasesRemoved.join('; ')}`];
  if (e.aliasesAdded?.length) return ['alias added', `alias added: ${e.aliasesAdded.join('; ')}`];
  return ['entry changed', `entry changed: ${e.fields.join(', ')}`];
}

export interface Compared {
  /** The state to store (also when nothing changed, for a party seen for the first time). */
  state: PartyState;
  alerts: Alert[];
  /** First time this party (under this name and country) is screened: stored, no alerts. */
  baseline: boolean;
  /** Whether the stored state needs writing. */
  changed: boolean;
}

/**
 * Compares a party's stored state with its new result. A party without a stored state, or whose name or
 * country changed since, is compared with what its source last screened it as (`knownHits`, a case's opening
 * assessment) or, without one, is a baseline: its hits are stored and nothing is raised (the party is new to
 * chipwatch). Deterministic: alerts come in entry id order.
 */
export function compareParty(
  kind: string,
  party: KnownParty,
  previous: PartyState | undefined,
  result: ResultHits,
  changes: ChangeIndex,
  bands: ScreenConfig['bands'],
): Compared {
  const hits = hitsOf(result);
  const country = party.country?.trim() ? party.country.trim() : null;
  const state: PartyState = {
    kind,
    ref: party.ref,
    organisationId: party.organisationId ?? null,
    name: party.name,
    country,
    decision: result.decision,
    hits,
  };
  const stored = previous && previous.name === party.name && previous.country === country ? previous : undefined;
  const prior: PartyState | undefined =
    stored ??
    (party.knownHits ? { ...state, decision: party.knownHits.decision, hits: hitsOf(party.knownHits) } : undefined);
  if (!prior) return { state, alerts: [], baseline: true, changed: true };
  previous = prior;
  const changed =
    JSON.stringify(previous.hits) !== JSON.stringify(hits) ||
    previous.decision !== result.decision ||
    previous.organisationId !== state.organisationId;
  // A party compared with its source's own screening has no stored state yet: it is written either way.
  if (!changed) return { state, alerts: [], baseline: false, changed: !stored };
  const before = new Map(previous.hits.map((h) => [h.entryId, h]));
  const after = new Map(hits.map((h) => [h.entryId, h]));
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  const alerts: Alert[] = [];
  for (const id of ids) {
    const b = before.get(id);
    const a = after.get(id);
    const bd: Decision = b ? decide(b.score, bands) : 'clear';
    const ad: Decision = a ? decide(a.score, bands) : 'clear';
    if (bd === ad) continue;
    const alertKind: AlertKind = !b || bd === 'clear' ? 'new-hit' : !a || ad === 'clear' ? 'hit-gone' : 'changed-hit';
    const [changeKind, change] = describeChange(alertKind, id, changes);
    const e = (a ?? b)!;
    alerts.push({
      kind: alertKind,
      party: { kind, ref: party.ref, name: party.name, country, organisationId: state.organisationId },
      entry: { id, list: e.list, name: e.name },
      changeKind,
      change,
      before: { decision: bd, score: b?.score ?? null },
      after: { decision: ad, score: a?.score ?? null },
      partyDecision: { before: previous.decision, after: result.decision },
    });
  }
  return { state, alerts, baseline: false, changed: true };
}
