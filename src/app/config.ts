// The one place where the environment becomes typed configuration, read once when the program starts.
// Everything below src/app/ receives the pieces it needs as parameters and never reads process.env.
import { ValidationError } from '../errors.js';

export interface Config {
  /** PostgreSQL server URL (DATABASE_URL); undefined: the embedded PGlite database in each --data-dir. */
  databaseUrl: string | undefined;
  /** A streaming replica of that server (DATABASE_READ_URL) for the reads that tolerate lag; undefined: none. */
  databaseReadUrl: string | undefined;
  /** The transparency log's key-encryption key (CHIPWATCH_LOG_KEK); undefined: DATA_DIR/tlog.kek. */
  logKek: string | undefined;
  /** Default TCP port of `serve` (PORT). */
  port: number;
  /** pino level of the server's log (LOG_LEVEL). */
  logLevel: string;
  /** CHIPWATCH_WASM=0 runs the estimator's JavaScript loops instead of WebAssembly (same numbers). */
  useWasm: boolean;
  /** CHIPWATCH_DEBUG: an internal error prints its stack as well. */
  debug: boolean;
  /** CHIPWATCH_LISTS_DIR: `serve` loads the list files of this directory whenever their content changes. */
  listsDir: string | undefined;
  /** CHIPWATCH_LISTS_CHECK_SECONDS: how often `serve` looks at the lists directory (default 300). */
  listsCheckSeconds: number;
  /** CHIPWATCH_TIPS_POW_BITS: leading zero bits of the proof of work a tip submission needs (default 20). */
  tipsPowBits: number;
  /** CHIPWATCH_WITNESSES: the log's witnesses, `URL=VKEY` separated by commas (docs/transparency-log.md). */
  witnesses: string[];
  /** CHIPWATCH_WITNESS_QUORUM: cosignatures a checkpoint needs before it is published (default: all witnesses). */
  witnessQuorum: number | undefined;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads the configuration; a malformed value is an error naming the variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const port = env.PORT ? Number(env.PORT) : 8080;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ValidationError(`PORT must be an integer from 1 to 65535, not ${JSON.stringify(env.PORT)}`, {
      field: 'PORT',
    });
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel))
    throw new ValidationError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`, { field: 'LOG_LEVEL' });
  const listsCheckSeconds = env.CHIPWATCH_LISTS_CHECK_SECONDS ? Number(env.CHIPWATCH_LISTS_CHECK_SECONDS) : 300;
  if (!Number.isInteger(listsCheckSeconds) || listsCheckSeconds < 1 || listsCheckSeconds > 86_400) {
    throw new ValidationError(
      'CHIPWATCH_LISTS_CHECK_SECONDS must be an integer from 1 to 86400, not ' +
        JSON.stringify(env.CHIPWATCH_LISTS_CHECK_SECONDS),
      { field: 'CHIPWATCH_LISTS_CHECK_SECONDS' },
    );
  }
  const tipsPowBits = env.CHIPWATCH_TIPS_POW_BITS ? Number(env.CHIPWATCH_TIPS_POW_BITS) : 20;
  if (!Number.isInteger(tipsPowBits) || tipsPowBits < 0 || tipsPowBits > 32) {
    throw new ValidationError(
      `CHIPWATCH_TIPS_POW_BITS must be an integer from 0 to 32, not ${JSON.stringify(env.CHIPWATCH_TIPS_POW_BITS)}`,
      { field: 'CHIPWATCH_TIPS_POW_BITS' },
    );
  }
  const witnessQuorum = env.CHIPWATCH_WITNESS_QUORUM ? Number(env.CHIPWATCH_WITNESS_QUORUM) : undefined;
  if (witnessQuorum !== undefined && (!Number.isInteger(witnessQuorum) || witnessQuorum < 1)) {
    throw new ValidationError(
      `CHIPWATCH_WITNESS_QUORUM must be a positive integer, not ${JSON.stringify(env.CHIPWATCH_WITNESS_QUORUM)}`,
      { field: 'CHIPWATCH_WITNESS_QUORUM' },
    );
  }
  if (env.DATABASE_READ_URL && !env.DATABASE_URL) {
    throw new ValidationError(
      'DATABASE_READ_URL names a read replica of a PostgreSQL server, so DATABASE_URL must name that server ' +
        '(the embedded database has no replica)',
      { field: 'DATABASE_READ_URL' },
    );
  }
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    databaseReadUrl: env.DATABASE_READ_URL || undefined,
    logKek: env.CHIPWATCH_LOG_KEK || undefined,
    port,
    logLevel,
    useWasm: env.CHIPWATCH_WASM !== '0',
    debug: Boolean(env.CHIPWATCH_DEBUG),
    listsDir: env.CHIPWATCH_LISTS_DIR || undefined,
    listsCheckSeconds,
    tipsPowBits,
    witnesses: (env.CHIPWATCH_WITNESSES ?? '')
      .split(',')
      .map((w) => w.trim())
      .filter(Boolean),
    witnessQuorum,
  };
}
