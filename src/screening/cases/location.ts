// Post-shipment verification can be satisfied by a location-verification result. The verify domain
// provides such results; this module only states the small interface it must meet, so screening
// never depends on verify's internals.
import type { CaseAction, Verification } from './workflow.js';

export interface LocationResult {
  /** Stable reference of the verification result in its own domain (e.g. a verdict id). */
  ref: string;
  observedAt: Date;
  /** True when the chips were found where the customer declared they would be. */
  consistent: boolean;
  summary: string;
}

export interface LocationEvidenceSource {
  /** Results for the chips of a case's subject (its reference, e.g. an order or chip batch id) since a date. */
  resultsFor(subjectRef: string, since: Date): Promise<LocationResult[]>;
}

/**
 * The verify action a location result supports for a pending verification, or null when none of the
 * results is late enough (six-month checks need evidence near their due date).
 */
export function actionFromLocation(
  v: Verification,
  results: readonly LocationResult[],
  earliest: Date,
): CaseAction | null {
  if (v.status !== 'pending') return null;
  const usable = results
    .filter((r) => r.observedAt.getTime() >= earliest.getTime())
    .sort((a, b) => b.observedAt.getTime() - a.observedAt.getTime());
  const r = usable[0];
  if (!r) return null;
  return {
    action: 'verify',
    kind: v.kind,
    result: r.consistent ? 'passed' : 'failed',
    source: 'location-verification',
    ref: r.ref,
    observedAt: r.observedAt.toISOString(),
    summary: r.summary,
    reason:
      `location verification ${r.ref}: ` +
      `${r.consistent ? 'chips at the declared location' : 'chips NOT at the declared location'}`,
  };
}
