// Shared test helpers: sample rows as a stream, and the log the registry appends to.
import { Readable } from 'node:stream';
import { appendEntries, leafHashes } from '../../src/tlog/index.js';
import type { LogAppender } from '../../src/registry/import.js';

export function streamOf(text: string | Buffer): Readable {
  return Readable.from([typeof text === 'string' ? Buffer.from(text) : text]);
}

/** The real transparency log: leaves go into tlog_entries in the caller's transaction. */
export const tlog: LogAppender = { appendEntries, leafHashes };
