// `chipwatch verify ...`, `chipwatch landmark` and `chipwatch agent`: thin wrappers over the verify
// core. Data goes to stdout (JSON with --json), diagnostics and logs to stderr.
import type { Command } from 'commander';
import { Option } from 'commander';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../errors.js';
import { UsageError } from '../cli/errors.js';
import { collect, positiveInt, print, printJson } from '../cli/io.js';
import { loadConfig } from '../config.js';

function readJson(path: string, field: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ValidationError(`${path} is not valid JSON (${(e as Error).message})`, { field });
  }
}

function num(name: string, min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`${name} must be a number from ${min} to ${max}`);
    return n;
  };
}

function hostPort(v: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(v);
  if (!m || Number(m[2]) > 65535) throw new UsageError(`expected HOST:PORT, got ${JSON.stringify(v)}`);
  return { host: m[1].replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

function codes(v: string): string[] {
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

async function logger(level: string) {
  const { pino, destination } = await import('pino');
  return pino({ level }, destination(2));
}

async function openDb(dataDir: string) {
  const { openDb } = await import('../db/index.js');
  const config = loadConfig(process.env, { dataDir });
  return openDb({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pgdata') });
}

export function registerVerifyCommands(program: Command): void {
  program.command('landmark')
    .description('run a landmark server: agents connect to it, verifiers ask it to measure chips')
    .requiredOption('--id <id>', 'landmark id (printable ASCII)')
    .requiredOption('--lat <deg>', 'latitude of the landmark', num('--lat', -90, 90))
    .requiredOption('--lon <deg>', 'longitude of the landmark', num('--lon', -180, 180))
    .requiredOption('--key <file>', 'landmark private key (PEM; `chipwatch verify keygen`)')
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:7400')
    .option('--floor-us <micros>', 'calibrated processing floor in µs (subtracted from every RTT)', num('--floor-us', 0, 1e6))
    .option('--calibrate', 'measure the processing floor on loopback at start (ignored with --floor-us)')
    .option('--round-timeout-ms <ms>', 'how long to wait for each answer', positiveInt('--round-timeout-ms', 60_000), 2000)
    .option('--log-level <level>', 'log level', 'info')
    .action(async (o: { id: string; lat: number; lon: number; key: string; listen: string; floorUs?: number; calibrate?: boolean; roundTimeoutMs: number; logLevel: string }) => {
      const { readSigner } = await import('./keyfile.js');
      const { Landmark } = await import('./landmark.js');
      const signer = readSigner(o.key);
      const floorMicros = o.floorUs ?? (o.calibrate ? await (await import('./calibrate.js')).calibrateFloorMicros() : 0);
      const log = await logger(o.logLevel);
      const lm = new Landmark({ id: o.id, lat: o.lat, lon: o.lon, floorMicros, signer, log, roundTimeoutMs: o.roundTimeoutMs });
      const addr = hostPort(o.listen);
      const bound = await lm.listen(addr.port, addr.host);
      // One line on stdout so scripts (and tests) learn the port when asked for port 0.
      printJson({ event: 'listening', id: o.id, host: bound.host, port: bound.port, floorMicros, alg: signer.alg, publicKey: signer.publicKeySpki.toString('base64url') });
      const stop = async () => { await lm.close(); process.exit(0); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await new Promise<never>(() => {});
    });

  program.command('agent')
    .description('run the chip-side agent: answers the challenges of the given landmarks with the chip key')
    .requiredOption('--serial <serial>', 'chip serial')
    .requiredOption('--key <file>', 'chip private key (PEM); a hardware signer replaces this (docs/verification.md)')
    .requiredOption('--landmark <id=host:port>', 'a landmark to answer (repeatable)', collect, [])
    .option('--log-level <level>', 'log level', 'info')
    .action(async (o: { serial: string; key: string; landmark: string[]; logLevel: string }) => {
      const { readSigner } = await import('./keyfile.js');
      const { Agent } = await import('./agent.js');
      const landmarks = o.landmark.map((s) => {
        const i = s.indexOf('=');
        if (i < 1) throw new UsageError(`--landmark takes ID=HOST:PORT, got ${JSON.stringify(s)}`);
        return { id: s.slice(0, i), ...hostPort(s.slice(i + 1)) };
      });
      if (!landmarks.length) throw new UsageError('give at least one --landmark ID=HOST:PORT');
      const agent = new Agent({ serial: o.serial, signer: readSigner(o.key), landmarks, log: await logger(o.logLevel) });
      agent.start();
      printJson({ event: 'started', serial: o.serial, landmarks: landmarks.map((l) => l.id) });
      const stop = () => { agent.stop(); process.exit(0); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      await new Promise<never>(() => {});
    });

  const verify = program.command('verify').description('location verification: offline analysis, planning, re-checking signed records, fleet checks');

  verify.command('locate')
    .description('offline analysis: FILE holds one case or an array; prints verdict, declaredConsistent, provenOutside, marginKm, region')
    .requiredOption('--observations <file>', 'JSON: {"declared"?, "restricted"?, "observations": [{"landmark": {id, lat, lon}, "rttMs"}]} or an array of them')
    .option('--json', 'print JSON (the full answer, including the region as GeoJSON)')
    .action(async (o: { observations: string; json?: boolean }) => {
      const { locate } = await import('./locate.js');
      const out = locate(readJson(o.observations, 'observations'));
      if (o.json) return printJson(out);
      for (const [i, a] of (Array.isArray(out) ? out : [out]).entries()) {
        const margins = Object.entries(a.marginKm).map(([c, km]) => `${c} by ≥ ${km} km`).join(', ');
        print(`${Array.isArray(out) ? `[${i}] ` : ''}${a.verdict}${a.declaredConsistent === null ? '' : `; declared site ${a.declaredConsistent ? 'consistent' : 'INCONSISTENT'}`}${margins ? `; outside ${margins}` : ''}`);
      }
    });

  verify.command('plan')
    .description('which landmarks can prove a declared site outside the restricted set, and the largest RTT each must observe')
    .requiredOption('--lat <deg>', 'latitude of the declared site', num('--lat', -90, 90))
    .requiredOption('--lon <deg>', 'longitude of the declared site', num('--lon', -180, 180))
    .option('--landmarks <file>', 'JSON array of {id, lat, lon, floorMs?} (default: reference interconnection cities)')
    .option('--restricted <codes>', 'restricted countries, ISO alpha-2, comma-separated', 'CN,HK,MO')
    .option('--json', 'print JSON')
    .action(async (o: { lat: number; lon: number; landmarks?: string; restricted: string; json?: boolean }) => {
      const { plan } = await import('./plan.js');
      const { z } = await import('zod');
      const sites = o.landmarks
        ? z.array(z.object({ id: z.string().min(1).max(128), lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), floorMs: z.number().min(0).optional() })).max(100_000).parse(readJson(o.landmarks, 'landmarks'))
        : (await import('./sites.js')).REFERENCE_SITES;
      const rows = plan({ lat: o.lat, lon: o.lon }, sites, { restricted: codes(o.restricted) });
      if (o.json) return printJson(rows);
      print('landmark              site km  to restricted km  min RTT ms  max RTT ms  proves');
      for (const r of rows) {
        print(`${r.landmarkId.padEnd(20)} ${String(r.distanceToSiteKm).padStart(8)}  ${(`${r.distanceToRestrictedKm} (${r.nearestRestricted})`).padStart(16)}  ${String(r.minPossibleRttMs).padStart(10)}  ${String(r.maxRttMs ?? '—').padStart(10)}  ${r.canProve ? 'yes' : 'no'}`);
      }
    });

  verify.command('check <records>')
    .description('re-check verdicts offline from an evidence bundle of signed records (landmarks, chips, batches)')
    .option('--landmarks <file>', 'independent landmark directory (JSON array of {id, lat, lon, publicKey}) to trust instead of the bundle\'s')
    .option('--json', 'print JSON')
    .action(async (file: string, o: { landmarks?: string; json?: boolean }) => {
      const { bundleSchema, checkBundle, landmarkEntrySchema } = await import('./bundle.js');
      const { z } = await import('zod');
      const parsed = bundleSchema.safeParse(readJson(file, 'records'));
      if (!parsed.success) throw new ValidationError(parsed.error.issues[0].message, { field: parsed.error.issues[0].path.join('.') });
      const trust = o.landmarks ? z.array(landmarkEntrySchema).parse(readJson(o.landmarks, 'landmarks')) : undefined;
      if (!trust) process.stderr.write('chipwatch: note: trusting the landmark keys inside the bundle; pass --landmarks to check against an independent directory\n');
      const r = checkBundle(parsed.data, trust);
      if (o.json) return printJson({ ...r, verdicts: r.verdicts.map(({ region: _g, ...v }) => v) });
      print(`at ${r.at}: ${r.acceptedRecords} records accepted, ${r.rejected.length} rejected`);
      for (const x of r.rejected) print(`  rejected ${x.landmarkId}${x.serial ? ` ${x.serial}` : ''}: ${x.reason}`);
      for (const v of r.verdicts) {
        const why = v.evidence.inconsistent ? ` (landmark ${v.evidence.inconsistent.landmarkId}: declared site ${v.evidence.inconsistent.excessKm} km beyond its disk)` : '';
        print(`${v.serial}: ${v.verdict}${why}${v.provenOutside.length ? `; outside ${v.provenOutside.map((c) => `${c} by ≥ ${v.marginKm[c]} km`).join(', ')}` : ''}`);
      }
    });

  verify.command('keygen')
    .description('create a software key (landmark or simulated chip); prints the public key (SPKI DER, base64url)')
    .addOption(new Option('--alg <alg>', 'algorithm').choices(['ed25519', 'p256', 'p384']).default('ed25519'))
    .requiredOption('--out <file>', 'where to write the private key (PEM, mode 600; never overwritten)')
    .option('--json', 'print JSON')
    .action(async (o: { alg: 'ed25519' | 'p256' | 'p384'; out: string; json?: boolean }) => {
      const { generateKey, writeKeyFile } = await import('./keyfile.js');
      const s = writeKeyFile(o.out, generateKey(o.alg));
      if (o.json) printJson({ alg: s.alg, publicKey: s.publicKeySpki.toString('base64url'), file: o.out });
      else print(s.publicKeySpki.toString('base64url'));
    });

  verify.command('measure')
    .description('ask one landmark to measure chips now; prints its signed answer (JSON)')
    .requiredOption('--landmark <host:port>', 'landmark address')
    .requiredOption('--chip <serial=publicKey>', 'chip serial and enrolled public key (repeatable)', collect, [])
    .option('--rounds <n>', 'rounds per chip', positiveInt('--rounds', 50), 5)
    .action(async (o: { landmark: string; chip: string[]; rounds: number }) => {
      const { requestMeasurement } = await import('./client.js');
      const { publicKeyFromSpki } = await import('./signer.js');
      const chips = o.chip.map((c) => {
        const i = c.indexOf('=');
        if (i < 1) throw new UsageError('--chip takes SERIAL=PUBLICKEY');
        const publicKey = c.slice(i + 1);
        return { serial: c.slice(0, i), publicKey, alg: publicKeyFromSpki(Buffer.from(publicKey, 'base64url'), 'chip').alg };
      });
      if (!chips.length) throw new UsageError('give at least one --chip');
      printJson(await requestMeasurement(hostPort(o.landmark), { chips, rounds: o.rounds }));
    });

  registerFleetCommands(verify);
}

function registerFleetCommands(verify: Command): void {
  const dataDir = ['--data-dir <dir>', 'data directory for the embedded database', '.chipwatch'] as const;
  verify.command('landmark-add')
    .description('register a landmark in the directory (local administrator)')
    .requiredOption('--id <id>', 'landmark id').requiredOption('--lat <deg>', 'latitude', num('--lat', -90, 90)).requiredOption('--lon <deg>', 'longitude', num('--lon', -180, 180))
    .requiredOption('--public-key <b64>', 'landmark public key (SPKI DER, base64url)').requiredOption('--address <host:port>', 'where the landmark listens')
    .option(...dataDir)
    .action(async (o: { id: string; lat: number; lon: number; publicKey: string; address: string; dataDir: string }) => {
      const db = await openDb(o.dataDir);
      try {
        const { upsertLandmark } = await import('./store.js');
        printJson(await upsertLandmark(db, { id: o.id, lat: o.lat, lon: o.lon, publicKey: Buffer.from(o.publicKey, 'base64url'), ...hostPort(o.address) }));
      } finally { await db.close(); }
    });

  verify.command('enrol')
    .description('enrol a chip: serial → public key, with shipment, ship date and declared site')
    .requiredOption('--serial <serial>', 'chip serial').requiredOption('--public-key <b64>', 'chip public key (SPKI DER, base64url)')
    .option('--shipment <id>', 'shipment / batch id').option('--shipped <iso>', 'ship date (ISO 8601)')
    .option('--declared-lat <deg>', 'declared site latitude', num('--declared-lat', -90, 90)).option('--declared-lon <deg>', 'declared site longitude', num('--declared-lon', -180, 180))
    .option(...dataDir)
    .action(async (o: { serial: string; publicKey: string; shipment?: string; shipped?: string; declaredLat?: number; declaredLon?: number; dataDir: string }) => {
      if ((o.declaredLat === undefined) !== (o.declaredLon === undefined)) throw new UsageError('give both --declared-lat and --declared-lon');
      const shippedAt = o.shipped ? new Date(o.shipped) : null;
      if (shippedAt && Number.isNaN(shippedAt.getTime())) throw new UsageError('--shipped must be an ISO 8601 date');
      const db = await openDb(o.dataDir);
      try {
        const { enrolChip } = await import('./store.js');
        printJson(await enrolChip(db, { serial: o.serial, publicKey: Buffer.from(o.publicKey, 'base64url'), shipment: o.shipment, shippedAt, declared: o.declaredLat === undefined ? null : { lat: o.declaredLat, lon: o.declaredLon! } }));
      } finally { await db.close(); }
    });

  verify.command('run')
    .description('verify chips now against every registered landmark: the given serials, or those due')
    .option('--serial <serial>', 'chip to verify (repeatable; default: the chips that are due)', collect, [])
    .option('--rounds <n>', 'rounds per chip', positiveInt('--rounds', 50), 5)
    .option('--json', 'print JSON')
    .option(...dataDir)
    .action(async (o: { serial: string[]; rounds: number; json?: boolean; dataDir: string }) => {
      const db = await openDb(o.dataDir);
      try {
        const { dueSerials, runChecks } = await import('./service.js');
        const { requestMeasurement } = await import('./client.js');
        const serials = o.serial.length ? o.serial : await dueSerials(db, new Date(), 10_000);
        if (!serials.length) return o.json ? printJson({ results: [] }) : print('no chips due');
        const r = await runChecks(db, serials, { now: new Date(), measure: requestMeasurement, rounds: o.rounds });
        if (o.json) return printJson({ ...r, results: r.results.map(({ region: _g, ...v }) => v) });
        for (const e of r.landmarkErrors) print(`landmark ${e.landmarkId}: ${e.reason}`);
        for (const x of r.rejected) print(`rejected ${x.landmarkId}${x.serial ? ` ${x.serial}` : ''}: ${x.reason}`);
        for (const v of r.results) print(`${v.serial}: ${v.verdict}${v.provenOutside.length ? `; outside ${v.provenOutside.map((c) => `${c} by ≥ ${v.marginKm[c]} km`).join(', ')}` : ''}`);
        if (r.alerts) print(`${r.alerts} new alert(s)`);
      } finally { await db.close(); }
    });

  verify.command('alerts')
    .description('open alerts: chips or shipments that stopped verifying, chips inconsistent with their declared site')
    .option('--json', 'print JSON').option(...dataDir)
    .action(async (o: { json?: boolean; dataDir: string }) => {
      const db = await openDb(o.dataDir);
      try {
        const { listAlerts } = await import('./store.js');
        const alerts = await listAlerts(db, true);
        if (o.json) return printJson(alerts);
        if (!alerts.length) print('no alerts');
        for (const a of alerts) print(`${a.createdAt} ${a.kind} ${a.serial ?? a.shipment ?? ''}`);
      } finally { await db.close(); }
    });
}
