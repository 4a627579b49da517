// `chipwatch verify check` through the built bin: exit 0 only when every record is accepted; any
// rejected record (tampered landmark signature, forged chip signature, replay) exits 1 and is named on
// stderr (batch, record, landmark, why), while --json still prints the whole report.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { softwareSigner } from '../../src/verify/signer.js';
import { challengePayload, type RecordFields } from '../../src/verify/payloads.js';
import { signBatch, type SignedBatch } from '../../src/verify/record.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'chipwatch.js');
const dir = mkdtempSync(join(tmpdir(), 'verify-check-bin-'));
const KL = { lat: 3.139, lon: 101.6869 };
const lm = softwareSigner(generateKeyPairSync('ed25519').privateKey);
const chip = softwareSigner(generateKeyPairSync('ed25519').privateKey);
const b64 = (b: Buffer) => b.toString('base64url');

function chipwatch(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function record(now: number): Promise<RecordFields> {
  const nonce = randomBytes(32);
  return {
    landmarkId: 'kl',
    landmarkLat: KL.lat,
    landmarkLon: KL.lon,
    floorMicros: 0,
    serial: 'GPU-1',
    nonce,
    chipSignature: await chip.sign(challengePayload('kl', 'GPU-1', nonce)),
    rttMicros: 2000,
    rounds: 5,
    timeMs: now,
  };
}

let good: SignedBatch;
const directory = join(dir, 'directory.json');
function bundleFile(name: string, batches: SignedBatch[]): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      landmarks: [{ id: 'kl', ...KL, publicKey: b64(lm.publicKeySpki) }],
      chips: [{ serial: 'GPU-1', publicKey: b64(chip.publicKeySpki) }],
      batches,
      declared: { 'GPU-1': KL },
    }),
  );
  return file;
}

beforeAll(async () => {
  good = await signBatch('kl', lm, [await record(Date.now()), await record(Date.now())]);
  writeFileSync(directory, JSON.stringify([{ id: 'kl', ...KL, publicKey: b64(lm.publicKeySpki) }]));
});

describe('chipwatch verify check (built bin): exit codes', () => {
  it('exits 0 when every record is accepted', () => {
    const r = chipwatch('verify', 'check', bundleFile('good.json', [good]), '--landmarks', directory);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2 records accepted, 0 rejected\nGPU-1: proven-outside/);
    expect(r.stderr).toBe('');
  });

  it('exits 1 when every record fails its landmark signature, naming each batch on stderr', () => {
    const tampered = good.records.map((x) => ({ ...x, rttMicros: 1 }));
    const file = bundleFile('tampered.json', [
      { ...good, records: tampered },
      { ...good, records: tampered },
    ]);
    const r = chipwatch('verify', 'check', file, '--landmarks', directory);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/0 records accepted, 2 rejected\nGPU-1: no-response/);
    expect(r.stderr).toContain('chipwatch: rejected batches[0] (landmark kl): landmark signature invalid\n');
    expect(r.stderr).toContain('chipwatch: rejected batches[1] (landmark kl): landmark signature invalid\n');
    expect(r.stderr).toMatch(/chipwatch: 2 rejections: the verdicts use only the accepted records\n$/);
    expect(r.stderr).not.toMatch(/at .*\.(c?js|ts):\d+/); // no stack trace
  });

  it('exits 1 when one record of several is rejected; --json still prints the whole report', async () => {
    const forged = await record(Date.now());
    forged.chipSignature = Buffer.from(forged.chipSignature).fill(7);
    const mixed = await signBatch('kl', lm, [await record(Date.now()), forged]);
    const r = chipwatch(
      'verify',
      'check',
      bundleFile('mixed.json', [mixed, good, good]),
      '--landmarks',
      directory,
      '--json',
    );
    expect(r.code, r.stderr).toBe(1);
    const out = JSON.parse(r.stdout) as {
      acceptedRecords: number;
      rejected: object[];
      verdicts: { verdict: string }[];
    };
    expect(out.acceptedRecords).toBe(3);
    expect(out.verdicts[0].verdict).toBe('proven-outside');
    expect(out.rejected).toEqual([
      { batch: 0, landmarkId: 'kl', serial: 'GPU-1', index: 1, reason: 'chip signature invalid' },
      { batch: 2, landmarkId: 'kl', serial: 'GPU-1', index: 0, reason: 'nonce already accepted (replay)' },
      { batch: 2, landmarkId: 'kl', serial: 'GPU-1', index: 1, reason: 'nonce already accepted (replay)' },
    ]);
    expect(r.stderr).toContain(
      'chipwatch: rejected batches[0].records[1] (landmark kl, chip GPU-1): chip signature invalid\n',
    );
    expect(r.stderr).toContain(
      'chipwatch: rejected batches[2].records[0] (landmark kl, chip GPU-1): nonce already accepted (replay)\n',
    );
  });

  it('a bad landmark directory is one line naming the entry and field, exit 1', () => {
    const bad = join(dir, 'bad-directory.json');
    writeFileSync(bad, JSON.stringify([{ id: 'kl', lat: 95, lon: 0, publicKey: b64(lm.publicKeySpki) }]));
    const r = chipwatch('verify', 'check', bundleFile('good2.json', [good]), '--landmarks', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^chipwatch: field landmarks\[0\]\.lat: .*bad-directory\.json: .*90.*\n$/);
  });
});
