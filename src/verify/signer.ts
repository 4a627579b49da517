// Chip and landmark identities behind one interface. Software keys (Ed25519, ECDSA P-256 and P-384
// via node:crypto) serve simulation and tests; a hardware-backed signer (GPU attestation, TPM)
// implements the same interface (docs/verification.md, "Hardware signers").
import {
  createPrivateKey,
  createPublicKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';
import { ValidationError } from '../errors.js';

export const ALGORITHMS = ['ed25519', 'p256', 'p384'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export interface Signer {
  readonly alg: Algorithm;
  /** SubjectPublicKeyInfo DER of the public key (what gets enrolled). */
  readonly publicKeySpki: Buffer;
  /** Signs the message; may be asynchronous (a hardware signer answers over a bus). */
  sign(message: Buffer): Buffer | Promise<Buffer>;
}

/** Hash per algorithm: Ed25519 hashes internally; ECDSA uses SHA-256 / SHA-384 (FIPS 186-5). */
function hashOf(alg: Algorithm): string | null {
  return alg === 'ed25519' ? null : alg === 'p256' ? 'sha256' : 'sha384';
}

/** ECDSA signatures travel as fixed-size r‖s (IEEE P1363), so frames need no DER parsing. */
const DSA_ENCODING = 'ieee-p1363' as const;

export function signatureLength(alg: Algorithm): number {
  return alg === 'p384' ? 96 : 64;
}

export function algorithmOf(key: KeyObject): Algorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') return 'p256';
    if (curve === 'secp384r1') return 'p384';
  }
  throw new ValidationError('key must be Ed25519, ECDSA P-256 or ECDSA P-384', { field: 'key' });
}

export function softwareSigner(privateKey: KeyObject): Signer {
  const alg = algorithmOf(privateKey);
  const hash = hashOf(alg);
  const publicKeySpki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return {
    alg,
    publicKeySpki,
    sign: (message) => cryptoSign(hash, message, { key: privateKey, dsaEncoding: DSA_ENCODING }),
  };
}

export function signerFromPem(pem: string): Signer {
  try {
    return softwareSigner(createPrivateKey(pem));
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    throw new ValidationError('not a PEM private key', { field: 'key' });
  }
}

/** A parsed public key, cached by callers: parsing SPKI costs more than a verification. */
export interface PublicKey {
  alg: Algorithm;
  key: KeyObject;
  spki: Buffer;
}

export function publicKeyFromSpki(spki: Buffer, field = 'publicKey'): PublicKey {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  } catch {
    throw new ValidationError('not a DER SubjectPublicKeyInfo public key', { field });
  }
  return { alg: algorithmOf(key), key, spki };
}

/** Verifies a signature; malformed signatures are simply invalid (never an exception). */
export function verifySignature(pub: PublicKey, message: Buffer, signature: Buffer): boolean {
  if (signature.length !== signatureLength(pub.alg)) return false;
  try {
    return cryptoVerify(hashOf(pub.alg), message, { key: pub.key, dsaEncoding: DSA_ENCODING }, signature);
  } catch {
    return false;
  }
}
