// A new hit on a diligence case's party holds the case until someone resolves it, as a hit found when
// the case was opened does (src/screening/cases: a case with an open hit cannot ship). Shipped cases are
// not held: their alert and the post-shipment verifications are the way then.
import type { Queryable } from '../../db/index.js';
import { holdCase } from '../cases/store.js';
import type { NewHit } from '../cases/workflow.js';
import type { Alert } from './core.js';
import { caseRef } from './sources.js';

/**
 * Holds every case a new (or stronger) hit of the update falls on; returns the ids of the cases held.
 * `ownership`: case customers whose 50% verdict became (or grew to) a hit, held with the verdict and chain.
 */
export async function holdCasesWithNewHits(
  tx: Queryable,
  alerts: readonly Alert[],
  versionId: number,
  now: Date,
  ownership: readonly Alert[] = [],
): Promise<number[]> {
  const byCase = new Map<number, NewHit[]>();
  for (const a of [...alerts, ...ownership]) {
    if (a.party.kind !== 'case' || a.kind === 'hit-gone' || a.after.decision === 'clear') continue;
    const ref = caseRef(a.party.ref);
    if (!ref) continue;
    const hits = byCase.get(ref.caseId) ?? [];
    hits.push(
      a.basis === 'ownership' && a.ownership
        ? {
            kind: a.ownership.verdict as NewHit['kind'],
            role: ref.role,
            party: a.party.name,
            detail:
              `${a.ownership.explanation}: ${a.ownership.chains.join('; ')}; ` +
              `list version ${versionId}: ${a.ownership.listChange}`,
          }
        : {
            kind: a.after.decision,
            role: ref.role,
            party: a.party.name,
            detail: `${a.entry.list} ${a.entry.name}, score ${a.after.score}; list version ${versionId}: ${a.change}`,
          },
    );
    byCase.set(ref.caseId, hits);
  }
  const held: number[] = [];
  for (const [id, hits] of [...byCase].sort((x, y) => x[0] - y[0])) {
    const reason = `re-screening after list version ${versionId} found ${hits.length} new hit(s)`;
    const added = await holdCase(tx, id, hits, `rescreen:list-version-${versionId}`, now, reason);
    if (added.length) held.push(id);
  }
  return held;
}
