// The world the browser tests look at, seeded through the domains' own functions before the server starts
// (verification: landmarks, 10,000 enrolled chips, verdicts judged by the real verifier from modelled round
// trips) and through the API once it runs (filings, a signed checkpoint, diligence cases). Diverted chips are
// declared in Stockholm but answer from Shenzhen: the verifier finds them inconsistent with their site.
import { createPublicKey } from 'node:crypto';
import type { Db } from '../../src/db/index.js';
import { distanceKm, FIBER_KM_PER_MS } from '../../src/geo/index.js';
import { sampleRows, rowsToCsv } from '../../src/registry/sample.js';
import { generateKey } from '../../src/verify/keyfile.js';
import { judge } from '../../src/verify/index.js';
import { enrolChip, storeResult, upsertLandmark } from '../../src/verify/store.js';

export const CHIPS = 10_000;
export const FILED = 1_000; // the first FILED chips are also in registry filings
export const DIVERTED = ['H100-0000007', 'H100-0000011', 'H100-0000013'];
const SHENZHEN = { lat: 22.5431, lon: 114.0579 };
const STOCKHOLM = { lat: 59.3157, lon: 18.0834 };
const LANDMARKS = [
  { id: 'singapore', lat: 1.3521, lon: 103.8198 },
  { id: 'tokyo', lat: 35.6762, lon: 139.6503 },
  { id: 'frankfurt', lat: 50.1109, lon: 8.6821 },
  { id: 'ashburn', lat: 39.0438, lon: -77.4874 },
];
const ROUTE_STRETCH = 1.5;

export const rows = sampleRows({ seed: 17, count: CHIPS });

/** The round trips a chip at `at` shows the landmarks: fibre at a route stretch, plus a millisecond. */
function observe(at: { lat: number; lon: number }) {
  return LANDMARKS.map((l) => ({
    landmarkId: l.id,
    lat: l.lat,
    lon: l.lon,
    rttMs: (2 * distanceKm(at, l) * ROUTE_STRETCH) / FIBER_KM_PER_MS + 1,
  }));
}

/** Before the server starts: landmarks, every chip enrolled at its declared site, verdicts for some. */
export async function seedVerification(db: Db, now: Date): Promise<void> {
  const spki = createPublicKey(generateKey('ed25519')).export({ type: 'spki', format: 'der' });
  await db.transaction(async (tx) => {
    for (const l of LANDMARKS) await upsertLandmark(tx, { ...l, publicKey: spki, host: '127.0.0.1', port: 9 });
    for (const [i, r] of rows.entries()) {
      const diverted = DIVERTED.includes(r.serial_number);
      const declared = diverted ? STOCKHOLM : { lat: Number(r.location_lat), lon: Number(r.location_lon) };
      const month = String(1 + (i % 12)).padStart(2, '0');
      await enrolChip(tx, {
        serial: r.serial_number,
        publicKey: spki,
        shipment: `${i % 2 ? 'Acme Accelerators' : 'Borealis Distribution'}/2025-${month}`,
        shippedAt: new Date(`2025-${month}-15T00:00:00Z`),
        declared,
      });
      if (i >= 300 && !diverted) continue; // the others are not checked yet
      const verdict = judge(observe(diverted ? SHENZHEN : declared), { declared });
      await storeResult(tx, r.serial_number, verdict, now, new Date(now.getTime() + 30 * 86_400_000), null);
    }
  });
}

/** The first FILED rows as the exporter's filings (JSON items, template column names as keys). */
export function filedItems(from: number, to: number) {
  return rows.slice(from, to);
}

/** An upload with one bad row (row 3: an ECCN the template does not know). */
export function csvWithOneBadRow(): string {
  const upload = sampleRows({ seed: 99, count: 4, serialPrefix: 'UPLOAD-' });
  upload[1].eccn = 'NOT-AN-ECCN';
  return rowsToCsv(upload);
}

export function caseProfile(name: string, country: string) {
  return {
    profile: { customer: { name, country, businessType: 'distributor' }, order: { ref: `PO-${name.length}` } },
  };
}
