// End-to-end location verification with real processes on loopback: five landmarks in real cities,
// chip agents behind emulated WAN links (test/e2e/verify-wan/link.mjs: one forwarding process per
// link, one-way delay = great-circle distance × route stretch / fibre speed + jitter), a relay, a
// replayer, and the verifier inside `chipwatch serve`. Emulated delays are real time (the longest
// round trip is ~0.2 s), so no scaling is needed. Delays can only grow under load (late timers, busy
// cores), which widens disks: every assertion is either of that sound kind ("never proven outside",
// "inconsistent by thousands of km") or has a margin of ~10× (the honest chip 7 km from the Frankfurt
// landmark needs a round trip under ~30 ms for a 500 km margin and takes a few ms).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, connect } from 'node:net';
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { generateKey, writeKeyFile } from '../../src/verify/keyfile.js';
import type { Signer } from '../../src/verify/signer.js';
import { distanceKm, FIBER_KM_PER_MS } from '../../src/geo/index.js';
import { openDb } from '../../src/db/index.js';
import { createApiKey } from '../../src/accounts/index.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'chipwatch.js');
const WAN = join(import.meta.dirname, 'verify-wan');
const STRETCH = 1.5; // real paths are 1.4–4× the great circle (BACKGROUND §5)
const JITTER_MS = 0.5;

const LANDMARKS = {
  singapore: { lat: 1.3521, lon: 103.8198 },
  'kuala-lumpur': { lat: 3.139, lon: 101.6869 },
  tokyo: { lat: 35.6762, lon: 139.6503 },
  frankfurt: { lat: 50.1109, lon: 8.6821 },
  ashburn: { lat: 39.0438, lon: -77.4874 },
} as const;
type LandmarkId = keyof typeof LANDMARKS;
const PLACES = {
  petalingJaya: { lat: 3.1073, lon: 101.6067 }, // 9 km from the KL landmark
  offenbach: { lat: 50.0956, lon: 8.7761 }, // 7 km from the Frankfurt landmark
  shenzhen: { lat: 22.5431, lon: 114.0579 },
  singapore: { lat: 1.29, lon: 103.85 },
  frankfurt: { lat: 50.1109, lon: 8.6821 },
  beijing: { lat: 39.9042, lon: 116.4074 },
  kualaLumpur: { lat: 3.139, lon: 101.6869 },
};

const procs: ChildProcess[] = [];
let serveDbUrl: string | undefined;

async function freshSchemaUrl(url: string): Promise<string> {
  const schema = 'verify_e2e_' + randomBytes(6).toString('hex');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}
let dir = '';

function start(cmd: string, args: string[]): Promise<{ p: ChildProcess; first: Record<string, unknown> }> {
  const p = spawn(process.execPath, [cmd, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  procs.push(p);
  let stderr = '';
  p.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: p.stdout! });
    let buf = '';
    rl.on('line', (line) => {
      buf += line;
      try {
        resolve({ p, first: JSON.parse(buf) });
        rl.close();
      } catch {
        /* JSON spans lines */
      }
    });
    p.on('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${stderr}`)));
  });
}

