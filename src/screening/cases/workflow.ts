// The diligence workflow of the study's Figure 9 as a pure state machine: initial risk assessment ->
// enhanced vetting checklist (high risk) -> mitigation decision -> shipment -> post-shipment
// verification at about one week and six months. Each action yields the next state and the audit
// event; the store applies both in one transaction. A case whose assessment found hits (a party screened
// review or match, or owned 50% or more by listed parties) is held: it cannot be approved or shipped
// until a compliance-lead other than who opened or assessed it overrides them, or resolves a review as a
// false positive.
import { ConflictError, ForbiddenError, ValidationError } from '../../errors.js';
import { CHECKLIST, checklistFor, type ChecklistOutcome } from './checklist.js';

export const CASE_STATES = [
  'initial-assessment',
  'enhanced-vetting',
  'mitigation',
  'approved',
  'post-shipment',
  'closed',
  'cancelled',
] as const;
export type CaseState = (typeof CASE_STATES)[number];
export const MITIGATIONS = ['hold', 'limit-quantity', 'staged-delivery', 'consult-bis', 'cancel'] as const;
export type Mitigation = (typeof MITIGATIONS)[number];
export type Risk = 'low' | 'high';
export type VerificationKind = 'one-week' | 'six-month';

/** Days after shipment each verification falls due (the study: within a week, again ~6 months later). */
export const VERIFICATION_DUE_DAYS: Record<VerificationKind, number> = { 'one-week': 7, 'six-month': 182 };
/** How far ahead (days) the API and CLI look for verifications falling due: past the six-month check. */
export const MAX_LOOKAHEAD_DAYS = 400;
/** A six-month check needs evidence from no earlier than this many days before it falls due. */
export const SIX_MONTH_EARLIEST_DAYS = 30;

export interface ChecklistEntry {
  outcome: ChecklistOutcome;
  note: string;
  by: string;
  at: string;
}

export interface Verification {
  kind: VerificationKind;
  dueAt: string;
  status: 'pending' | 'passed' | 'failed';
  resolvedAt?: string;
  evidence?: { source: string; ref: string; observedAt: string; summary: string };
}

/** What holds a case: a party screened review or match, or an ownership hit under the 50% rule. */
export type HitKind = 'match' | 'review' | 'listed-by-ownership' | 'owned-by-listed-share-unknown';

export interface Hit {
  /** h1, h2, ... in the order of the assessment. */
  id: string;
  kind: HitKind;
  /** The party's role in the profile: customer, owner, beneficial-owner, consignee, payer. */
  role: string;
  party: string;
  /** The listed entry and score, or the ownership explanation with its chains. */
  detail: string;
  resolution?: { how: 'override' | 'false-positive'; by: string; at: string; reason: string };
}

/** Who acts: the audit name (`key:12/compliance-lead`, `cli:alice`) and, for API keys, the key's role. */
export interface Actor {
  name: string;
  role?: string;
}

/** The role that may override a hold (a second person: neither who opened nor who assessed the case). */
export const LEAD_ROLE = 'compliance-lead';

export interface CaseView {
  state: CaseState;
  risk: Risk | null;
  /** Reseller and distributor customers get the extra audit item of the checklist. */
  businessType?: string;
  checklist: Record<string, ChecklistEntry>;
  decision: { decision: Mitigation; maxQuantity?: number; stages?: number; bisReference?: string } | null;
  shippedAt: string | null;
  verifications: Verification[];
  /** Hits found by the assessment; unresolved ones hold the case before shipment. */
  hits?: Hit[];
  openedBy?: string;
  assessedBy?: string | null;
}

export type CaseAction =
  | { action: 'assess'; risk: Risk; reason: string }
  | { action: 'check'; item: string; outcome: ChecklistOutcome; reason: string }
  | { action: 'complete-vetting'; reason: string }
  | {
      action: 'decide';
      decision: Mitigation;
      reason: string;
      maxQuantity?: number;
      stages?: number;
      bisReference?: string;
    }
  | { action: 'ship'; shippedAt?: string; reason: string }
  | {
      action: 'verify';
      kind: VerificationKind;
      result: 'passed' | 'failed';
      source: string;
      ref: string;
      observedAt?: string;
      summary?: string;
      reason: string;
    }
  | { action: 'note'; reason: string }
  | { action: 'override'; hits: string[]; reason: string }
  | { action: 'resolve'; hit: string; reason: string };

