// Fleet policy, pure: when each chip is next checked and which alerts a new verdict raises. First check
// within a month of shipment (BIS guidance), then periodically; a chip or shipment that stops
// verifying, or a chip whose verdict turns inconsistent, raises an alert.
import type { LatLon } from '../geo/index.js';
import type { VerdictKind } from './verdict.js';

export interface FleetPolicy {
  /** The first check must succeed within this many days of shipment. */
  firstWithinDays: number;
  /** Days between successful checks. */
  periodDays: number;
  /** Hours before a failed check is retried. */
  retryHours: number;
  /** Days a chip may go without a successful check beyond its period before it "stopped verifying". */
  graceDays: number;
  /** Share of a shipment's chips failing at which the shipment as a whole is flagged. */
  shipmentFailShare: number;
}

export const DEFAULT_POLICY: FleetPolicy = {
  firstWithinDays: 30,
  periodDays: 90,
  retryHours: 24,
  graceDays: 14,
  shipmentFailShare: 0.25,
};

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Where a chip is declared to be. The registry will implement this; until then the verify_chips row. */
export interface DeclaredLocationSource {
  declaredFor(serials: readonly string[]): Promise<Map<string, LatLon>>;
}

export interface ChipState {
  serial: string;
  shipment: string | null;
  shippedAtMs: number | null;
  enrolledAtMs: number;
  lastVerifiedAtMs: number | null;
}

/** Verified = proven outside the restricted set and not contradicting the declaration. */
export function isVerified(v: VerdictKind): boolean {
  return v === 'proven-outside';
}

/** When a new chip is first due: right after shipment (or enrolment), so the month has room for retries. */
export function firstCheckAt(c: ChipState): number {
  return c.shippedAtMs ?? c.enrolledAtMs;
}

export function nextCheckAfter(verdict: VerdictKind, nowMs: number, p: FleetPolicy = DEFAULT_POLICY): number {
  return isVerified(verdict) ? nowMs + p.periodDays * DAY : nowMs + p.retryHours * HOUR;
}

/** The moment by which a chip must have verified (again). */
export function verifyDeadline(c: ChipState, p: FleetPolicy = DEFAULT_POLICY): number {
  if (c.lastVerifiedAtMs !== null) return c.lastVerifiedAtMs + (p.periodDays + p.graceDays) * DAY;
  return (c.shippedAtMs ?? c.enrolledAtMs) + p.firstWithinDays * DAY;
}

export type ChipAlert =
  | { kind: 'chip-inconsistent'; serial: string; detail: object }
  | { kind: 'chip-stopped-verifying'; serial: string; detail: object };

/** Alerts a verdict raises for its chip at `nowMs`. */
export function chipAlerts(
  c: ChipState,
  verdict: VerdictKind,
  nowMs: number,
  evidence: object,
  p: FleetPolicy = DEFAULT_POLICY,
): ChipAlert[] {
  const out: ChipAlert[] = [];
  if (verdict === 'inconsistent') out.push({ kind: 'chip-inconsistent', serial: c.serial, detail: { evidence } });
  const verifiedNow = isVerified(verdict);
  if (!verifiedNow && nowMs > verifyDeadline(c, p)) {
    out.push({
      kind: 'chip-stopped-verifying',
      serial: c.serial,
      detail: {
        lastVerifiedAt: c.lastVerifiedAtMs === null ? null : new Date(c.lastVerifiedAtMs).toISOString(),
        deadline: new Date(verifyDeadline(c, p)).toISOString(),
        verdict,
      },
    });
  }
  return out;
}

/** A shipment is flagged when at least `shipmentFailShare` of its chips are past their deadline or inconsistent. */
export function shipmentFailing(states: readonly { failing: boolean }[], p: FleetPolicy = DEFAULT_POLICY): boolean {
  if (states.length === 0) return false;
  const failing = states.filter((s) => s.failing).length;
  return failing / states.length >= p.shipmentFailShare;
}
