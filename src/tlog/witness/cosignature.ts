// C2SP tlog-cosignature/v1 with Ed25519 (https://c2sp.org/tlog-cosignature): a witness's note signature
// over "cosignature/v1\ntime <t>\n" + the checkpoint body, carried as base64(key ID || u64 timestamp ||
// signature). Key IDs use the signature type 0x04, so a cosigner key never verifies as a log key.
import { createHash } from 'node:crypto';
import { NoteError } from '../errors.js';
import { bytesEqual, toBase64, toHex } from '../hash.js';
import { ed25519Sign, ed25519Verify, privateKeyObject, publicKeyOf } from '../ed25519.js';
import { isValidKeyName } from '../note.js';

const ALG_COSIGNATURE_V1 = 0x04;
const SIG_PREFIX = '\u2014 ';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface CosignerKey {
  name: string;
  keyId: Uint8Array;
  publicKey: Uint8Array;
}

export interface Cosigner extends CosignerKey {
  /** The published verifier key: <name>+<key id>+<base64(0x04 || public key)>. */
  vkey: string;
  /** The cosignature line (with its newline) over a checkpoint body at a POSIX time in seconds. */
  cosign(checkpointBody: string, timestamp: number): string;
}

export function cosignerKeyId(name: string, publicKey: Uint8Array): Uint8Array {
  const h = createHash('sha256')
    .update(name, 'utf8')
    .update(new Uint8Array([0x0a, ALG_COSIGNATURE_V1]))
    .update(publicKey)
    .digest();
  return new Uint8Array(h.subarray(0, 4));
}

export function formatCosignerVkey(name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new NoteError(`invalid cosigner name ${JSON.stringify(name)}`, { field: 'name' });
  const key = toBase64(new Uint8Array([ALG_COSIGNATURE_V1, ...publicKey]));
  return `${name}+${toHex(cosignerKeyId(name, publicKey))}+${key}`;
}

/** Parses a witness (cosigner) verifier key; `field` names the flag or variable it came from. */
export function parseCosignerVkey(vkey: string, field = 'witness vkey'): CosignerKey {
  const parts = vkey.trim().split('+');
  const bad = (why: string) => new NoteError(`${field}: ${why}`);
  if (parts.length < 3) throw bad('a verifier key reads <name>+<key id>+<base64 key>');
  const [name, idHex] = parts;
  const keyB64 = parts.slice(2).join('+');
  if (!isValidKeyName(name)) throw bad('invalid key name');
  if (!/^[0-9a-f]{8}$/.test(idHex) || !BASE64.test(keyB64)) throw bad('malformed key ID or key');
  const key = Buffer.from(keyB64, 'base64');
  if (key.length !== 33 || key[0] !== ALG_COSIGNATURE_V1)
    throw bad('not an Ed25519 cosignature/v1 key (type 0x04, 32 bytes); is it the log key?');
  const publicKey = new Uint8Array(key.subarray(1));
  if (toHex(cosignerKeyId(name, publicKey)) !== idHex) throw bad('the key ID does not match the name and key');
  return { name, keyId: cosignerKeyId(name, publicKey), publicKey };
}

function message(body: string, timestamp: number): Uint8Array {
  return new Uint8Array(Buffer.from(`cosignature/v1\ntime ${timestamp}\n${body}`, 'utf8'));
}

/** A cosigner over a 32-byte Ed25519 seed. */
export function ed25519Cosigner(name: string, seed: Uint8Array): Cosigner {
  const publicKey = publicKeyOf(seed);
  const keyId = cosignerKeyId(name, publicKey);
  const key = privateKeyObject(seed);
  return {
    name,
    keyId,
    publicKey,
    vkey: formatCosignerVkey(name, publicKey),
    cosign(body, timestamp) {
      if (!Number.isSafeInteger(timestamp) || timestamp <= 0) throw new RangeError('cosignature time must be > 0');
      const ts = Buffer.alloc(8);
      ts.writeBigUInt64BE(BigInt(timestamp));
      const sig = ed25519Sign(key, message(body, timestamp));
      return `${SIG_PREFIX}${name} ${toBase64(new Uint8Array([...keyId, ...ts, ...sig]))}\n`;
    },
  };
}

/** A private cosigner key file: PRIVATE+KEY+<name>+<key id>+<base64(0x04 || seed)> (Go note's layout). */
export function formatCosignerPrivateKey(name: string, seed: Uint8Array): string {
  const id = toHex(cosignerKeyId(name, publicKeyOf(seed)));
  return `PRIVATE+KEY+${name}+${id}+${toBase64(new Uint8Array([ALG_COSIGNATURE_V1, ...seed]))}\n`;
}

export function parseCosignerPrivateKey(text: string): Cosigner {
  const parts = text.trim().split('+');
  const bad = () => new NoteError('not a witness private key (PRIVATE+KEY+<name>+<id>+<key>)', { field: 'key' });
  if (parts.length < 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw bad();
  const key = Buffer.from(parts.slice(4).join('+'), 'base64');
  if (key.length !== 33 || key[0] !== ALG_COSIGNATURE_V1) throw bad();
  const c = ed25519Cosigner(parts[2], new Uint8Array(key.subarray(1)));
  if (toHex(c.keyId) !== parts[3]) throw bad();
  return c;
}

export interface VerifiedCosignature {
  name: string;
  /** POSIX seconds. */
  timestamp: number;
}

/**
 * The valid cosignatures by `keys` in a signed checkpoint note (untrusted). Lines by other keys are
 * ignored; a line whose name and key ID match a known key but whose signature fails makes the note
 * invalid (NoteError naming the witness), as signed-note requires.
 */
export function verifyCosignatures(note: string, keys: readonly CosignerKey[]): VerifiedCosignature[] {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('a signed note needs a blank line before its signatures');
  const body = note.slice(0, split + 1);
  const out: VerifiedCosignature[] = [];
  for (const line of note.slice(split + 2).split('\n')) {
    if (!line.startsWith(SIG_PREFIX)) continue;
    const [name, b64] = line.slice(SIG_PREFIX.length).split(' ');
    if (!b64 || !BASE64.test(b64)) continue;
    const sig = Buffer.from(b64, 'base64');
    const key = keys.find((k) => k.name === name && sig.length >= 4 && bytesEqual(k.keyId, sig.subarray(0, 4)));
    if (!key || out.some((c) => c.name === key.name)) continue;
    if (sig.length !== 4 + 8 + 64) throw new NoteError(`the cosignature by ${name} is malformed`);
    const ts = sig.readBigUInt64BE(4);
    if (ts === 0n || ts > BigInt(Number.MAX_SAFE_INTEGER))
      throw new NoteError(`the cosignature by ${name} has no valid time`);
    if (!ed25519Verify(key.publicKey, message(body, Number(ts)), new Uint8Array(sig.subarray(12))))
      throw new NoteError(`the cosignature by ${name} does not verify`);
    out.push({ name, timestamp: Number(ts) });
  }
  return out;
}
