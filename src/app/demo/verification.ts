// The demo's verification: landmarks at real cities with their own keys, chips enrolled with theirs,
// and the server's verifier (runChecks) asking each landmark to measure. The landmarks are simulated:
// their round trips come from the latency model, but the chips sign every challenge and the landmarks
// sign every batch with real keys, and the real verifier checks the signatures and judges each chip.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Db } from '../../db/index.js';
import { seededRng } from '../../registry/sample.js';
import { runChecks, softwareSigner, type MeasureFn, type Signer } from '../../verify/index.js';
import { challengePayload, enrolChip, type RecordFields, signBatch, upsertLandmark } from '../../verify/index.js';
import { FLOOR_MICROS, rttMicros } from './latency.js';
import { LANDMARKS, type World } from './world.js';

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
/** A documentation address (RFC 5737): the demo's landmarks answer in process; each has its own port. */
const OFFLINE_HOST = '192.0.2.1';
const portOf = (i: number) => 9001 + i;

/** An Ed25519 key whose 32-byte seed is drawn from `rng`: the same world has the same keys. */
function seededKey(rng: () => number): KeyObject {
  const seed = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) seed[i] = Math.floor(rng() * 256);
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

export interface VerificationSummary {
  landmarks: number;
  enrolled: number;
  verdicts: Record<string, number>;
}

export async function seedVerification(db: Db, world: World): Promise<VerificationSummary> {
  const rng = seededRng(world.seed ^ 0x5eed);
  const landmarkSigners = new Map<string, Signer>();
  for (const [i, l] of LANDMARKS.entries()) {
    const signer = softwareSigner(seededKey(rng));
    landmarkSigners.set(l.id, signer);
    const address = { host: OFFLINE_HOST, port: portOf(i) };
    await upsertLandmark(db, { id: l.id, lat: l.lat, lon: l.lon, publicKey: signer.publicKeySpki, ...address });
  }
  const chips = new Map<string, { signer: Signer; at: { lat: number; lon: number } }>();
  const shipped = new Date(world.now.getTime() - 45 * 86_400_000);
  await db.transaction(async (tx) => {
    for (const c of world.checked) {
      const signer = softwareSigner(seededKey(rng));
      chips.set(c.serial, { signer, at: c.at });
      const shipment = c.serial.split('-').slice(0, 3).join('-');
      const declared = c.declared;
      await enrolChip(tx, {
        serial: c.serial,
        publicKey: signer.publicKeySpki,
        shipment,
        shippedAt: shipped,
        declared,
      });
    }
  });

  // One landmark's measurement run: every chip answers its nonce, the round trip comes from the model.
  // Each landmark draws from its own generator, so the order the verifier asks them in changes nothing.
  const measure: MeasureFn = async (addr, req) => {
    const i = addr.port - portOf(0);
    const l = LANDMARKS[i];
    const rng = seededRng(world.seed * 31 + i);
    const records: RecordFields[] = [];
    for (const c of req.chips) {
      const chip = chips.get(c.serial)!;
      const nonce = Buffer.alloc(32);
      for (let i = 0; i < 32; i++) nonce[i] = Math.floor(rng() * 256);
      records.push({
        landmarkId: l.id,
        landmarkLat: l.lat,
        landmarkLon: l.lon,
        floorMicros: FLOOR_MICROS,
        serial: c.serial,
        nonce,
        chipSignature: await chip.signer.sign(challengePayload(l.id, c.serial, nonce)),
        rttMicros: rttMicros(l, chip.at, rng()),
        rounds: req.rounds,
        timeMs: world.now.getTime() - 60_000,
      });
    }
    return { batch: await signBatch(l.id, landmarkSigners.get(l.id)!, records), failures: [] };
  };
  const r = await runChecks(
    db,
    world.checked.map((c) => c.serial),
    { now: world.now, measure },
  );
  const verdicts: Record<string, number> = {};
  for (const x of r.results) verdicts[x.verdict] = (verdicts[x.verdict] ?? 0) + 1;
  return { landmarks: LANDMARKS.length, enrolled: chips.size, verdicts };
}
