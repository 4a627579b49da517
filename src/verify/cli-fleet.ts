// `chipwatch verify landmark-add|enrol|run|alerts`: the fleet commands over the database. The caller
// passes the database URL (configuration is read once, above the domains).
import type { Command } from 'commander';
import { UsageError } from '../cli/errors.js';
import { collect, positiveInt, print, printJson } from '../cli/io.js';
import { withDb } from '../cli/db.js';
import { hostPort, num } from './cli-args.js';

export interface VerifyCliOptions {
  /** PostgreSQL server URL; absent: the embedded database under --data-dir. */
  databaseUrl?: string;
}

interface LandmarkAddOptions {
  id: string;
  lat: number;
  lon: number;
  publicKey: string;
  address: string;
  dataDir: string;
}

async function landmarkAddCommand(local: VerifyCliOptions, o: LandmarkAddOptions): Promise<void> {
  const { upsertLandmark } = await import('./store.js');
  const publicKey = Buffer.from(o.publicKey, 'base64url');
  const row = { id: o.id, lat: o.lat, lon: o.lon, publicKey, ...hostPort(o.address) };
  printJson(await withDb(local, o.dataDir, (db) => upsertLandmark(db, row)));
}

interface EnrolOptions {
  serial: string;
  publicKey: string;
  shipment?: string;
  shipped?: string;
  declaredLat?: number;
  declaredLon?: number;
  dataDir: string;
}

async function enrolCommand(local: VerifyCliOptions, o: EnrolOptions): Promise<void> {
  if ((o.declaredLat === undefined) !== (o.declaredLon === undefined)) {
    throw new UsageError('give both --declared-lat and --declared-lon');
  }
  const shippedAt = o.shipped ? new Date(o.shipped) : null;
  if (shippedAt && Number.isNaN(shippedAt.getTime())) throw new UsageError('--shipped must be an ISO 8601 date');
  const declared = o.declaredLat === undefined ? null : { lat: o.declaredLat, lon: o.declaredLon! };
  const { enrolChip } = await import('./store.js');
  const publicKey = Buffer.from(o.publicKey, 'base64url');
  const chip = { serial: o.serial, publicKey, shipment: o.shipment, shippedAt, declared };
  printJson(await withDb(local, o.dataDir, (db) => enrolChip(db, chip)));
}

function outside(v: { provenOutside: string[]; marginKm: Record<string, number> }): string {
  const margins = v.provenOutside.map((c) => `${c} by ≥ ${v.marginKm[c]} km`).join(', ');
  return margins ? `; outside ${margins}` : '';
}

interface RunOptions {
  serial: string[];
  rounds: number;
  json?: boolean;
  dataDir: string;
}

async function runCommand(local: VerifyCliOptions, o: RunOptions): Promise<void> {
  const { dueSerials, runChecks } = await import('./service.js');
  const { requestMeasurement } = await import('./client.js');
  await withDb(local, o.dataDir, async (db) => {
    const serials = o.serial.length ? o.serial : await dueSerials(db, new Date(), 10_000);
    if (!serials.length) return o.json ? printJson({ results: [] }) : print('no chips due');
    const r = await runChecks(db, serials, { now: new Date(), measure: requestMeasurement, rounds: o.rounds });
    if (o.json) return printJson({ ...r, results: r.results.map(({ region: _g, ...v }) => v) });
    for (const e of r.landmarkErrors) print(`landmark ${e.landmarkId}: ${e.reason}`);
    for (const x of r.rejected) print(`rejected ${x.landmarkId}${x.serial ? ` ${x.serial}` : ''}: ${x.reason}`);
    for (const v of r.results) print(`${v.serial}: ${v.verdict}${outside(v)}`);
    if (r.alerts) print(`${r.alerts} new alert(s)`);
  });
}

async function alertsCommand(local: VerifyCliOptions, o: { json?: boolean; dataDir: string }): Promise<void> {
  const { listAlerts } = await import('./store.js');
  const alerts = await withDb(local, o.dataDir, (db) => listAlerts(db, true));
  if (o.json) return printJson(alerts);
  if (!alerts.length) print('no alerts');
  for (const a of alerts) print(`${a.createdAt} ${a.kind} ${a.serial ?? a.shipment ?? ''}`);
}

export function registerFleetCommands(verify: Command, local: VerifyCliOptions): void {
  const dataDir = ['--data-dir <dir>', 'data directory for the embedded database', '.chipwatch'] as const;
  verify
    .command('landmark-add')
    .description('register a landmark in the directory (local administrator)')
    .requiredOption('--id <id>', 'landmark id')
    .requiredOption('--lat <deg>', 'latitude', num('--lat', -90, 90))
    .requiredOption('--lon <deg>', 'longitude', num('--lon', -180, 180))
    .requiredOption('--public-key <b64>', 'landmark public key (SPKI DER, base64url)')
    .requiredOption('--address <host:port>', 'where the landmark listens')
    .option(...dataDir)
    .action((o: LandmarkAddOptions) => landmarkAddCommand(local, o));

  verify
    .command('enrol')
    .description('enrol a chip: serial → public key, with shipment, ship date and declared site')
    .requiredOption('--serial <serial>', 'chip serial')
    .requiredOption('--public-key <b64>', 'chip public key (SPKI DER, base64url)')
    .option('--shipment <id>', 'shipment / batch id')
    .option('--shipped <iso>', 'ship date (ISO 8601)')
    .option('--declared-lat <deg>', 'declared site latitude', num('--declared-lat', -90, 90))
    .option('--declared-lon <deg>', 'declared site longitude', num('--declared-lon', -180, 180))
    .option(...dataDir)
    .action((o: EnrolOptions) => enrolCommand(local, o));

  verify
    .command('run')
    .description('verify chips now against every registered landmark: the given serials, or those due')
    .option('--serial <serial>', 'chip to verify (repeatable; default: the chips that are due)', collect, [])
    .option('--rounds <n>', 'rounds per chip', positiveInt('--rounds', 50), 5)
    .option('--json', 'print JSON')
    .option(...dataDir)
    .action((o: RunOptions) => runCommand(local, o));

  verify
    .command('alerts')
    .description('open alerts: chips or shipments that stopped verifying, chips inconsistent with their declared site')
    .option('--json', 'print JSON')
    .option(...dataDir)
    .action((o: { json?: boolean; dataDir: string }) => alertsCommand(local, o));
}
