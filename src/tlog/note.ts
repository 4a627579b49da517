// C2SP signed-note (https://c2sp.org/signed-note): text ending in a newline, a blank line, then lines
// "— <key name> <base64(key ID || signature)>". Ed25519 key IDs are the first 4 bytes of
// SHA-256(name || 0x0A || 0x01 || public key); verifier keys read "<name>+<hex key ID>+<base64(0x01 ||
// public key)>". Notes come from untrusted servers: they are parsed strictly and size-limited.
import { createHash } from 'node:crypto';
import { bytesEqual, toBase64, toHex } from './hash.js';
import { ed25519Sign, ed25519Verify, privateKeyObject, publicKeyOf } from './ed25519.js';
import { NoteError } from './errors.js';

const ALG_ED25519 = 0x01;
const SIG_PREFIX = '\u2014 ';
export const MAX_NOTE_BYTES = 1 << 20;
const MAX_SIGNATURES = 100;
// Base64 of RFC 4648 §4 with padding; every signature and key in a note uses it.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface NoteSigner {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export interface VerifierKey {
  name: string;
  keyId: Uint8Array;
  publicKey: Uint8Array;
}

/** A key name is non-empty UTF-8 without Unicode spaces, '+' or control characters. */
export function isValidKeyName(name: string): boolean {
  // eslint-disable-next-line no-control-regex
  return name.length > 0 && !/[\s+\u0000-\u001f\u007f]/u.test(name);
}

export function ed25519KeyId(name: string, publicKey: Uint8Array): Uint8Array {
  const h = createHash('sha256')
    .update(name, 'utf8')
    .update(new Uint8Array([0x0a, ALG_ED25519]))
    .update(publicKey)
    .digest();
  return new Uint8Array(h.subarray(0, 4));
}

export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new NoteError(`invalid key name ${JSON.stringify(name)}`, { field: 'name' });
  return `${name}+${toHex(ed25519KeyId(name, publicKey))}+${toBase64(new Uint8Array([ALG_ED25519, ...publicKey]))}`;
}

/** Parses a verifier key (attacker-controlled when read from a server) and checks its key ID. */
export function parseVerifierKey(vkey: string): VerifierKey {
  const parts = vkey.trim().split('+');
  // The base64 key may itself contain '+': the name and key ID are the first two fields.
  if (parts.length < 3) throw new NoteError('a verifier key reads <name>+<key id>+<base64 key>', { field: 'vkey' });
  const [name, idHex] = parts;
  const keyB64 = parts.slice(2).join('+');
  if (!isValidKeyName(name)) throw new NoteError('invalid key name in verifier key', { field: 'vkey' });
  if (!/^[0-9a-f]{8}$/.test(idHex))
    throw new NoteError('the key ID of a verifier key is 8 lowercase hex digits', { field: 'vkey' });
  if (!BASE64.test(keyB64)) throw new NoteError('the key of a verifier key is not base64', { field: 'vkey' });
  const key = Buffer.from(keyB64, 'base64');
  if (key.length !== 33 || key[0] !== ALG_ED25519)
    throw new NoteError('only Ed25519 verifier keys (type 0x01, 32 bytes) are supported', { field: 'vkey' });
  const publicKey = new Uint8Array(key.subarray(1));
  const keyId = ed25519KeyId(name, publicKey);
  if (toHex(keyId) !== idHex)
    throw new NoteError('the key ID of the verifier key does not match its name and key', { field: 'vkey' });
  return { name, keyId, publicKey };
}

/** A signer over a 32-byte Ed25519 seed. */
export function ed25519NoteSigner(name: string, seed: Uint8Array): NoteSigner {
  if (!isValidKeyName(name)) throw new NoteError(`invalid key name ${JSON.stringify(name)}`, { field: 'name' });
  const key = privateKeyObject(seed);
  const publicKey = publicKeyOf(seed);
  return { name, publicKey, keyId: ed25519KeyId(name, publicKey), sign: (m) => ed25519Sign(key, m) };
}

function checkText(text: string, what: string): void {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw new NoteError(`${what} contains a control character`);
  if (Buffer.byteLength(text, 'utf8') > MAX_NOTE_BYTES)
    throw new NoteError(`${what} is larger than ${MAX_NOTE_BYTES} bytes`);
}

/** Signs `text` (which must end in a newline and hold no blank line) with every signer. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  checkText(text, 'note text');
  if (!text.endsWith('\n') || text.includes('\n\n') || text.startsWith('\n'))
    throw new NoteError('note text must end in a newline and contain no blank line');
  const msg = new Uint8Array(Buffer.from(text, 'utf8'));
  const lines = signers.map(
    (s) => `${SIG_PREFIX}${s.name} ${toBase64(new Uint8Array([...s.keyId, ...s.sign(msg)]))}\n`,
  );
  return `${text}\n${lines.join('')}`;
}

export interface OpenedNote {
  text: string;
  /** Names of the known keys whose signatures verified. */
  verifiedBy: string[];
}

/**
 * Opens a signed note (attacker-controlled): strict syntax, then every signature by a known key must
 * verify and at least one must be present. Signatures by unknown keys are ignored, as the spec asks.
 */
export function openNote(note: string, known: readonly VerifierKey[]): OpenedNote {
  if (typeof note !== 'string') throw new NoteError('a note is text');
  checkText(note, 'note');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('a signed note needs a blank line before its signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (!block.endsWith('\n')) throw new NoteError('the signature block must end in a newline');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteError(`more than ${MAX_SIGNATURES} signatures`);
  const msg = new Uint8Array(Buffer.from(text, 'utf8'));
  const verifiedBy: string[] = [];
  for (const line of lines) {
    if (!line.startsWith(SIG_PREFIX)) throw new NoteError('a signature line starts with "— "');
    const rest = line.slice(SIG_PREFIX.length);
    const sp = rest.indexOf(' ');
    const name = rest.slice(0, sp);
    const b64 = rest.slice(sp + 1);
    if (sp <= 0 || !isValidKeyName(name) || !BASE64.test(b64)) throw new NoteError('malformed signature line');
    const sig = Buffer.from(b64, 'base64');
    if (sig.length < 5) throw new NoteError('malformed signature line');
    const id = new Uint8Array(sig.subarray(0, 4));
    const key = known.find((k) => k.name === name && bytesEqual(k.keyId, id));
    if (!key) continue;
    if (verifiedBy.includes(name)) continue; // a duplicate line by the same key adds nothing
    if (!ed25519Verify(key.publicKey, msg, new Uint8Array(sig.subarray(4))))
      throw new NoteError(`invalid signature by ${name}`);
    verifiedBy.push(name);
  }
  if (verifiedBy.length === 0) throw new NoteError('the note carries no signature by a known key');
  return { text, verifiedBy };
}
