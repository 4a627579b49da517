// Evidence bundles: everything needed to re-derive verdicts offline (`chipwatch verify check`): the
// landmark directory, enrolled chip keys, the signed batches, declared sites and the restricted set.
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { ALGORITHMS, publicKeyFromSpki, type PublicKey } from './signer.js';
import { signedBatchSchema } from './record.js';
import {
  checkBatch,
  claimNonces,
  memoryLedger,
  observationsFor,
  type Rejection,
  type TrustedLandmark,
} from './check.js';
import { judge, type Verdict } from './verdict.js';
import type { RecordFields } from './payloads.js';

const b64 = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[A-Za-z0-9_-]+$/, 'base64url');
const point = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });

export const landmarkEntrySchema = z.object({
  id: z.string().min(1).max(128),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  alg: z.enum(ALGORITHMS).optional(),
  publicKey: b64,
});
export const chipEntrySchema = z.object({ serial: z.string().min(1).max(128), publicKey: b64 });

export const bundleSchema = z.object({
  landmarks: z.array(landmarkEntrySchema).max(10_000),
  chips: z.array(chipEntrySchema).max(1_000_000),
  batches: z.array(signedBatchSchema).max(100_000),
  declared: z.record(point).optional(),
  restricted: z
    .array(z.string().regex(/^[A-Za-z]{2}$/))
    .max(300)
    .optional(),
  /** When the verdict is taken (ISO); default: the newest accepted record. */
  at: z.string().datetime().optional(),
  maxAgeSeconds: z
    .number()
    .positive()
    .max(30 * 86400)
    .optional(),
});
export type Bundle = z.infer<typeof bundleSchema>;
export type LandmarkEntry = z.infer<typeof landmarkEntrySchema>;

export interface SerialVerdict extends Verdict {
  serial: string;
}

/** A rejection located in the bundle: `batch` is the position in `batches`, `index` the record's in it. */
export interface BundleRejection extends Rejection {
  batch: number;
}

export interface BundleCheck {
  at: string;
  verdicts: SerialVerdict[];
  rejected: BundleRejection[];
  acceptedRecords: number;
}

export const DEFAULT_MAX_AGE_SECONDS = 900;

export function trustedLandmarks(entries: readonly LandmarkEntry[]): Map<string, TrustedLandmark> {
  return new Map(
    entries.map((l, i) => {
      const key = publicKeyFromSpki(Buffer.from(l.publicKey, 'base64url'), `landmarks[${i}].publicKey`);
      if (l.alg && l.alg !== key.alg)
        throw new ValidationError(`landmark ${l.id}: alg ${l.alg} does not match its key (${key.alg})`, {
          field: `landmarks[${i}].alg`,
        });
      return [l.id, { id: l.id, lat: l.lat, lon: l.lon, key }];
    }),
  );
}

/**
 * Re-checks a bundle from its signed records alone. `trust` replaces the bundle's own landmark
 * directory when the caller has an independent one (the bundle's could be forged along with its records).
 */
export function checkBundle(bundle: Bundle, trust?: readonly LandmarkEntry[]): BundleCheck {
  const landmarks = trustedLandmarks(trust ?? bundle.landmarks);
  const chips = new Map<string, PublicKey>(
    bundle.chips.map((c, i) => [
      c.serial,
      publicKeyFromSpki(Buffer.from(c.publicKey, 'base64url'), `chips[${i}].publicKey`),
    ]),
  );
  const times = bundle.batches.flatMap((b) => b.records.map((r) => Date.parse(r.time)));
  const atMs = bundle.at ? Date.parse(bundle.at) : times.length ? Math.max(...times) : 0;
  const ctx = {
    landmarks,
    chips,
    nowMs: atMs,
    maxAgeMs: (bundle.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS) * 1000,
    maxSkewMs: 0,
  };
  const ledger = memoryLedger();
  const accepted: RecordFields[] = [];
  const rejected: BundleRejection[] = [];
  bundle.batches.forEach((b, batch) => {
    const r = claimNonces(checkBatch(b, ctx), ledger);
    accepted.push(...r.accepted);
    rejected.push(...r.rejected.map((x) => ({ batch, ...x })));
  });
  const serials = [...new Set([...accepted.map((r) => r.serial), ...Object.keys(bundle.declared ?? {})])].sort();
  const verdicts = serials.map((serial) => ({
    serial,
    ...judge(observationsFor(serial, accepted, atMs), {
      declared: bundle.declared?.[serial] ?? null,
      restricted: bundle.restricted,
    }),
  }));
  return { at: new Date(atMs).toISOString(), verdicts, rejected, acceptedRecords: accepted.length };
}
