// Satisfies due post-shipment verifications from location-verification results, through the small
// LocationEvidenceSource interface (the verify domain implements it; screening never imports it).
import type { Db } from '../../db/index.js';
import { actionFromLocation, type LocationEvidenceSource } from './location.js';
import { actOnCase, dueVerifications, getCase, type Scope } from './store.js';
import { SIX_MONTH_EARLIEST_DAYS } from './workflow.js';

export interface AppliedVerification {
  caseId: number;
  kind: string;
  result: 'passed' | 'failed';
  ref: string;
}

const DAY_MS = 86_400_000;

export async function applyLocationEvidence(
  db: Db,
  source: LocationEvidenceSource,
  scope: Scope,
  actor: string,
  now: Date,
  horizonDays = 0,
): Promise<AppliedVerification[]> {
  const due = await dueVerifications(db, scope, new Date(now.getTime() + horizonDays * DAY_MS));
  const applied: AppliedVerification[] = [];
  for (const d of due) {
    if (!d.subjectRef) continue; // nothing to look the chips up by
    const c = await getCase(db, d.caseId, scope);
    const v = c.verifications.find((x) => x.kind === d.kind);
    if (!v || !c.shippedAt) continue;
    const earliest =
      d.kind === 'six-month'
        ? new Date(new Date(v.dueAt).getTime() - SIX_MONTH_EARLIEST_DAYS * DAY_MS)
        : new Date(c.shippedAt);
    const results = await source.resultsFor(d.subjectRef, earliest);
    const action = actionFromLocation(v, results, earliest);
    if (action?.action !== 'verify') continue;
    await actOnCase(db, d.caseId, action, actor, now, scope);
    applied.push({ caseId: d.caseId, kind: d.kind, result: action.result, ref: action.ref });
  }
  return applied;
}
