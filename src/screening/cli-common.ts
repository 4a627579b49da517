import { userInfo } from 'node:os';
import type { Db } from '../db/index.js';
import type { LocationEvidenceSource } from './cases/location.js';
import type { PartySource } from './rescreen/sources.js';
export { withDb } from '../cli/db.js';

export const DATA_DIR_HELP = 'data directory (embedded database and caches)';

/** Passed in by the command table (configuration is read once, above the domains). */
export interface ScreeningCliOptions {
  /** PostgreSQL server URL; absent: the embedded database under --data-dir. */
  databaseUrl?: string;
  /** Location-verification evidence for `cases verify-due` (the assembler wires the verifier in). */
  locationEvidence?: (db: Db) => LocationEvidenceSource | Promise<LocationEvidenceSource>;
  /** Other domains' parties `lists update` re-screens (the assembler wires the registry in). */
  partySources?: () => Promise<PartySource[]>;
}

export function cliActor(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    /* no passwd entry */
  }
  return `cli:${user}`;
}
