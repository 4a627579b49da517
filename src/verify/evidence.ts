// Location-verification results as evidence for due diligence: a diligence case refers to a shipment
// (its order or shipment reference), and its post-shipment verification is satisfied when every chip
// enrolled under that shipment has been proven outside the restricted countries and not found away
// from its declared site since the given date; it fails when any chip's latest verdict is anything
// else. Implements screening's LocationEvidenceSource.
import type { Queryable } from '../db/index.js';
import type { LocationEvidenceSource, LocationResult } from '../screening/index.js';

interface Row { id: string; serial: string; verdict: string; declared_consistent: boolean | null; checked_at: Date | string }

export function shipmentLocationEvidence(db: Queryable): LocationEvidenceSource {
  return {
    async resultsFor(shipment: string, since: Date): Promise<LocationResult[]> {
      const chips = await db.query<{ serial: string }>('select serial from verify_chips where shipment = $1', [shipment]);
      if (chips.length === 0) return [];
      // Each chip's latest verdict since `since`.
      const rows = await db.query<Row>(
        `select distinct on (r.serial) r.id, r.serial, r.verdict, r.declared_consistent, r.checked_at
         from verify_results r join verify_chips c on c.serial = r.serial
         where c.shipment = $1 and r.checked_at >= $2 order by r.serial, r.checked_at desc, r.id desc`, [shipment, since]);
      // Until every chip has been checked there is no verdict on the shipment (the case stays pending,
      // and shows as overdue; the verifier's own alerts cover chips that stop answering).
      if (rows.length < chips.length) return [];
      return [summarise(shipment, rows)];
    },
  };
}

/** One result for the shipment: consistent only when every chip has a good latest verdict. */
export function summarise(shipment: string, latest: readonly Row[]): LocationResult {
  const chipCount = latest.length;
  const good = latest.filter((r) => r.verdict === 'proven-outside' && r.declared_consistent !== false);
  const bad = latest.filter((r) => !good.includes(r));
  const observedAt = new Date(Math.max(...latest.map((r) => new Date(r.checked_at).getTime())));
  const ids = latest.map((r) => Number(r.id)).sort((a, b) => a - b);
  const parts = [`${good.length} of ${chipCount} chips proven outside the restricted countries at their declared sites`];
  if (bad.length) parts.push(`not verified: ${bad.slice(0, 5).map((r) => `${r.serial} (${r.verdict === 'proven-outside' ? 'not at its declared site' : r.verdict})`).join(', ')}${bad.length > 5 ? ', …' : ''}`);
  return {
    ref: `shipment ${shipment}: verify results ${ids.length > 3 ? `${ids[0]}…${ids[ids.length - 1]}` : ids.join(', ')}`,
    observedAt,
    consistent: good.length === chipCount,
    summary: parts.join('; '),
  };
}
