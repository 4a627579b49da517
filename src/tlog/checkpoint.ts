// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the note text "<origin>\n<tree size>\n
// <base64 root hash>\n" plus optional extension lines, signed as a C2SP signed note by the log key.
import { HASH_SIZE, toBase64 } from './hash.js';
import { NoteError } from './errors.js';
import { openNote, parseVerifierKey, signNote, type NoteSigner, type VerifierKey } from './note.js';

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  /** Extension lines after the root hash (opaque to this log; preserved). */
  extensions: string[];
}

const DECIMAL = /^(0|[1-9][0-9]{0,15})$/;
const BASE64_HASH = /^[A-Za-z0-9+/]{43}=$/;

export function formatCheckpoint(cp: Checkpoint): string {
  if (!cp.origin || /[\n\r]/.test(cp.origin)) throw new NoteError('checkpoint origin must be one non-empty line');
  if (!Number.isSafeInteger(cp.size) || cp.size < 0)
    throw new NoteError('checkpoint size must be a non-negative integer');
  if (cp.rootHash.length !== HASH_SIZE) throw new NoteError('checkpoint root hash must have 32 bytes');
  const ext = cp.extensions.map((e) => {
    if (!e || e.includes('\n')) throw new NoteError('checkpoint extension lines must be non-empty single lines');
    return `${e}\n`;
  });
  return `${cp.origin}\n${cp.size}\n${toBase64(cp.rootHash)}\n${ext.join('')}`;
}

/** Parses checkpoint note text (attacker-controlled) strictly. */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw new NoteError('checkpoint text must end in a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3) throw new NoteError('a checkpoint has an origin, a tree size and a root hash line');
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (!origin) throw new NoteError('checkpoint origin is empty');
  if (!DECIMAL.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine)))
    throw new NoteError(`checkpoint tree size ${JSON.stringify(sizeLine)} is not a decimal integer below 2^53`);
  if (!BASE64_HASH.test(rootLine)) throw new NoteError('checkpoint root hash is not base64 of 32 bytes');
  if (extensions.some((e) => e === '')) throw new NoteError('checkpoint has an empty extension line');
  return { origin, size: Number(sizeLine), rootHash: new Uint8Array(Buffer.from(rootLine, 'base64')), extensions };
}

export function signCheckpoint(cp: Checkpoint, signer: NoteSigner): string {
  return signNote(formatCheckpoint(cp), [signer]);
}

export interface VerifiedCheckpoint extends Checkpoint {
  note: string;
}

/**
 * Verifies a signed checkpoint note against the log's verifier key and returns its contents. The
 * origin must equal the key name unless `origin` names another expected origin.
 */
export function verifyCheckpoint(
  note: string,
  vkey: string | VerifierKey,
  opts: { origin?: string } = {},
): VerifiedCheckpoint {
  const key = typeof vkey === 'string' ? parseVerifierKey(vkey) : vkey;
  const { text } = openNote(note, [key]);
  const cp = parseCheckpoint(text);
  const want = opts.origin ?? key.name;
  if (cp.origin !== want)
    throw new NoteError(`checkpoint origin ${JSON.stringify(cp.origin)} is not ${JSON.stringify(want)}`);
  return { ...cp, note };
}
