// The case flow of a tip, as a pure state machine: which status may follow which, what each change must
// say (a reason always; a closing reason from a fixed set; to whom a tip is referred), the deadline of
// each step, and the syntax of links. No database here: src/tips/cases.ts stores the events.
import { ValidationError } from '../errors.js';
import type { TipStatus } from './service.js';

export const STATUSES = ['received', 'triaged', 'investigating', 'referred', 'closed'] as const;

/**
 * The allowed changes. investigating → investigating and referred → referred record a periodic review
 * (and restart that step's clock); closed → triaged reopens a tip (new information, a reply).
 */
export const TRANSITIONS: Readonly<Record<TipStatus, readonly TipStatus[]>> = {
  received: ['triaged', 'closed'],
  triaged: ['investigating', 'closed'],
  investigating: ['investigating', 'referred', 'closed'],
  referred: ['referred', 'investigating', 'closed'],
  closed: ['triaged'],
};

/** Why a tip is closed: one of these, plus the investigator's text. */
export const CLOSE_REASONS = [
  'referred-and-resolved',
  'no-violation-found',
  'insufficient-information',
  'not-credible',
  'duplicate',
  'outside-scope',
] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

/** Who a tip can be referred to. */
export const REFERRAL_TARGETS = ['BIS-OEE', 'DOJ-NSD', 'FBI', 'HSI', 'OFAC', 'foreign-partner'] as const;
export type ReferralTarget = (typeof REFERRAL_TARGETS)[number];

/**
 * The deadline of each open step, counted in days from the day the tip entered it (or was last reviewed
 * in it). One table, with the reason for each number.
 */
export const DEADLINES: Readonly<Record<Exclude<TipStatus, 'closed'>, { days: number; next: string; why: string }>> = {
  received: {
    days: 14,
    next: 'triage',
    why: 'a tip about a shipment in progress is worthless once the chips have moved; two weeks bounds the wait',
  },
  triaged: {
    days: 30,
    next: 'open an investigation or close',
    why: 'a triaged tip must not sit unassigned: a month is enough to decide whether to investigate',
  },
  investigating: {
    days: 90,
    next: 'review (status investigating again) or refer or close',
    why: 'investigations are reviewed quarterly so that none is forgotten and the tipster can be answered',
  },
  referred: {
    days: 90,
    next: 'ask the agency for news (status referred again) or close',
    why: 'an agency referral is followed up quarterly; the tipster may be owed an award once it acts',
  },
};

export interface StatusChange {
  to: TipStatus;
  reason: string;
  closeReason?: string;
  referredTo?: string;
}

/** What a status event records. */
export interface StatusDetail {
  from: TipStatus;
  to: TipStatus;
  reason: string;
  closeReason?: CloseReason;
  referredTo?: ReferralTarget;
}

const isStatus = (s: string): s is TipStatus => (STATUSES as readonly string[]).includes(s);

/** Checks a change against the flow; returns what to record, or throws an error naming the field. */
export function checkTransition(from: TipStatus, change: StatusChange): StatusDetail {
  const { to } = change;
  if (!isStatus(to)) throw new ValidationError(`--to must be one of ${STATUSES.join(', ')}`, { field: 'to' });
  if (!TRANSITIONS[from].includes(to)) {
    const allowed = TRANSITIONS[from].join(', ');
    throw new ValidationError(`a tip that is ${from} cannot become ${to} (allowed: ${allowed})`, { field: 'to' });
  }
  const reason = change.reason.trim();
  if (reason === '') throw new ValidationError('a status change needs a reason', { field: 'reason' });
  if (reason.length > 2000) throw new ValidationError('the reason has at most 2000 characters', { field: 'reason' });
  const detail: StatusDetail = { from, to, reason };
  if (to === 'closed') {
    if (!(CLOSE_REASONS as readonly string[]).includes(change.closeReason ?? ''))
      throw new ValidationError(`closing needs --close-reason, one of ${CLOSE_REASONS.join(', ')}`, {
        field: 'closeReason',
      });
    detail.closeReason = change.closeReason as CloseReason;
  } else if (change.closeReason !== undefined)
    throw new ValidationError('--close-reason applies to --to closed', { field: 'closeReason' });
  if (to === 'referred') {
    if (!(REFERRAL_TARGETS as readonly string[]).includes(change.referredTo ?? ''))
      throw new ValidationError(`a referral needs --referred-to, one of ${REFERRAL_TARGETS.join(', ')}`, {
        field: 'referredTo',
      });
    detail.referredTo = change.referredTo as ReferralTarget;
  } else if (change.referredTo !== undefined)
    throw new ValidationError('--referred-to applies to --to referred', { field: 'referredTo' });
  return detail;
}

const addDays = (day: string, n: number) => new Date(Date.parse(day) + n * 86_400_000).toISOString().slice(0, 10);

export interface Deadline {
  status: TipStatus;
  /** the day the step's clock started: entering the status, or its last review */
  since: string;
  due: string;
  next: string;
  overdue: boolean;
  daysOverdue: number;
}

/** The deadline of a tip's current step (null when closed). */
export function deadlineOf(status: TipStatus, since: string, today: string): Deadline | null {
  if (status === 'closed') return null;
  const d = DEADLINES[status];
  const due = addDays(since, d.days);
  const late = Math.round((Date.parse(today) - Date.parse(due)) / 86_400_000);
  return { status, since, due, next: d.next, overdue: late > 0, daysOverdue: Math.max(0, late) };
}

/** Serial number syntax, the same as the registry's filings (src/registry/validate.ts SERIAL). */
const SERIAL = /^[A-Za-z0-9][A-Za-z0-9._\-/:]{0,63}$/;
/** Intelligence entity ids: free text for now (issue 19 adds the entities themselves). */
const ENTITY = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

export type Link = { serial: string } | { entity: string };

export function checkLink(link: { serial?: string; entity?: string }): Link {
  if ((link.serial === undefined) === (link.entity === undefined))
    throw new ValidationError('link one thing: --serial or --entity', { field: 'serial' });
  if (link.serial !== undefined) {
    if (!SERIAL.test(link.serial))
      throw new ValidationError('a serial is 1-64 letters, digits or . _ - / : starting with a letter or digit', {
        field: 'serial',
      });
    return { serial: link.serial };
  }
  if (!ENTITY.test(link.entity!))
    throw new ValidationError('an entity id is 1-100 letters, digits or . _ : - starting with a letter or digit', {
      field: 'entity',
    });
  return { entity: link.entity! };
}
