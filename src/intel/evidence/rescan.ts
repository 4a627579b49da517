// Judging every stored serial again: a filing made after a sighting may contradict it (a serial that was never
// filed is filed in Malaysia later), and alerts are raised at import time only. Idempotent.
import type { Db } from '../../db/index.js';
import { raiseForEvidence } from '../sightings/raise.js';
import { seenItem } from './import.js';
import { getEvidenceItems } from './store.js';

export async function rescanSerialEvidence(db: Db, now: Date): Promise<string[]> {
  return db.transaction(async (tx) => {
    const ids = await tx.query<{ id: string }>('select distinct evidence_id as id from intel_evidence_serials');
    const raised: string[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const items = await getEvidenceItems(
        tx,
        ids.slice(i, i + 500).map((r) => r.id),
      );
      raised.push(...(await raiseForEvidence(tx, items.map(seenItem), now)));
    }
    return raised.sort();
  });
}
