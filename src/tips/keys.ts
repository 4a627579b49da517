// Investigators' key files. A key pair is an X25519 box key pair (libsodium crypto_box_keypair); tips are
// sealed to the public key (crypto_box_seal). NAME.pub holds the public key, NAME.key the pair. With a
// passphrase, the secret key is encrypted with XChaCha20-Poly1305 under a key derived by scrypt
// (N = 2^15, r = 8, p = 1: 32 MiB, ~0.1 s; Node's crypto, since libsodium-wrappers without the "sumo"
// build has no crypto_pwhash). Both files are JSON, so a wrong file gets a clear error.
import { scryptSync } from 'node:crypto';
import { ValidationError } from '../errors.js';
import { sodium } from './sodium.js';

const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const MAXMEM = 64 * 1024 * 1024;

export interface KeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

export interface PublicKeyFile {
  kind: 'chipwatch-tips-public-key';
  version: 1;
  name: string;
  publicKey: string;
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const unb64 = (s: unknown, field: string, file: string, length: number): Uint8Array => {
  const b = typeof s === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(s) ? Buffer.from(s, 'base64') : undefined;
  if (!b || b.length !== length)
    throw new ValidationError(`${file}: ${field} is not ${length} bytes of base64`, { field });
  return new Uint8Array(b);
};

/** A short, readable fingerprint of a public key: the first 8 bytes of its BLAKE2b hash, in hex groups. */
export function fingerprint(publicKey: Uint8Array): string {
  const h = Buffer.from(sodium().crypto_generichash(32, publicKey, null)).toString('hex');
  return h.slice(0, 16).match(/.{4}/g)!.join('-');
}

export function generateKeyPair(): KeyPair {
  const kp = sodium().crypto_box_keypair();
  return { publicKey: kp.publicKey, privateKey: kp.privateKey };
}

export function encodePublicKey(name: string, publicKey: Uint8Array): string {
  const file: PublicKeyFile = { kind: 'chipwatch-tips-public-key', version: 1, name, publicKey: b64(publicKey) };
  return JSON.stringify(file, null, 2) + '\n';
}

function parseJson(text: string, file: string, kind: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new ValidationError(`${file}: not a chipwatch tips key file (not JSON)`);
  }
  if (typeof v !== 'object' || v === null || (v as { kind?: unknown }).kind !== kind)
    throw new ValidationError(`${file}: not a ${kind} file`, { field: 'kind' });
  if ((v as { version?: unknown }).version !== 1)
    throw new ValidationError(`${file}: unsupported version`, { field: 'version' });
  return v as Record<string, unknown>;
}

export function decodePublicKey(text: string, file: string): { name: string; publicKey: Uint8Array } {
  const v = parseJson(text, file, 'chipwatch-tips-public-key');
  const name = typeof v.name === 'string' && v.name.trim() !== '' ? v.name.trim() : undefined;
  if (!name) throw new ValidationError(`${file}: name is missing`, { field: 'name' });
  return { name, publicKey: unb64(v.publicKey, 'publicKey', file, 32) };
}

/** NAME.key: the pair, the secret part encrypted when a passphrase is given. */
export function encodePrivateKey(kp: KeyPair, passphrase?: string): string {
  const s = sodium();
  const base = { kind: 'chipwatch-tips-private-key', version: 1, publicKey: b64(kp.publicKey) };
  if (passphrase === undefined) return JSON.stringify({ ...base, privateKey: b64(kp.privateKey) }, null, 2) + '\n';
  const salt = s.randombytes_buf(16);
  const key = scryptSync(passphrase.normalize('NFC'), salt, 32, { ...SCRYPT, maxmem: MAXMEM });
  const nonce = s.randombytes_buf(s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const sealed = s.crypto_aead_xchacha20poly1305_ietf_encrypt(kp.privateKey, kp.publicKey, null, nonce, key);
  const encrypted = { kdf: 'scrypt', ...SCRYPT, salt: b64(salt), nonce: b64(nonce), ciphertext: b64(sealed) };
  return JSON.stringify({ ...base, encrypted }, null, 2) + '\n';
}

export function isEncryptedKey(text: string, file: string): boolean {
  return typeof parseJson(text, file, 'chipwatch-tips-private-key').encrypted === 'object';
}

export function decodePrivateKey(text: string, file: string, passphrase?: string): KeyPair {
  const s = sodium();
  const v = parseJson(text, file, 'chipwatch-tips-private-key');
  const publicKey = unb64(v.publicKey, 'publicKey', file, 32);
  let privateKey: Uint8Array;
  if (typeof v.encrypted === 'object' && v.encrypted !== null) {
    if (passphrase === undefined)
      throw new ValidationError(`${file} is protected by a passphrase: give --passphrase-file`, {
        field: 'passphrase',
      });
    const e = v.encrypted as Record<string, unknown>;
    if (e.kdf !== 'scrypt' || e.N !== SCRYPT.N || e.r !== SCRYPT.r || e.p !== SCRYPT.p)
      throw new ValidationError(`${file}: unsupported key derivation`, { field: 'encrypted' });
    const salt = unb64(e.salt, 'salt', file, 16);
    const nonce = unb64(e.nonce, 'nonce', file, s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    const ct = typeof e.ciphertext === 'string' ? new Uint8Array(Buffer.from(e.ciphertext, 'base64')) : undefined;
    if (!ct) throw new ValidationError(`${file}: ciphertext is missing`, { field: 'ciphertext' });
    const key = scryptSync(passphrase.normalize('NFC'), salt, 32, { ...SCRYPT, maxmem: MAXMEM });
    try {
      privateKey = s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ct, publicKey, nonce, key);
    } catch {
      throw new ValidationError(`${file}: wrong passphrase (or a damaged key file)`, { field: 'passphrase' });
    }
  } else {
    privateKey = unb64(v.privateKey, 'privateKey', file, 32);
  }
  const derived = s.crypto_scalarmult_base(privateKey);
  if (!s.memcmp(derived, publicKey))
    throw new ValidationError(`${file}: the private key does not match its public key`, { field: 'privateKey' });
  return { publicKey, privateKey };
}