function run(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.stdin.end(input ?? '');
    p.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

async function link(
  name: string,
  from: { lat: number; lon: number },
  to: { lat: number; lon: number },
  port: number,
): Promise<number> {
  const delayMs = (Math.max(distanceKm(from, to), 1) * STRETCH) / FIBER_KM_PER_MS;
  const { first } = await start(join(WAN, 'link.mjs'), [
    '--to',
    `127.0.0.1:${port}`,
    '--delay-ms',
    delayMs.toFixed(3),
    '--jitter-ms',
    String(JITTER_MS),
    '--seed',
    String(name.length * 7919),
    '--name',
    name,
  ]);
  return first.port as number;
}

function key(name: string, alg: 'ed25519' | 'p256' | 'p384' = 'ed25519'): { file: string; signer: Signer } {
  const file = join(dir, `${name}.pem`);
  return { file, signer: writeKeyFile(file, generateKey(alg)) };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

const lm: Record<LandmarkId, { port: number; publicKey: string }> = {} as never;
const chips: Record<string, Signer> = {};
let api = '';
let admin = '',
  regulator = '';

async function http(method: string, path: string, keyValue: string, body?: unknown) {
  const res = await fetch(api + path, {
    method,
    headers: { authorization: `Bearer ${keyValue}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & unknown[] };
}

async function measure(landmark: LandmarkId, serial: string, publicKey: string, rounds = 5) {
  const r = await run([
    'verify',
    'measure',
    '--landmark',
    `127.0.0.1:${lm[landmark].port}`,
    '--chip',
    `${serial}=${publicKey}`,
    '--rounds',
    String(rounds),
  ]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as {
    batch: { records: { nonce: string; chipSignature: string; rttMicros: number }[] } | null;
    failures: { reason: string }[];
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'chipwatch-verify-e2e-'));
  const dataDir = join(dir, 'data');
  // Creating the embedded database is the slowest step: start it while the processes come up.
  const keysReady = (async () => {
    // The same database `chipwatch serve` will open: the PostgreSQL server when DATABASE_URL is set (CI).
    // A fresh schema per run so reruns against one server do not collide.
    if (process.env.DATABASE_URL) serveDbUrl = await freshSchemaUrl(process.env.DATABASE_URL);
    const db = await openDb(serveDbUrl ? { databaseUrl: serveDbUrl } : { dataDir: join(dataDir, 'pgdata') });
    try {
      admin = (await createApiKey(db, { role: 'admin' })).key;
      regulator = (await createApiKey(db, { role: 'regulator' })).key;
    } finally {
      await db.close();
    }
  })();
  // Landmarks: ECDSA P-256 for one, Ed25519 for the rest; KL calibrates its processing floor.
  await Promise.all(
    (Object.keys(LANDMARKS) as LandmarkId[]).map(async (id) => {
      const k = key(`lm-${id}`, id === 'tokyo' ? 'p256' : 'ed25519');
      const { first } = await start(BIN, [
        'landmark',
        '--id',
        id,
        '--lat',
        String(LANDMARKS[id].lat),
        '--lon',
        String(LANDMARKS[id].lon),
        '--key',
        k.file,
        '--listen',
        '127.0.0.1:0',
        '--round-timeout-ms',
        '500',
        ...(id === 'kuala-lumpur' ? ['--calibrate'] : ['--floor-us', '0']),
      ]);
      lm[id] = { port: first.port as number, publicKey: first.publicKey as string };
    }),
  );

  const agent = async (
    serial: string,
    at: { lat: number; lon: number },
    answer: LandmarkId[],
    alg: 'ed25519' | 'p256' | 'p384' = 'ed25519',
    keyName = serial,
  ) => {
    const k = key(keyName, alg);
    chips[keyName] = k.signer;
    const targets = await Promise.all(
      answer.map(async (id) => `${id}=127.0.0.1:${await link(`${serial}->${id}`, at, LANDMARKS[id], lm[id].port)}`),
    );
    await start(BIN, ['agent', '--serial', serial, '--key', k.file, ...targets.flatMap((t) => ['--landmark', t])]);
  };
  const relayed = async () => {
    // Beijing chip → (WAN, ~4,300 km) → relay in Kuala Lumpur → (WAN, ~1 km) → KL landmark.
    const toLandmark = await link('relay->kl', PLACES.kualaLumpur, LANDMARKS['kuala-lumpur'], lm['kuala-lumpur'].port);
    const { first } = await start(join(WAN, 'relay.mjs'), ['--to', `127.0.0.1:${toLandmark}`]);
    const toRelay = await link('beijing->relay', PLACES.beijing, PLACES.kualaLumpur, first.port as number);
    const k = key('GPU-BJ', 'p384'); // NVIDIA attestation keys are P-384
    chips['GPU-BJ'] = k.signer;
    await start(BIN, [
      'agent',
      '--serial',
      'GPU-BJ',
      '--key',
      k.file,
      '--landmark',
      `kuala-lumpur=127.0.0.1:${toRelay}`,
    ]);
  };
  await Promise.all([
    agent('GPU-FRA', PLACES.offenbach, ['kuala-lumpur', 'singapore', 'tokyo', 'frankfurt', 'ashburn']),
    agent('GPU-SZ', PLACES.shenzhen, ['kuala-lumpur', 'singapore', 'tokyo']),
    agent('GPU-SG', PLACES.singapore, ['singapore', 'frankfurt'], 'p256'),
    relayed(),
    // A chip whose agent signs with a key other than the enrolled one (forged signatures).
    agent('GPU-FORGE', PLACES.petalingJaya, ['kuala-lumpur'], 'ed25519', 'GPU-FORGE-attacker'),
    // A chip nobody enrolled.
    agent('GPU-UNENROLLED', PLACES.petalingJaya, ['kuala-lumpur']),
    // A chip whose old response will be replayed.
    agent('GPU-REPLAY', PLACES.petalingJaya, ['kuala-lumpur']),
  ]);
  chips['GPU-FORGE'] = key('GPU-FORGE').signer; // the enrolled key, never used by any agent

  const port = await freePort();
  await keysReady;
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  if (serveDbUrl) env.DATABASE_URL = serveDbUrl;
  const serve = spawn(
    process.execPath,
    [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dataDir],
    { stdio: 'ignore', env },
  );
  procs.push(serve);
  api = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(api + '/healthz')).ok) break;
    } catch {
      /* not up yet */
    }
    if (i > 300) throw new Error('serve did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  // Wait until the honest chip is connected (its agent retries every second).
  const fraPub = () => chips['GPU-FRA'].publicKeySpki.toString('base64url');
  for (let i = 0; (await measure('frankfurt', 'GPU-FRA', fraPub(), 1)).batch === null; i++) {
    if (i > 50) throw new Error('agent never connected');
  }
}, 120_000);

afterAll(() => {
  for (const p of procs) if (p.exitCode === null) p.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('location verification end to end (real processes, emulated WAN)', () => {
  it('the verifier in `chipwatch serve` judges every scenario', async () => {
    for (const id of Object.keys(LANDMARKS) as LandmarkId[]) {
      const r = await http('POST', '/api/verify/landmarks', admin, {
        id,
        ...LANDMARKS[id],
        publicKey: lm[id].publicKey,
        host: '127.0.0.1',
        port: lm[id].port,
      });
      expect(r.status).toBe(201);
    }
    const declared: Record<string, { lat: number; lon: number }> = {
      'GPU-FRA': PLACES.frankfurt,
      'GPU-SZ': PLACES.kualaLumpur,
      'GPU-SG': PLACES.frankfurt,
      'GPU-BJ': PLACES.kualaLumpur,
      'GPU-FORGE': PLACES.kualaLumpur,
    };
    for (const [serial, at] of Object.entries(declared)) {
      const r = await http('POST', '/api/verify/chips', admin, {
        serial,
        publicKey: chips[serial].publicKeySpki.toString('base64url'),
        shipment: 'E2E',
        shippedAt: new Date().toISOString(),
        declared: at,
      });
      expect(r.status).toBe(201);
    }
    // The honest chip is measured in its own request, the attackers together in a second one. All these
    // "machines" share this host's cores: on a loaded host their round trips wait for CPU, and measured at
    // once a dozen chip-landmark chains also queue behind each other. That waiting (not the emulated
    // network) made a round trip at Kuala Lumpur 13-23 ms, beyond what a chip there may take to be proven
    // outside CN (~12 ms), so the honest chip sits by Frankfurt (~33 ms). Real landmarks and chips run on
    // their own machines: this removes an artefact of the emulation, not a check.
    type Res = {
      serial: string;
      verdict: string;
      provenOutside: string[];
      marginKm: Record<string, number>;
      evidence: {
        inconsistent?: { landmarkId: string; excessKm: number };
        disks: { landmarkId: string; rttMs: number }[];
      };
    };
    const by: Record<string, Res> = {};
    for (const serials of [['GPU-FRA'], Object.keys(declared).filter((s) => s !== 'GPU-FRA')]) {
      const r = await http('POST', '/api/verify/requests', regulator, { serials, rounds: 5 });
      expect(r.status).toBe(200);
      for (const x of r.body.results as unknown as Res[]) by[x.serial] = x;
    }
    expect(Object.keys(by).sort()).toEqual(Object.keys(declared).sort());

    // Honest chip near Frankfurt: proven outside CN, HK and MO with a margin of thousands of km.
    expect(by['GPU-FRA'].verdict).toBe('proven-outside');
    expect(by['GPU-FRA'].provenOutside).toEqual(['CN', 'HK', 'MO']);
    expect(by['GPU-FRA'].marginKm.CN).toBeGreaterThan(500);
    expect(by['GPU-FRA'].evidence.disks).toHaveLength(5);

    // Shenzhen claiming Kuala Lumpur: never proven outside (delays only add).
    expect(by['GPU-SZ'].verdict).not.toBe('proven-outside');
    expect(by['GPU-SZ'].provenOutside).not.toContain('CN');
    expect(by['GPU-SZ'].provenOutside).not.toContain('HK');

    // Singapore claiming Frankfurt: the Singapore landmark's disk excludes Frankfurt.
    expect(by['GPU-SG'].verdict).toBe('inconsistent');
    expect(by['GPU-SG'].evidence.inconsistent!.landmarkId).toBe('singapore');
    expect(by['GPU-SG'].evidence.inconsistent!.excessKm).toBeGreaterThan(1000);

    // Beijing behind a relay in Kuala Lumpur: the far leg stays in the RTT; it does not verify.
    expect(by['GPU-BJ'].verdict).not.toBe('proven-outside');
    expect(by['GPU-BJ'].provenOutside).toEqual([]);
    const bjDisk = by['GPU-BJ'].evidence.disks.find((d) => d.landmarkId === 'kuala-lumpur')!;
    expect(bjDisk.rttMs).toBeGreaterThan((2 * distanceKm(PLACES.beijing, PLACES.kualaLumpur)) / 299.792458);

    // An agent signing with a key other than the enrolled one never yields a record.
    expect(by['GPU-FORGE'].verdict).toBe('no-response');

    const alerts = await http('GET', '/api/verify/alerts', regulator);
    expect(alerts.body).toContainEqual(expect.objectContaining({ kind: 'chip-inconsistent', serial: 'GPU-SG' }));
  });

  it('`verify check` re-derives the verdict offline and rejects replayed, forged and unenrolled records', async () => {
    const honest = await measure('frankfurt', 'GPU-FRA', chips['GPU-FRA'].publicKeySpki.toString('base64url'));
    const forged = await measure(
      'kuala-lumpur',
      'GPU-FORGE',
      chips['GPU-FORGE-attacker'].publicKeySpki.toString('base64url'),
    );
    const unenrolled = await measure(
      'kuala-lumpur',
      'GPU-UNENROLLED',
      chips['GPU-UNENROLLED'].publicKeySpki.toString('base64url'),
    );
    expect(honest.batch && forged.batch && unenrolled.batch).toBeTruthy();
    const tampered = structuredClone(honest.batch!);
    tampered.records[0].rttMicros = 1;
    const bundle = {
      landmarks: (['frankfurt', 'kuala-lumpur'] as const).map((id) => ({
        id,
        ...LANDMARKS[id],
        publicKey: lm[id].publicKey,
      })),
      chips: ['GPU-FRA', 'GPU-FORGE'].map((s) => ({
        serial: s,
        publicKey: chips[s].publicKeySpki.toString('base64url'),
      })),
      batches: [honest.batch, honest.batch, forged.batch, unenrolled.batch, tampered],
      declared: { 'GPU-FRA': PLACES.frankfurt },
    };
    const file = join(dir, 'records.json');
    writeFileSync(file, JSON.stringify(bundle));
    const r = await run(['verify', 'check', file, '--json']);
    // Rejected records make the exit code 1 and are named on stderr; the report is still complete.
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain(
      'rejected batches[1].records[0] (landmark frankfurt, chip GPU-FRA): nonce already accepted (replay)',
    );
    expect(r.stderr).toContain('rejected batches[4] (landmark frankfurt): landmark signature invalid');
    const out = JSON.parse(r.stdout) as {
      verdicts: { serial: string; verdict: string }[];
      rejected: { serial?: string; reason: string }[];
    };
    expect(out.verdicts.find((v) => v.serial === 'GPU-FRA')!.verdict).toBe('proven-outside');
    const reasons = out.rejected.map((x) => `${x.serial ?? ''}:${x.reason}`);
    expect(reasons).toContain('GPU-FRA:nonce already accepted (replay)');
    expect(reasons).toContain('GPU-FORGE:chip signature invalid');
    expect(reasons).toContain('GPU-UNENROLLED:chip not enrolled');
    expect(reasons).toContain(':landmark signature invalid');
    const text = await run(['verify', 'check', file]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/GPU-FRA: proven-outside; outside CN by ≥ \d/);
  });

  it('a replayed chip response is refused by the landmark: its old signature does not cover a new nonce', async () => {
    const pub = chips['GPU-REPLAY'].publicKeySpki.toString('base64url');
    const old = await measure('kuala-lumpur', 'GPU-REPLAY', pub, 1);
    const rec = old.batch!.records[0];
    // The replayer connects as GPU-REPLAY (the newest connection wins) and answers with the old pair.
    await start(join(WAN, 'replayer.mjs'), [
      '--to',
      `127.0.0.1:${lm['kuala-lumpur'].port}`,
      '--serial',
      'GPU-REPLAY',
      '--nonce',
      rec.nonce,
      '--sig',
      rec.chipSignature,
    ]);
    await new Promise((r) => setTimeout(r, 300));
    const again = await measure('kuala-lumpur', 'GPU-REPLAY', pub, 2);
    expect(again.batch).toBeNull();
    expect(again.failures[0].reason).toMatch(/no response|no round had a valid chip signature/);
  });

  it('garbage sent to a landmark is dropped and the landmark keeps serving', async () => {
    for (const bytes of [
      Buffer.from('GET / HTTP/1.1\r\n\r\n'),
      Buffer.from([0, 0, 0, 0]),
      Buffer.from([0xff, 0xff, 0xff, 0xff, 2]),
    ]) {
      const s = connect({ port: lm.singapore.port, host: '127.0.0.1' });
      s.on('error', () => {});
      s.end(bytes);
      await new Promise((r) => s.on('close', r));
    }
    const ok = await measure('singapore', 'GPU-SG', chips['GPU-SG'].publicKeySpki.toString('base64url'), 2);
    expect(ok.batch!.records).toHaveLength(1);
  });
});
