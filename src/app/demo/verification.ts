// The demo's verification: landmarks at real cities with their own keys, chips enrolled with theirs,
// and the server's verifier (runChecks) asking each landmark to measure. The landmarks are simulated:
// their round trips come from the latency model, but the chips sign every challenge and the landmarks
// sign every batch with real keys, and the real verifier checks the signatures and judges each chip.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type sodiumModule from 'libsodium-wrappers';
import { loadSodium } from '../../tips/index.js';
import type { Db } from '../../db/index.js';
import { seededRng } from '../../registry/sample.js';
import { runChecks, softwareSigner, type MeasureFn, type Signer } from '../../verify/index.js';
import { challengePayload, enrolChips, type RecordFields, signBatch, upsertLandmark } from '../../verify/index.js';
import { FLOOR_MICROS, rttMicros } from './latency.js';
import { LANDMARKS, type World } from './world.js';

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
/** A documentation address (RFC 5737): the demo's landmarks answer in process; each has its own port. */
const OFFLINE_HOST = '192.0.2.1';
const portOf = (i: number) => 9001 + i;

const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

/** A 32-byte Ed25519 seed drawn from `rng`: the same world has the same keys. */
function seedFrom(rng: () => number): Buffer {
  const seed = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) seed[i] = Math.floor(rng() * 256);
  return seed;
}

function keyFromSeed(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

/**
 * The public key (SPKI) of a seed, derived by libsodium (RFC 8032, the same key): Node takes ~0.5 ms to make a
 * KeyObject, 5 s for the demo's 10,000 chips, most of which never sign anything here.
 */
function publicSpki(sodium: typeof sodiumModule, seed: Buffer): Buffer {
  return Buffer.concat([SPKI_ED25519, sodium.crypto_sign_seed_keypair(seed).publicKey]);
}

export interface VerificationSummary {
  landmarks: number;
  enrolled: number;
  checked: number;
  verdicts: Record<string, number>;
}

export async function seedVerification(db: Db, world: World): Promise<VerificationSummary> {
  const rng = seededRng(world.seed ^ 0x5eed);
  const landmarkSigners = new Map<string, Signer>();
  for (const [i, l] of LANDMARKS.entries()) {
    const signer = softwareSigner(keyFromSeed(seedFrom(rng)));
    landmarkSigners.set(l.id, signer);
    const address = { host: OFFLINE_HOST, port: portOf(i) };
    await upsertLandmark(db, { id: l.id, lat: l.lat, lon: l.lon, publicKey: signer.publicKeySpki, ...address });
  }
  // Every chip is enrolled with a key of its own; those not checked yet are due a week after the world's day.
  const checkedAt = new Map(world.checked.map((c) => [c.serial, c.at]));
  const nextWeek = new Date(world.now.getTime() + 7 * 86_400_000);
  const chips = new Map<string, { signer: Signer; at: { lat: number; lon: number } }>();
  const sodium = await loadSodium();
  const enrolments = world.enrolled.map((c) => {
    const seed = seedFrom(rng);
    const at = checkedAt.get(c.serial);
    if (at) chips.set(c.serial, { signer: softwareSigner(keyFromSeed(seed)), at });
    const { serial, shipment, shippedAt, declared } = c;
    return {
      serial,
      publicKey: publicSpki(sodium, seed),
      shipment,
      shippedAt,
      declared,
      firstCheckAt: at ? shippedAt : nextWeek,
    };
  });
  await db.transaction((tx) => enrolChips(tx, enrolments));

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
  return { landmarks: LANDMARKS.length, enrolled: world.enrolled.length, checked: chips.size, verdicts };
}
