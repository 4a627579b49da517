// The witness's rules (C2SP tlog-witness, tlog-cosignature/v1) on the HTTP service itself, in-process on
// loopback: it cosigns a checkpoint only with a valid consistency proof from what it cosigned before,
// answers 409 with its size, 422 for a bad proof or a second root at one size, 403 for a bad signature,
// 404 for an unknown log, 400 for a malformed body, and keeps its state across restarts (atomic file).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MemoryTree,
  ed25519NoteSigner,
  formatVerifierKey,
  parseVerifierKey,
  signCheckpoint,
  toBase64,
  verifyCosignatures,
} from '../../src/tlog/index.js';
import { ed25519Cosigner, parseCosignerVkey } from '../../src/tlog/witness/cosignature.js';
import { createWitnessServer } from '../../src/tlog/witness/server.js';
import { WitnessState } from '../../src/tlog/witness/state.js';

const ORIGIN = 'log.example/test';
const logSigner = ed25519NoteSigner(ORIGIN, new Uint8Array(32).fill(7));
const logVkey = formatVerifierKey(ORIGIN, logSigner.publicKey);
const cosigner = ed25519Cosigner('witness.example/w1', new Uint8Array(32).fill(9));
const entries = (n: number, tag = 'a') =>
  Array.from({ length: n }, (_, i) => new Uint8Array(Buffer.from(`${tag}${i}`)));

const note = (t: MemoryTree, size = t.size, signer = logSigner) =>
  signCheckpoint({ origin: ORIGIN, size, rootHash: t.root(size), extensions: [] }, signer);
const body = (old: number, proof: Uint8Array[], n: string) =>
  `old ${old}\n${proof.map((h) => `${toBase64(h)}\n`).join('')}\n${n}`;

let dir: string;
let url: string;
let close: () => Promise<void>;
const start = async () => {
  const server = createWitnessServer({
    cosigner,
    logs: new Map([[ORIGIN, parseVerifierKey(logVkey)]]),
    state: new WitnessState(join(dir, 'state.json')),
    now: () => new Date('2026-12-07T12:00:00Z'),
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/add-checkpoint`;
  close = () => new Promise((ok) => server.close(() => ok()));
};
const post = async (b: string) => {
  const r = await fetch(url, { method: 'POST', body: b });
  return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cw-witness-'));
  await start();
});
afterAll(async () => {
  await close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a witness (tlog-witness add-checkpoint)', () => {
  const tree = MemoryTree.fromEntries(entries(20));
  const fork = MemoryTree.fromEntries([...entries(10), ...entries(10, 'forged')]);

  it('cosigns a first checkpoint from old 0 with a timestamped cosignature/v1 line', async () => {
    const n = note(tree, 10);
    const r = await post(body(0, [], n));
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/^\u2014 witness\.example\/w1 [A-Za-z0-9+/=]+\n$/);
    const sigs = verifyCosignatures(n + r.text, [parseCosignerVkey(cosigner.vkey)]);
    expect(sigs).toEqual([{ name: 'witness.example/w1', timestamp: Date.parse('2026-12-07T12:00:00Z') / 1000 }]);
    // The signature is over "cosignature/v1\ntime T\n" + the body: a changed time does not verify.
    const raw = Buffer.from(r.text.split(' ')[2], 'base64');
    raw[11] ^= 1;
    const forged = `\u2014 witness.example/w1 ${raw.toString('base64')}\n`;
    expect(() => verifyCosignatures(n + forged, [parseCosignerVkey(cosigner.vkey)])).toThrow('does not verify');
  });

  it('answers 409 with its size when the old size is not the one it cosigned', async () => {
    const r = await post(body(0, [], note(tree, 20)));
    expect(r).toEqual({ status: 409, type: 'text/x.tlog.size', text: '10\n' });
  });

  it('refuses a different checkpoint at the size it cosigned (a split view): 422', async () => {
    const r = await post(body(10, [], note(fork, 10 + 0)));
    expect(r.status).toBe(200); // same prefix: the first 10 entries are the same in both trees
    const other = MemoryTree.fromEntries(entries(10, 'other'));
    const split = await post(body(10, [], note(other, 10)));
    expect(split.status).toBe(422);
    expect(split.text).toMatch(/a different root hash at size 10/);
  });

  it('refuses an inconsistent larger tree (a forked history): 422, and cosigns the consistent one', async () => {
    // A tree that disagrees with the cosigned size 10 from its first entry, grown to 20.
    const other = MemoryTree.fromEntries(entries(20, 'other'));
    const forged = await post(body(10, other.consistencyProof(10, 20), note(other, 20)));
    expect(forged.status).toBe(422);
    expect(forged.text).toMatch(/no valid consistency proof from size 10/);
    // The fork shares the first 10 entries, so it extends size 10 with its own proof; with the honest
    // tree's proof it does not verify, nor does the honest tree with the fork's proof.
    expect((await post(body(10, tree.consistencyProof(10, 20), note(fork, 20)))).status).toBe(422);
    expect((await post(body(10, fork.consistencyProof(10, 20), note(tree, 20)))).status).toBe(422);
    const good = await post(body(10, tree.consistencyProof(10, 20), note(tree, 20)));
    expect(good.status).toBe(200);
    // Having cosigned the honest 20, the fork's 20 is a split view.
    expect((await post(body(20, [], note(fork, 20)))).status).toBe(422);
  });

  it('refuses bad signatures (403), unknown logs (404) and malformed bodies (400)', async () => {
    const stranger = ed25519NoteSigner(ORIGIN, new Uint8Array(32).fill(1));
    expect((await post(body(20, [], note(tree, 20, stranger)))).status).toBe(403);
    const tamperedSig = note(tree, 20).replace(
      / (.)(.*)\n$/,
      (_m, c: string, rest: string) => ` ${c === 'A' ? 'B' : 'A'}${rest}\n`,
    );
    expect((await post(body(20, [], tamperedSig))).status).toBe(403);
    const other = ed25519NoteSigner('other.example/log', new Uint8Array(32).fill(2));
    const unknown = signCheckpoint(
      { origin: 'other.example/log', size: 1, rootHash: tree.root(1), extensions: [] },
      other,
    );
    expect((await post(body(0, [], unknown))).status).toBe(404);
    for (const b of [
      '',
      'old\n\n',
      'old 01\n\nx',
      `old 5\nnot-a-hash\n\n${note(tree, 20)}`,
      'old 30\n\n' + note(tree, 20),
    ])
      expect((await post(b)).status).toBe(400);
    const big = await post(`old 0\n${'A'.repeat(70_000)}`);
    expect(big.status).toBe(400);
    expect((await fetch(url.replace('add-checkpoint', 'x'))).status).toBe(404);
    expect((await fetch(url)).status).toBe(405);
  });

  it('keeps the last cosigned checkpoint on disk across a restart', async () => {
    await close();
    const saved = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
    expect(saved.logs[ORIGIN].size).toBe(20);
    await start();
    const r = await post(body(0, [], note(tree, 20)));
    expect(r).toMatchObject({ status: 409, text: '20\n' });
  });

  it('answers concurrent submissions one at a time: only one of two forks of one size is cosigned', async () => {
    const t21 = MemoryTree.fromEntries([...entries(20), ...entries(1, 'x')]);
    const f21 = MemoryTree.fromEntries([...entries(20), ...entries(1, 'y')]);
    const answers = await Promise.all([
      post(body(20, t21.consistencyProof(20, 21), note(t21))),
      post(body(20, f21.consistencyProof(20, 21), note(f21))),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
  });
});
