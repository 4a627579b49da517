// `chipwatch serve --demo`: builds the demo world on a fresh data directory, once, from a seed — the
// registry's filings, the verifier's landmarks and verdicts, diligence cases, tips, evidence and serial
// alerts — through the domains' services and the API, and writes one key per role to
// DATA_DIR/demo-keys.json (owner-only).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { listApiKeys } from '../../accounts/index.js';
import type { Db } from '../../db/index.js';
import { createCheckpoint, treeSize, type LogSigner } from '../../tlog/index.js';
import { listLandmarks } from '../../verify/index.js';
import { createDemoKeys, keyFor, writeDemoKeys } from './keys.js';
import { seedRegistry } from './registry.js';
import { apiCaller, seedCases } from './screening.js';
import { seedIntel, type IntelSummary } from './intel.js';
import { seedTips } from './tips.js';
import { seedVerification, type VerificationSummary } from './verification.js';
import { planWorld, worldDay } from './world.js';

export { DEFAULT_DEMO_SEED } from './world.js';

export const DEMO_KEYS_FILE = 'demo-keys.json';
export const DEMO_TIPS_KEY_FILE = 'demo-tips.key';

export interface DemoDeps {
  db: Db;
  app: FastifyInstance;
  dataDir: string;
  seed: number;
  logSigner: () => Promise<LogSigner>;
  log: (msg: string) => void;
  /** The clock the world is built against (its dates end the day before). */
  now?: Date;
}

export interface DemoSummary {
  filings: number;
  items: number;
  verification: VerificationSummary;
  cases: number;
  tips: number;
  intel: IntelSummary;
  ms: number;
}

/** No API key, an empty log, no landmark: a database nobody has used, the only kind the world is built in. */
export async function databaseIsEmpty(db: Db): Promise<boolean> {
  return (await listApiKeys(db)).length === 0 && (await treeSize(db)) === 0 && !(await listLandmarks(db)).length;
}

/** Seeds the world unless DATA_DIR/demo-keys.json says it was seeded; returns null when nothing was done. */
export async function ensureDemoWorld(d: DemoDeps): Promise<DemoSummary | null> {
  const file = join(d.dataDir, DEMO_KEYS_FILE);
  if (existsSync(file)) return null;
  const t0 = performance.now();
  let mark = t0;
  const lap = (what: string) => {
    const now = performance.now();
    d.log(`demo world: ${what} in ${Math.round(now - mark)} ms`);
    mark = now;
  };
  const world = planWorld(d.seed, worldDay(d.now ?? new Date()));
  const keys = await createDemoKeys(d.db);
  const registry = await seedRegistry(d.db, world);
  await createCheckpoint(d.db, await d.logSigner(), new Date());
  lap('registry');
  const verification = await seedVerification(d.db, world);
  lap('verification');
  const { cases } = await seedCases(apiCaller(d.app), keyFor(keys, 'compliance'), new Date());
  lap('cases');
  const { tips } = await seedTips(d.db, join(d.dataDir, DEMO_TIPS_KEY_FILE), world.now.toISOString().slice(0, 10));
  lap('tips');
  const intel = await seedIntel(d.db, world);
  lap('intelligence');
  // Last: the file marks the world as complete (a start that failed part-way seeds again from scratch).
  writeDemoKeys(file, keys);
  const summary = { ...registry, verification, cases, tips, intel, ms: Math.round(performance.now() - t0) };
  d.log(
    `demo world (seed ${d.seed}): ${registry.filings} filings, ${registry.items} items, ` +
      `${verification.enrolled} chips enrolled, ${verification.checked} checked by ` +
      `${verification.landmarks} landmarks, ` +
      `${cases} cases, ` +
      `${tips} tips, ${intel.alerts} serial alerts, ${intel.entities} entities in ${summary.ms} ms; ` +
      `one API key per role in ${file}, the investigator's tips key in ` +
      join(d.dataDir, DEMO_TIPS_KEY_FILE),
  );
  return summary;
}
