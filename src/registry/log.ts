// The registry's link to the transparency log (src/tlog): leaves are appended inside the filing's
// transaction, so a filing and its log entries commit or roll back together.
import type { Queryable } from '../db/index.js';
import type { LogAppender } from './import.js';

interface TlogModule {
  appendEntries(tx: Queryable, entries: readonly Uint8Array[]): Promise<{ firstIndex: number; treeSize: number }>;
}

// Loaded lazily: the CLI's other commands need not pay for the tlog's start-up.
const TLOG = '../tlog/index.js';
let loaded: Promise<TlogModule> | null = null;

export function tlogAppender(): LogAppender {
  return {
    async appendEntries(tx, entries) {
      loaded ??= import(TLOG) as Promise<TlogModule>;
      return (await loaded).appendEntries(tx, entries);
    },
  };
}