export interface Transition {
  from: CaseState;
  to: CaseState;
  next: CaseView;
  /** What the audit event records beside who, when and why. */
  data: Record<string, unknown>;
}

const DAY_MS = 86_400_000;

function need(c: CaseView, a: CaseAction, ...states: CaseState[]): void {
  if (!states.includes(c.state)) {
    throw new ConflictError(`cannot ${a.action} a case in state ${c.state} (allowed in: ${states.join(', ')})`, {
      field: 'action',
    });
  }
}

/** The person behind an audit name: an API key (whatever its role) or a local user. */
export function personOf(name: string): string {
  return name.replace(/^(key:\d+)\/.*$/, '$1');
}

/** Hits not yet resolved: while any remains the case cannot be approved or shipped. */
export function openHits(c: Pick<CaseView, 'hits'>): Hit[] {
  return (c.hits ?? []).filter((h) => !h.resolution);
}

function describeHit(h: Hit): string {
  return `${h.id} ${h.role} "${h.party}" ${h.kind} (${h.detail})`;
}

/** Refuses a step towards shipment while hits are open, naming them and the way out. */
function refuseIfHeld(c: CaseView, what: string): void {
  const open = openHits(c);
  if (!open.length) return;
  const ids = open.map((h) => h.id).join(',');
  throw new ConflictError(
    `cannot ${what}: the case is held by ${open.map(describeHit).join('; ')}. Assess high risk and mitigate ` +
      `(hold, consult-bis, cancel), or have a ${LEAD_ROLE} other than who opened or assessed the case record ` +
      `"override --hits ${ids} --reason ..." (a review hit can instead be resolved as a false positive: ` +
      '"resolve --hit ID --reason ...")',
    { field: 'action' },
  );
}

/** Overrides and false-positive resolutions: a compliance-lead who neither opened nor assessed the case. */
function checkSecondPerson(c: CaseView, a: CaseAction, actor: Actor): void {
  if (actor.role !== LEAD_ROLE)
    throw new ForbiddenError(`only a ${LEAD_ROLE} key may ${a.action} a hold (this is ${actor.name})`, {
      field: 'action',
    });
  const me = personOf(actor.name);
  for (const [who, did] of [
    [c.openedBy, 'opened'],
    [c.assessedBy, 'assessed'],
  ] as const) {
    if (who && personOf(who) === me)
      throw new ForbiddenError(`${a.action} needs a second person: ${actor.name} ${did} this case`, {
        field: 'action',
      });
  }
}

function findOpenHit(c: CaseView, id: string, field: string): Hit {
  const h = (c.hits ?? []).find((x) => x.id === id);
  if (!h) {
    const known = (c.hits ?? []).map((x) => x.id).join(', ') || 'none';
    throw new ValidationError(`no hit ${id} on this case (hits: ${known})`, { field });
  }
  if (h.resolution)
    throw new ConflictError(`hit ${id} is already resolved (${h.resolution.how} by ${h.resolution.by})`, { field });
  return h;
}

