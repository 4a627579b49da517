// The diligence workflow of the study's Figure 9 as a pure state machine: initial risk assessment ->
// enhanced vetting checklist (high risk) -> mitigation decision -> shipment -> post-shipment
// verification at about one week and six months. Each action yields the next state and the audit
// event; the store applies both in one transaction.
import { ConflictError, ValidationError } from '../../errors.js';
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

export interface CaseView {
  state: CaseState;
  risk: Risk | null;
  /** Reseller and distributor customers get the extra audit item of the checklist. */
  businessType?: string;
  checklist: Record<string, ChecklistEntry>;
  decision: { decision: Mitigation; maxQuantity?: number; stages?: number; bisReference?: string } | null;
  shippedAt: string | null;
  verifications: Verification[];
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
  | { action: 'note'; reason: string };

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

export function applyAction(c: CaseView, a: CaseAction, actor: string, now: Date): Transition {
  if (!a.reason?.trim()) throw new ValidationError('every decision needs a reason', { field: 'reason' });
  const at = now.toISOString();
  const next: CaseView = { ...c, checklist: { ...c.checklist }, verifications: c.verifications.map((v) => ({ ...v })) };
  let data: Record<string, unknown> = {};
  switch (a.action) {
    case 'assess':
      need(c, a, 'initial-assessment');
      next.risk = a.risk;
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
      next.checklist[a.item] = { outcome: a.outcome, note: a.reason, by: actor, at };
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
      next.state = concerns.length ? 'mitigation' : 'approved';
      data = { concerns };
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
  }
  return { from: c.state, to: next.state, next, data };
}

export function newCase(businessType?: string): CaseView {
  return {
    state: 'initial-assessment',
    risk: null,
    businessType,
    checklist: {},
    decision: null,
    shippedAt: null,
    verifications: [],
  };
}

export { CHECKLIST };
