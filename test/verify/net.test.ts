// In-process landmark, agent and verifier client over loopback sockets, plus fuzzing of every parser
// and of live sockets: bad bytes are dropped with a logged reason and nothing crashes.
import { describe, it, expect, afterEach } from 'vitest';
import fc from 'fast-check';
import { connect } from 'node:net';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Landmark, type Logger } from '../../src/verify/landmark.js';
import { Agent } from '../../src/verify/agent.js';
import { requestMeasurement } from '../../src/verify/client.js';
import { softwareSigner, publicKeyFromSpki } from '../../src/verify/signer.js';
import {
  FrameDecoder,
  parseChallenge,
  parseResponse,
  parseJson,
  measureSchema,
  encodeFrame,
  MSG,
  jsonFrame,
  encodeChallenge,
} from '../../src/verify/wire.js';
import { checkBatch, claimNonces, memoryLedger } from '../../src/verify/check.js';

function logger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => {}, warn: (o) => warnings.push(String((o as { reason?: string }).reason)) };
}
const ed = () => softwareSigner(generateKeyPairSync('ed25519').privateKey);
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(f: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!f()) {
    if (Date.now() > end) throw new Error('timed out');
    await wait(10);
  }
}

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0)) await f();
});

async function setup() {
  const lmLog = logger();
  const lmSigner = ed();
  const lm = new Landmark({
    id: 'kl-1',
    lat: 3.139,
    lon: 101.6869,
    floorMicros: 0,
    signer: lmSigner,
    log: lmLog,
    roundTimeoutMs: 500,
  });
  const { port } = await lm.listen(0, '127.0.0.1');
  cleanup.push(() => lm.close());
  const chip = ed();
  const agent = new Agent({
    serial: 'GPU-1',
    signer: chip,
    landmarks: [{ id: 'kl-1', host: '127.0.0.1', port }],
    log: logger(),
    reconnectMs: 50,
  });
  agent.start();
  cleanup.push(() => agent.stop());
  await until(() => lm.connectedSerials().includes('GPU-1'));
  return { lm, lmLog, lmSigner, port, chip, agent };
}

