// `chipwatch verify ...`, `chipwatch landmark` and `chipwatch agent`: thin wrappers over the verify
// core. Data goes to stdout (JSON with --json), diagnostics and logs to stderr. Each command's work is
// a named handler; the register functions only declare flags.
import type { Command } from 'commander';
import { Option } from 'commander';
import { UsageError } from '../cli/errors.js';
import { collect, positiveInt, print, printJson } from '../cli/io.js';
import { codes, hostPort, landmarkTarget, num, readJson, readJsonAs } from './cli-args.js';
import { registerFleetCommands, type VerifyCliOptions } from './cli-fleet.js';
import type { LocateAnswer } from './locate.js';

export type { VerifyCliOptions } from './cli-fleet.js';

async function logger(level: string) {
  const { pino, destination } = await import('pino');
  return pino({ level }, destination(2));
}

/** Keeps a server process alive until SIGINT/SIGTERM, then runs `stop` and exits 0. */
async function runUntilSignal(stop: () => unknown): Promise<never> {
  const onSignal = async () => {
    await stop();
    process.exit(0);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return new Promise<never>(() => {});
}

interface LandmarkCommandOptions {
  id: string;
  lat: number;
  lon: number;
  key: string;
  listen: string;
  floorUs?: number;
  calibrate?: boolean;
  roundTimeoutMs: number;
  logLevel: string;
}

async function landmarkCommand(o: LandmarkCommandOptions): Promise<void> {
  const { readSigner } = await import('./keyfile.js');
  const { Landmark } = await import('./landmark.js');
  const signer = readSigner(o.key);
  const calibrate = async () => (await import('./calibrate.js')).calibrateFloorMicros();
  const floorMicros = o.floorUs ?? (o.calibrate ? await calibrate() : 0);
  const lm = new Landmark({
    id: o.id,
    lat: o.lat,
    lon: o.lon,
    floorMicros,
    signer,
    log: await logger(o.logLevel),
    roundTimeoutMs: o.roundTimeoutMs,
  });
  const addr = hostPort(o.listen);
  const bound = await lm.listen(addr.port, addr.host);
  // One line on stdout so scripts (and tests) learn the port when asked for port 0.
  printJson({
    event: 'listening',
    id: o.id,
    host: bound.host,
    port: bound.port,
    floorMicros,
    alg: signer.alg,
    publicKey: signer.publicKeySpki.toString('base64url'),
  });
  await runUntilSignal(() => lm.close());
}

async function agentCommand(o: { serial: string; key: string; landmark: string[]; logLevel: string }): Promise<void> {
  const { readSigner } = await import('./keyfile.js');
  const { Agent } = await import('./agent.js');
  const landmarks = o.landmark.map(landmarkTarget);
  if (!landmarks.length) throw new UsageError('give at least one --landmark ID=HOST:PORT');
  const agent = new Agent({ serial: o.serial, signer: readSigner(o.key), landmarks, log: await logger(o.logLevel) });
  agent.start();
  printJson({ event: 'started', serial: o.serial, landmarks: landmarks.map((l) => l.id) });
  await runUntilSignal(() => agent.stop());
}

function locateLine(a: LocateAnswer, prefix: string): string {
  const margins = Object.entries(a.marginKm)
    .map(([c, km]) => `${c} by ≥ ${km} km`)
    .join(', ');
  const site = a.declaredConsistent ? 'consistent' : 'INCONSISTENT';
  const declared = a.declaredConsistent === null ? '' : `; declared site ${site}`;
  return `${prefix}${a.verdict}${declared}${margins ? `; outside ${margins}` : ''}`;
}

async function locateCommand(o: { observations: string; json?: boolean }): Promise<void> {
  const { locate } = await import('./locate.js');
  const out = locate(readJson(o.observations, 'observations'));
  if (o.json) return printJson(out);
  const answers = Array.isArray(out) ? out : [out];
  answers.forEach((a, i) => {
    print(locateLine(a, Array.isArray(out) ? `[${i}] ` : ''));
  });
}

async function planCommand(o: { lat: number; lon: number; landmarks?: string; restricted: string; json?: boolean }) {
  const { plan } = await import('./plan.js');
  const { z } = await import('zod');
  const site = z.object({
    id: z.string().min(1).max(128),
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    floorMs: z.number().min(0).optional(),
  });
  const sites = o.landmarks
    ? readJsonAs(o.landmarks, 'landmarks', z.array(site).max(100_000))
    : (await import('./sites.js')).REFERENCE_SITES;
  const rows = plan({ lat: o.lat, lon: o.lon }, sites, { restricted: codes(o.restricted) });
  if (o.json) return printJson(rows);
  print('landmark              site km  to restricted km  min RTT ms  max RTT ms  proves');
  for (const r of rows) {
    const restricted = `${r.distanceToRestrictedKm} (${r.nearestRestricted})`;
    const rtts = `${String(r.minPossibleRttMs).padStart(10)}  ${String(r.maxRttMs ?? '—').padStart(10)}`;
    print(
      `${r.landmarkId.padEnd(20)} ${String(r.distanceToSiteKm).padStart(8)}  ${restricted.padStart(16)}  ` +
        `${rtts}  ${r.canProve ? 'yes' : 'no'}`,
    );
  }
}

async function checkCommand(file: string, o: { landmarks?: string; json?: boolean }): Promise<void> {
  await (await import('./cli-check.js')).checkRecordsCommand(file, o);
}

async function keygenCommand(o: { alg: 'ed25519' | 'p256' | 'p384'; out: string; json?: boolean }): Promise<void> {
  const { generateKey, writeKeyFile } = await import('./keyfile.js');
  const s = writeKeyFile(o.out, generateKey(o.alg));
  if (o.json) printJson({ alg: s.alg, publicKey: s.publicKeySpki.toString('base64url'), file: o.out });
  else print(s.publicKeySpki.toString('base64url'));
}

async function measureCommand(o: { landmark: string; chip: string[]; rounds: number }): Promise<void> {
  const { requestMeasurement } = await import('./client.js');
  const { publicKeyFromSpki } = await import('./signer.js');
  const chips = o.chip.map((c) => {
    const i = c.indexOf('=');
    if (i < 1) throw new UsageError('--chip takes SERIAL=PUBLICKEY');
    const publicKey = c.slice(i + 1);
    const alg = publicKeyFromSpki(Buffer.from(publicKey, 'base64url'), 'chip').alg;
    return { serial: c.slice(0, i), publicKey, alg };
  });
  if (!chips.length) throw new UsageError('give at least one --chip');
  printJson(await requestMeasurement(hostPort(o.landmark), { chips, rounds: o.rounds }));
}

function registerServers(program: Command): void {
  program
    .command('landmark')
    .description('run a landmark server: agents connect to it, verifiers ask it to measure chips')
    .requiredOption('--id <id>', 'landmark id (printable ASCII)')
    .requiredOption('--lat <deg>', 'latitude of the landmark', num('--lat', -90, 90))
    .requiredOption('--lon <deg>', 'longitude of the landmark', num('--lon', -180, 180))
    .requiredOption('--key <file>', 'landmark private key (PEM; `chipwatch verify keygen`)')
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:7400')
    .option(
      '--floor-us <micros>',
      'calibrated processing floor in µs (subtracted from every RTT)',
      num('--floor-us', 0, 1e6),
    )
    .option('--calibrate', 'measure the processing floor on loopback at start (ignored with --floor-us)')
    .option(
      '--round-timeout-ms <ms>',
      'how long to wait for each answer',
      positiveInt('--round-timeout-ms', 60_000),
      2000,
    )
    .option('--log-level <level>', 'log level', 'info')
    .action(landmarkCommand);

  program
    .command('agent')
    .description('run the chip-side agent: answers the challenges of the given landmarks with the chip key')
    .requiredOption('--serial <serial>', 'chip serial')
    .requiredOption('--key <file>', 'chip private key (PEM); a hardware signer replaces this (docs/verification.md)')
    .requiredOption('--landmark <id=host:port>', 'a landmark to answer (repeatable)', collect, [])
    .option('--log-level <level>', 'log level', 'info')
    .action(agentCommand);
}

function registerAnalysis(verify: Command): void {
  verify
    .command('locate')
    .description(
      'offline analysis: FILE holds one case or an array; prints verdict, declaredConsistent, ' +
        'provenOutside, marginKm, region',
    )
    .requiredOption(
      '--observations <file>',
      'JSON: {"declared"?, "restricted"?, "observations": ' +
        '[{"landmark": {id, lat, lon}, "rttMs"}]} or an array of them',
    )
    .option('--json', 'print JSON (the full answer, including the region as GeoJSON)')
    .action(locateCommand);

  verify
    .command('plan')
    .description(
      'which landmarks can prove a declared site outside the restricted set, and the largest RTT ' +
        'each must observe',
    )
    .requiredOption('--lat <deg>', 'latitude of the declared site', num('--lat', -90, 90))
    .requiredOption('--lon <deg>', 'longitude of the declared site', num('--lon', -180, 180))
    .option('--landmarks <file>', 'JSON array of {id, lat, lon, floorMs?} (default: reference interconnection cities)')
    .option('--restricted <codes>', 'restricted countries, ISO alpha-2, comma-separated', 'CN,HK,MO')
    .option('--json', 'print JSON')
    .action(planCommand);

  verify
    .command('check <records>')
    .description(
      're-check verdicts offline from an evidence bundle of signed records (landmarks, chips, batches); ' +
        'exits 1 when any record is rejected',
    )
    .option(
      '--landmarks <file>',
      'independent landmark directory (JSON array of {id, lat, lon, publicKey}) to trust ' + "instead of the bundle's",
    )
    .option('--json', 'print JSON')
    .action(checkCommand);

  verify
    .command('keygen')
    .description('create a software key (landmark or simulated chip); prints the public key (SPKI DER, base64url)')
    .addOption(new Option('--alg <alg>', 'algorithm').choices(['ed25519', 'p256', 'p384']).default('ed25519'))
    .requiredOption('--out <file>', 'where to write the private key (PEM, mode 600; never overwritten)')
    .option('--json', 'print JSON')
    .action(keygenCommand);

  verify
    .command('measure')
    .description('ask one landmark to measure chips now; prints its signed answer (JSON)')
    .requiredOption('--landmark <host:port>', 'landmark address')
    .requiredOption('--chip <serial=publicKey>', 'chip serial and enrolled public key (repeatable)', collect, [])
    .option('--rounds <n>', 'rounds per chip', positiveInt('--rounds', 50), 5)
    .action(measureCommand);
}

/** `local.databaseUrl` is the PostgreSQL server for the fleet commands (absent: the embedded database). */
export function registerVerifyCommands(program: Command, local: VerifyCliOptions = {}): void {
  registerServers(program);
  const verify = program
    .command('verify')
    .description('location verification: offline analysis, planning, re-checking signed records, fleet checks');
  registerAnalysis(verify);
  registerFleetCommands(verify, local);
}