export function applyAction(c: CaseView, a: CaseAction, who: string | Actor, now: Date): Transition {
  if (!a.reason?.trim()) throw new ValidationError('every decision needs a reason', { field: 'reason' });
  const actor: Actor = typeof who === 'string' ? { name: who } : who;
  const at = now.toISOString();
  const next: CaseView = {
    ...c,
    checklist: { ...c.checklist },
    verifications: c.verifications.map((v) => ({ ...v })),
    hits: (c.hits ?? []).map((h) => ({ ...h })),
  };
  let data: Record<string, unknown> = {};
  switch (a.action) {
    case 'assess':
      need(c, a, 'initial-assessment');
      if (a.risk === 'low') refuseIfHeld(c, 'assess low risk (which approves the case)');
      next.risk = a.risk;
      next.assessedBy = actor.name;
      next.state = a.risk === 'high' ? 'enhanced-vetting' : 'approved';
      data = { risk: a.risk };
      break;
    case 'check': {
      need(c, a, 'enhanced-vetting');
      const items = checklistFor(c.businessType);
      if (!items.some((i) => i.id === a.item)) {
        throw new ValidationError(`unknown checklist item "${a.item}" (one of: ${items.map((i) => i.id).join(', ')})`, {
          field: 'item',
        });
      }
      next.checklist[a.item] = { outcome: a.outcome, note: a.reason, by: actor.name, at };
      data = { item: a.item, outcome: a.outcome };
      break;
    }
    case 'complete-vetting': {
      need(c, a, 'enhanced-vetting');
      const missing = checklistFor(c.businessType)
        .filter((i) => !c.checklist[i.id])
        .map((i) => i.id);
      if (missing.length)
        throw new ConflictError(`the vetting checklist is incomplete: ${missing.join(', ')}`, { field: 'checklist' });
      const concerns = Object.entries(c.checklist)
        .filter(([, e]) => e.outcome === 'concern')
        .map(([k]) => k);
      // A clean checklist does not clear open hits: the case goes to mitigation until they are resolved.
      const held = openHits(c).map((h) => h.id);
      next.state = concerns.length || held.length ? 'mitigation' : 'approved';
      data = held.length ? { concerns, heldBy: held } : { concerns };
      break;
    }
    case 'decide': {
      need(c, a, 'mitigation');
      if (a.decision === 'limit-quantity' && !(a.maxQuantity && a.maxQuantity > 0)) {
        throw new ValidationError('limit-quantity needs maxQuantity > 0', { field: 'maxQuantity' });
      }
      if (a.decision === 'staged-delivery' && !(a.stages && a.stages >= 2)) {
        throw new ValidationError('staged-delivery needs stages >= 2', { field: 'stages' });
      }
      if (a.decision === 'limit-quantity' || a.decision === 'staged-delivery')
        refuseIfHeld(c, `decide ${a.decision} (which approves the case)`);
      next.decision = {
        decision: a.decision,
        ...(a.maxQuantity ? { maxQuantity: a.maxQuantity } : {}),
        ...(a.stages ? { stages: a.stages } : {}),
        ...(a.bisReference ? { bisReference: a.bisReference } : {}),
      };
      // hold and consult-bis keep the case waiting in mitigation; the others settle it.
      if (a.decision === 'cancel') next.state = 'cancelled';
      else if (a.decision === 'limit-quantity' || a.decision === 'staged-delivery')
        next.state = c.shippedAt ? 'post-shipment' : 'approved';
      data = { ...next.decision };
      break;
    }
    case 'ship': {
      need(c, a, 'approved');
      refuseIfHeld(c, 'ship');
      const shipped = a.shippedAt ? new Date(a.shippedAt) : now;
      if (Number.isNaN(shipped.getTime())) throw new ValidationError('shippedAt is not a date', { field: 'shippedAt' });
      if (shipped.getTime() > now.getTime() + DAY_MS)
        throw new ValidationError('shippedAt is in the future', { field: 'shippedAt' });
      next.shippedAt = shipped.toISOString();
      next.state = 'post-shipment';
      next.verifications = (Object.keys(VERIFICATION_DUE_DAYS) as VerificationKind[]).map((kind) => ({
        kind,
        status: 'pending',
        dueAt: new Date(shipped.getTime() + VERIFICATION_DUE_DAYS[kind] * DAY_MS).toISOString(),
      }));
      data = {
        shippedAt: next.shippedAt,
        verifications: next.verifications.map((v) => ({ kind: v.kind, dueAt: v.dueAt })),
      };
      break;
    }
    case 'verify': {
      need(c, a, 'post-shipment');
      const v = next.verifications.find((x) => x.kind === a.kind);
      if (!v) throw new ValidationError(`no ${a.kind} verification is scheduled`, { field: 'kind' });
      if (v.status !== 'pending')
        throw new ConflictError(`the ${a.kind} verification is already ${v.status}`, { field: 'kind' });
      const observed = a.observedAt ? new Date(a.observedAt) : now;
      if (Number.isNaN(observed.getTime()))
        throw new ValidationError('observedAt is not a date', { field: 'observedAt' });
      if (c.shippedAt && observed.getTime() < new Date(c.shippedAt).getTime()) {
        throw new ValidationError('evidence from before the shipment cannot verify it', { field: 'observedAt' });
      }
      if (
        a.kind === 'six-month' &&
        observed.getTime() < new Date(v.dueAt).getTime() - SIX_MONTH_EARLIEST_DAYS * DAY_MS
      ) {
        const earliest = new Date(new Date(v.dueAt).getTime() - SIX_MONTH_EARLIEST_DAYS * DAY_MS);
        throw new ValidationError(
          `six-month evidence must be observed on or after ${earliest.toISOString().slice(0, 10)}`,
          { field: 'observedAt' },
        );
      }
      v.status = a.result;
      v.resolvedAt = at;
      v.evidence = { source: a.source, ref: a.ref, observedAt: observed.toISOString(), summary: a.summary ?? '' };
      if (a.result === 'failed') {
        // Chips not where the customer said: back to mitigation (consult BIS, hold further orders).
        next.state = 'mitigation';
        next.risk = 'high';
      } else if (next.verifications.every((x) => x.status === 'passed')) {
        next.state = 'closed';
      }
      data = { kind: a.kind, result: a.result, evidence: v.evidence };
      break;
    }
    case 'note':
      data = {};
      break;
    case 'override': {
      need(c, a, 'initial-assessment', 'enhanced-vetting', 'mitigation', 'approved');
      checkSecondPerson(c, a, actor);
      const ids = [...new Set(a.hits)];
      if (!ids.length) throw new ValidationError('name the hits the override acknowledges', { field: 'hits' });
      for (const id of ids) findOpenHit(c, id, 'hits');
      for (const h of next.hits!) {
        if (ids.includes(h.id)) h.resolution = { how: 'override', by: actor.name, at, reason: a.reason };
      }
      data = {
        hits: next.hits!.filter((h) => ids.includes(h.id)).map((h) => ({ id: h.id, kind: h.kind, party: h.party })),
        stillOpen: openHits(next).map((h) => h.id),
      };
      break;
    }
    case 'resolve': {
      need(c, a, 'initial-assessment', 'enhanced-vetting', 'mitigation', 'approved');
      checkSecondPerson(c, a, actor);
      const h = findOpenHit(c, a.hit, 'hit');
      if (h.kind !== 'review')
        throw new ConflictError(
          `hit ${h.id} is a ${h.kind}, not a review: only a review can be resolved as a false positive; ` +
            `a ${LEAD_ROLE} records "override --hits ${h.id} --reason ..." instead`,
          { field: 'hit' },
        );
      next.hits!.find((x) => x.id === h.id)!.resolution = {
        how: 'false-positive',
        by: actor.name,
        at,
        reason: a.reason,
      };
      data = { hit: { id: h.id, kind: h.kind, party: h.party }, stillOpen: openHits(next).map((x) => x.id) };
      break;
    }
  }
  return { from: c.state, to: next.state, next, data };
}

