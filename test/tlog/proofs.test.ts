// Offline proof bundles from the stored log (both backends): batched inclusion proofs equal the
// reference tree's across batch boundaries and verify offline; a receipt is complete, a summary above
// 1,000 items, or pending until a published checkpoint covers it; the witness settings are checked.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import {
  MemoryTree,
  appendEntries,
  bundleFor,
  createCheckpoint,
  getLogSigner,
  publishedCheckpoint,
  receiptProof,
  toBase64,
  verifyProofBundle,
  witnessPolicy,
  ed25519Cosigner,
} from '../../src/tlog/index.js';
import { loadConfig } from '../../src/app/config.js';
import { backends } from '../helpers/db.js';

const entries = Array.from({ length: 3000 }, (_, i) => new Uint8Array(Buffer.from(`{"item":${i}}`)));
const reference = MemoryTree.fromEntries(entries);

describe.each(backends)('proof bundles ($name)', (backend) => {
  let db: Db;
  let signer: Awaited<ReturnType<typeof getLogSigner>>;
  beforeAll(async () => {
    db = await backend.open();
    signer = await getLogSigner(db, { kek: new Uint8Array(randomBytes(32)), origin: 'proofs.example/log' });
    await appendEntries(db, entries.slice(0, 2900));
    await createCheckpoint(db, signer, new Date());
  });
  afterAll(() => db.close());

  it('bundles the reference tree proofs across the 2,048-leaf batches; they verify offline', async () => {
    const cp = (await publishedCheckpoint(db))!;
    const bundle = await bundleFor(db, 100, 2600, cp);
    expect(bundle.items).toHaveLength(2500);
    for (const k of [0, 1947, 1948, 2499]) {
      const it = bundle.items[k];
      expect(it.index).toBe(100 + k);
      expect(it.proof).toEqual(reference.inclusionProof(100 + k, 2900).map(toBase64));
      expect(Buffer.from(it.entry, 'base64')).toEqual(Buffer.from(entries[100 + k]));
    }
    expect(verifyProofBundle(bundle, { vkey: signer.vkey })).toMatchObject({ treeSize: 2900, items: 2500 });
    // The log's key is required: a bundle does not verify under another log's key.
    const otherDb = await backend.open();
    const other = await getLogSigner(otherDb, { kek: new Uint8Array(32), origin: 'other.example/log' });
    await otherDb.close();
    expect(() => verifyProofBundle(bundle, { vkey: other.vkey })).toThrow(/log signature does not verify/);
    // Witness keys demanded but absent from the checkpoint: quorum not met, named.
    const w = ed25519Cosigner('w.example/1', new Uint8Array(32).fill(3));
    expect(() => verifyProofBundle(bundle, { vkey: signer.vkey, witnessVkeys: [w.vkey] })).toThrow(
      /0 valid cosignature\(s\), the quorum is 1: none by w\.example\/1/,
    );
  });

  it('makes a complete receipt, a summary above 1,000 items, a pending one until a checkpoint covers it', async () => {
    const now = new Date();
    const small = await receiptProof(db, 10, 15, { now });
    expect(small.status).toBe('complete');
    if (small.status === 'complete') expect(small.bundle.items.map((i) => i.index)).toEqual([10, 11, 12, 13, 14]);
    const big = await receiptProof(db, 0, 1001, { now });
    expect(big).toMatchObject({
      status: 'summary',
      itemsOmitted: 1001,
      command: 'chipwatch log proof-bundle --leaves 0..1000 --out proof.json',
    });
    await appendEntries(db, entries.slice(2900));
    const pending = await receiptProof(db, 2900, 3000, { now }); // no signer: nothing new is signed
    expect(pending).toMatchObject({ status: 'pending', publishedTreeSize: 2900, neededTreeSize: 3000 });
    const signed = await receiptProof(db, 2900, 3000, { now, signer: async () => signer });
    expect(signed.status).toBe('complete');
    if (signed.status === 'complete') expect(signed.bundle.rootHash).toBe(toBase64(reference.root(3000)));
  });
});

describe('witness settings', () => {
  const w = ed25519Cosigner('w.example/1', new Uint8Array(32).fill(3));
  it('reads URL=VKEY pairs and a quorum, naming the setting that is wrong', () => {
    expect(witnessPolicy([])).toBeUndefined();
    const p = witnessPolicy([`http://127.0.0.1:7380=${w.vkey}`]);
    expect(p).toMatchObject({ quorum: 1, witnesses: [{ url: 'http://127.0.0.1:7380' }] });
    expect(() => witnessPolicy([w.vkey])).toThrow(/^CHIPWATCH_WITNESSES: .* is not URL=VKEY/);
    expect(() => witnessPolicy([`http://h=${w.vkey.replace('+B', '+A')}`], undefined, '--witness')).toThrow(
      /^--witness: (the key ID|not an Ed25519 cosignature)/,
    );
    expect(() => witnessPolicy([`http://h=${w.vkey}`], 2)).toThrow('the witness quorum must be from 1 to 1, not 2');
    expect(() => witnessPolicy([], 1)).toThrow(/needs witnesses/);
    expect(loadConfig({ CHIPWATCH_WITNESSES: ` http://a=${w.vkey}, http://b=${w.vkey} ` }).witnesses).toHaveLength(2);
    expect(() => loadConfig({ CHIPWATCH_WITNESS_QUORUM: 'two' })).toThrow(/^CHIPWATCH_WITNESS_QUORUM must be/);
  });
});
