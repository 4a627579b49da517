// Wiring between two domains (moves to the assembler, src/app/): a diligence case's post-shipment
// verification is satisfied by the verifier's status of the shipment the case refers to, and the
// estimator's named inputs are the intelligence domain's evidence aggregates.
import type { Queryable } from '../db/index.js';
import { shipmentVerification } from '../verify/index.js';
import type { LocationEvidenceSource } from '../screening/index.js';
import { ownerAndOperatorParties } from '../registry/index.js';
import { casePartySource, type PartySource } from '../screening/index.js';
import { loadEvidenceAggregates } from '../intel/index.js';
import type { DbSettings } from '../cli/db.js';
import type { EstimateInputs } from '../estimate/index.js';

export function shipmentLocationEvidence(db: Queryable): LocationEvidenceSource {
  return {
    async resultsFor(shipment, since) {
      const s = await shipmentVerification(db, shipment, since);
      return s ? [{ ref: s.ref, observedAt: s.checkedAt, consistent: s.allVerified, summary: s.summary }] : [];
    },
  };
}

/** The parties a list update re-screens: registry owners and location operators, and diligence case parties. */
export function knownPartySources(): PartySource[] {
  return [{ kind: 'registry', parties: (q) => ownerAndOperatorParties(q) }, casePartySource];
}

/** The estimator's named inputs: the evidence aggregates of the database in `dataDir` (or DATABASE_URL). */
export function evidenceInputs(settings: DbSettings, dataDir: string): Promise<EstimateInputs> {
  return loadEvidenceAggregates(settings, dataDir);
}