/** A hit found after the case was opened, e.g. by re-screening when a list changed. */
export type NewHit = Pick<Hit, 'kind' | 'role' | 'party' | 'detail'>;

const BEFORE_SHIPMENT: readonly CaseState[] = ['initial-assessment', 'enhanced-vetting', 'mitigation', 'approved'];

/**
 * Adds hits to a case that has not shipped: it is held again until they are resolved. A hit already
 * open on the case (same kind, role, party and detail) is not added twice; after shipment nothing is added
 * (the post-shipment verifications and the alert are the way then).
 */
export function addHits(c: CaseView, hits: readonly NewHit[]): { next: CaseView; added: Hit[] } {
  const current = c.hits ?? [];
  if (!BEFORE_SHIPMENT.includes(c.state)) return { next: c, added: [] };
  const same = (a: NewHit, b: NewHit) =>
    a.kind === b.kind && a.role === b.role && a.party === b.party && a.detail === b.detail;
  const added: Hit[] = [];
  let n = current.reduce((m, h) => Math.max(m, Number(h.id.slice(1)) || 0), 0);
  for (const h of hits) {
    if ([...current.filter((x) => !x.resolution), ...added].some((x) => same(x, h))) continue;
    added.push({ id: `h${++n}`, kind: h.kind, role: h.role, party: h.party, detail: h.detail });
  }
  return { next: { ...c, hits: [...current.map((h) => ({ ...h })), ...added] }, added };
}

export function newCase(businessType?: string, hits: Hit[] = [], openedBy?: string): CaseView {
  return {
    state: 'initial-assessment',
    risk: null,
    businessType,
    checklist: {},
    decision: null,
    shippedAt: null,
    verifications: [],
    hits,
    openedBy,
    assessedBy: null,
  };
}

export { CHECKLIST };
