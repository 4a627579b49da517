// Where the log's key-encryption key comes from: CHIPWATCH_LOG_KEK (base64 or hex of 32 bytes; for
// several servers sharing one PostgreSQL) or, for the embedded default, DATA_DIR/tlog.kek, created with
// mode 0600 on first use. The caller passes both in (KekSource); nothing here reads process.env.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../errors.js';

export const KEK_ENV = 'CHIPWATCH_LOG_KEK';
export const KEK_FILE = 'tlog.kek';

export function parseKek(text: string, source: string): Uint8Array {
  const t = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (bytes.length !== 32)
    throw new ValidationError(`${source} must hold 32 bytes in base64 or hex`, { field: source });
  return new Uint8Array(bytes);
}

/** Where the key-encryption key comes from: a value (CHIPWATCH_LOG_KEK, read by the caller) or the data directory. */
export interface KekSource {
  /** Absolute or cwd-relative data directory holding tlog.kek. */
  dataDir?: string;
  /** The CHIPWATCH_LOG_KEK value, when the operator set one; it wins over the file. */
  logKek?: string;
}

export function loadKeyEncryptionKey(opts: KekSource & { create?: boolean }): Uint8Array {
  if (opts.logKek) return parseKek(opts.logKek, KEK_ENV);
  if (!opts.dataDir)
    throw new ValidationError(`no log key-encryption key: set ${KEK_ENV} or use a data directory`, { field: KEK_ENV });
  const file = join(opts.dataDir, KEK_FILE);
  try {
    return parseKek(readFileSync(file, 'utf8'), file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || opts.create === false) throw e;
  }
  mkdirSync(opts.dataDir, { recursive: true });
  try {
    // 'wx' fails if another process created it meanwhile; then read theirs.
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return parseKek(readFileSync(file, 'utf8'), file);
}