describe('landmark, agent and client on loopback', () => {
  it('measures a chip: signed batch, valid chip signature, small RTT, one record per chip', async () => {
    const { lmSigner, port, chip } = await setup();
    const res = await requestMeasurement(
      { host: '127.0.0.1', port },
      {
        chips: [
          { serial: 'GPU-1', alg: 'ed25519', publicKey: chip.publicKeySpki.toString('base64url') },
          { serial: 'GPU-404', alg: 'ed25519', publicKey: chip.publicKeySpki.toString('base64url') },
        ],
        rounds: 4,
      },
    );
    expect(res.failures).toEqual([{ serial: 'GPU-404', reason: 'chip not connected' }]);
    expect(res.batch!.records).toHaveLength(1);
    expect(res.batch!.records[0].rounds).toBe(4);
    expect(res.batch!.records[0].rttMicros).toBeGreaterThan(0);
    expect(res.batch!.records[0].rttMicros).toBeLessThan(200_000);
    const ctx = {
      landmarks: new Map([
        ['kl-1', { id: 'kl-1', lat: 3.139, lon: 101.6869, key: publicKeyFromSpki(lmSigner.publicKeySpki) }],
      ]),
      chips: new Map([['GPU-1', publicKeyFromSpki(chip.publicKeySpki)]]),
      nowMs: Date.now(),
      maxAgeMs: 60_000,
      maxSkewMs: 5_000,
    };
    const ledger = memoryLedger();
    const first = claimNonces(checkBatch(res.batch!, ctx), ledger);
    expect(first.accepted).toHaveLength(1);
    const replay = claimNonces(checkBatch(res.batch!, ctx), ledger);
    expect(replay.accepted).toHaveLength(0);
    expect(replay.rejected[0].reason).toMatch(/replay/);
    expect(checkBatch(res.batch!, { ...ctx, nowMs: Date.now() + 120_000 }).rejected[0].reason).toBe('stale record');
    expect(checkBatch(res.batch!, { ...ctx, chips: new Map() }).rejected[0].reason).toBe('chip not enrolled');
  });

  it('a chip answering with another key is measured but never yields a record', async () => {
    const { port } = await setup();
    const enrolled = ed();
    const res = await requestMeasurement(
      { host: '127.0.0.1', port },
      {
        chips: [{ serial: 'GPU-1', alg: 'ed25519', publicKey: enrolled.publicKeySpki.toString('base64url') }],
        rounds: 3,
      },
    );
    expect(res.batch).toBeNull();
    expect(res.failures[0].reason).toBe('no round had a valid chip signature');
  });

  it('garbage on live sockets is dropped with a logged reason; the landmark keeps serving', async () => {
    const { port, chip, lmLog } = await setup();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (bytes) => {
        const s = connect({ port, host: '127.0.0.1' });
        s.on('error', () => {});
        await new Promise((r) => s.on('connect', r));
        s.end(Buffer.from(bytes));
        await new Promise((r) => s.on('close', r));
      }),
      { numRuns: 40 },
    );
    // Oversized frame header and an agent-role peer sending a control message.
    for (const bad of [
      Buffer.from([0x7f, 0xff, 0xff, 0xff, 1]),
      Buffer.concat([jsonFrame(MSG.HELLO, { serial: 'X-1' }), jsonFrame(MSG.MEASURE, {})]),
    ]) {
      const s = connect({ port, host: '127.0.0.1' });
      s.on('error', () => {});
      s.write(bad);
      await new Promise((r) => s.on('close', r));
    }
    expect(lmLog.warnings.some((w) => /exceeds the limit/.test(w))).toBe(true);
    expect(lmLog.warnings.some((w) => /unexpected message type/.test(w))).toBe(true);
    const res = await requestMeasurement(
      { host: '127.0.0.1', port },
      { chips: [{ serial: 'GPU-1', alg: 'ed25519', publicKey: chip.publicKeySpki.toString('base64url') }], rounds: 2 },
    );
    expect(res.batch!.records).toHaveLength(1);
  });

  it('the agent drops garbage and challenges for other landmarks or chips, and keeps answering', async () => {
    const { createServer } = await import('node:net');
    const log = logger();
    let sock: import('node:net').Socket | null = null;
    const server = createServer((s) => {
      sock = s;
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => new Promise((r) => server.close(r)));
    const port = (server.address() as { port: number }).port;
    const agent = new Agent({
      serial: 'GPU-1',
      signer: ed(),
      landmarks: [{ id: 'sg-1', host: '127.0.0.1', port }],
      log,
      reconnectMs: 20,
    });
    agent.start();
    cleanup.push(() => agent.stop());
    await until(() => sock !== null);
    const got: Buffer[] = [];
    sock!.on('data', (d: Buffer) => got.push(d));
    sock!.write(encodeChallenge({ landmarkId: 'other', serial: 'GPU-1', nonce: randomBytes(32) }));
    sock!.write(encodeChallenge({ landmarkId: 'sg-1', serial: 'GPU-2', nonce: randomBytes(32) }));
    sock!.write(encodeFrame(MSG.CHALLENGE, Buffer.from([200, 1, 2])));
    sock!.write(encodeChallenge({ landmarkId: 'sg-1', serial: 'GPU-1', nonce: randomBytes(32) }));
    await until(() => agent.answeredCount === 1);
    expect(log.warnings).toEqual(
      expect.arrayContaining(['challenge for another landmark or chip', 'challenge truncated']),
    );
    sock!.write(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    await until(() => log.warnings.some((w) => /exceeds the limit/.test(w)));
  });
});

describe('parsers never throw on arbitrary bytes', () => {
  it('frame decoder, challenge, response and JSON control messages', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const d = new FrameDecoder(1024);
        for (const c of chunks) {
          const { frames } = d.push(Buffer.from(c));
          for (const f of frames) {
            expect(() => {
              parseChallenge(f.body);
              parseResponse(f.body);
              parseJson(f.body, measureSchema);
            }).not.toThrow();
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('frames split at any byte boundary reassemble exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 100 }), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        (bodies, cut) => {
          const wire = Buffer.concat(bodies.map((b) => encodeFrame(MSG.RESPONSE, Buffer.from(b))));
          const k = wire.length ? cut % wire.length : 0;
          const d = new FrameDecoder(1024);
          const frames = [...d.push(wire.subarray(0, k)).frames, ...d.push(wire.subarray(k)).frames];
          expect(frames.map((f) => Buffer.from(f.body).toString('hex'))).toEqual(
            bodies.map((b) => Buffer.from(b).toString('hex')),
          );
          expect(d.pending).toBe(0);
        },
      ),
    );
  });
});
