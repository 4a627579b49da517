// The log's Ed25519 signing key: generated on first use, stored in tlog_key encrypted with AES-256-GCM
// under a key-encryption key (KEK) that stays outside the database, so a database dump alone cannot
// forge checkpoints. The public key is published as a note verifier key.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Queryable } from '../db/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import { ed25519NoteSigner, formatVerifierKey, isValidKeyName, type NoteSigner } from './note.js';
import { publicKeyOf } from './ed25519.js';
import { toBytes } from './store.js';

/** The origin (and key name) of a log whose operator chose none. Operators should set their own. */
export const DEFAULT_LOG_ORIGIN = 'chipwatch.dev/registry-log';

export interface LogSignerOptions {
  /** 32-byte key-encryption key (see loadKeyEncryptionKey). */
  kek: Uint8Array;
  /** Checkpoint origin = key name; only used when the key is first created. */
  origin?: string;
}

export interface LogSigner extends NoteSigner {
  /** The checkpoint origin line, equal to the key name. */
  readonly origin: string;
  /** The published verifier key: <name>+<key id>+<base64(0x01 || public key)>. */
  readonly vkey: string;
}

function aad(name: string, publicKey: Uint8Array): Buffer {
  // Binds the ciphertext to its row: a swapped public key or name fails to decrypt.
  return Buffer.concat([Buffer.from(`chipwatch tlog key v1\n${name}\n`), publicKey]);
}

function checkKek(kek: Uint8Array): void {
  if (!(kek instanceof Uint8Array) || kek.length !== 32)
    throw new ValidationError('the log key-encryption key must have 32 bytes', { field: 'kek' });
}

export function encryptSeed(seed: Uint8Array, kek: Uint8Array, name: string, publicKey: Uint8Array): Uint8Array {
  checkKek(kek);
  const nonce = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, nonce).setAAD(aad(name, publicKey));
  const body = Buffer.concat([c.update(seed), c.final()]);
  return new Uint8Array(Buffer.concat([nonce, body, c.getAuthTag()]));
}

export function decryptSeed(blob: Uint8Array, kek: Uint8Array, name: string, publicKey: Uint8Array): Uint8Array {
  checkKek(kek);
  const b = Buffer.from(blob);
  try {
    const d = createDecipheriv('aes-256-gcm', kek, b.subarray(0, 12)).setAAD(aad(name, publicKey));
    d.setAuthTag(b.subarray(b.length - 16));
    return new Uint8Array(Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]));
  } catch {
    throw new ConflictError(
      'the log key cannot be decrypted with this key-encryption key (wrong CHIPWATCH_LOG_KEK or tlog.kek file?)',
      { field: 'kek' },
    );
  }
}

type KeyRow = {
  name: string;
  public_key: Uint8Array;
  private_key_enc: Uint8Array;
};

/** The log's signer; creates and stores the key on first use (race-safe across servers). */
export async function getLogSigner(db: Queryable, opts: LogSignerOptions): Promise<LogSigner> {
  checkKek(opts.kek);
  let [row] = await db.query<KeyRow>('select name, public_key, private_key_enc from tlog_key');
  if (!row) {
    const name = opts.origin ?? DEFAULT_LOG_ORIGIN;
    if (!isValidKeyName(name))
      throw new ValidationError('the log origin must be non-empty without spaces or "+"', { field: 'origin' });
    const seed = new Uint8Array(randomBytes(32));
    const pub = publicKeyOf(seed);
    await db.query(
      'insert into tlog_key (name, public_key, private_key_enc) values ($1, $2, $3) on conflict (id) do nothing',
      [name, Buffer.from(pub), Buffer.from(encryptSeed(seed, opts.kek, name, pub))],
    );
    [row] = await db.query<KeyRow>('select name, public_key, private_key_enc from tlog_key');
  }
  if (opts.origin !== undefined && opts.origin !== row.name)
    throw new ConflictError(`this log's origin is ${row.name}, not ${opts.origin}`, { field: 'origin' });
  const pub = toBytes(row.public_key);
  const seed = decryptSeed(toBytes(row.private_key_enc), opts.kek, row.name, pub);
  const signer = ed25519NoteSigner(row.name, seed);
  if (Buffer.compare(Buffer.from(signer.publicKey), Buffer.from(pub)) !== 0)
    throw new ConflictError('the stored log key does not match its public key');
  return { ...signer, origin: row.name, vkey: formatVerifierKey(row.name, pub) };
}

/** The published verifier key of the log, or NotFoundError before the first checkpoint. */
export async function logVerifierKey(db: Queryable): Promise<{ origin: string; vkey: string }> {
  const [row] = await db.query<{ name: string; public_key: Uint8Array }>('select name, public_key from tlog_key');
  if (!row) throw new NotFoundError('the log has no key yet: create a checkpoint first (chipwatch log checkpoint)');
  return { origin: row.name, vkey: formatVerifierKey(row.name, toBytes(row.public_key)) };
}
