// The stored log on every backend: appends in batches reproduce the reference tree, proofs match and
// verify, appends roll back with the caller's transaction, concurrent appenders get dense indices,
// checkpoints are signed with an encrypted-at-rest key.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.js';
import type { Db } from '../../src/db/index.js';
import {
  appendEntries,
  consistencyProof,
  createCheckpoint,
  getEntries,
  getLogSigner,
  inclusionProof,
  indexOfLeaf,
  latestCheckpoint,
  leafHash,
  logVerifierKey,
  MemoryTree,
  rootAt,
  toBase64,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '../../src/tlog/index.js';

const entry = (i: number) =>
  new Uint8Array(Buffer.from(JSON.stringify({ item: i, serial: `SN-${i}`, note: 'ünïcödé ✓' })));

describe.each(backends)('transparency log store on $name', ({ open }) => {
  let db: Db;
  const kek = new Uint8Array(randomBytes(32));
  const all: Uint8Array[] = [];
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => db?.close());

  it('appends batches of every shape and matches the reference tree at every size', async () => {
    const batches = [1, 1, 2, 5, 0, 8, 13, 31, 64, 3, 100, 257];
    const binary = [new Uint8Array([0, 1, 2, 0x1f, 0xff]), new Uint8Array(0), new Uint8Array([0xef, 0xbb, 0xbf, 0x41])];
    for (const [b, k] of batches.entries()) {
      // Mix text entries with non-UTF-8, empty and BOM-prefixed ones: both encodings must round-trip.
      const batch = Array.from({ length: k }, (_, j) =>
        b % 3 === 2 && j < binary.length ? binary[j] : entry(all.length + j),
      );
      const res = await db.transaction((tx) => appendEntries(tx, batch));
      expect(res).toEqual({ firstIndex: all.length, treeSize: all.length + k });
      all.push(...batch);
      const ref = MemoryTree.fromEntries(all);
      expect(toBase64(await rootAt(db, all.length))).toBe(toBase64(ref.root()));
    }
    const stored = await getEntries(db, 0, all.length);
    expect(stored.map((e) => Buffer.from(e.entry).toString('hex'))).toEqual(
      all.map((e) => Buffer.from(e).toString('hex')),
    );
    expect(stored.every((e, i) => toBase64(e.leafHash) === toBase64(leafHash(all[i])))).toBe(true);
  });

  it('serves inclusion and consistency proofs equal to the reference and that verify', async () => {
    const ref = MemoryTree.fromEntries(all);
    for (const size of [1, 2, 7, 64, 65, 200, all.length]) {
      const root = ref.root(size);
      for (const index of [0, size - 1, Math.floor(size / 3)]) {
        const proof = await inclusionProof(db, index, size);
        expect(proof.map(toBase64)).toEqual(ref.inclusionProof(index, size).map(toBase64));
        verifyInclusion(index, size, leafHash(all[index]), proof, root);
      }
      for (const from of [1, Math.ceil(size / 2), size]) {
        const proof = await consistencyProof(db, from, size);
        expect(proof.map(toBase64)).toEqual(ref.consistencyProof(from, size).map(toBase64));
        verifyConsistency(from, size, proof, ref.root(from), root);
      }
    }
    expect(await indexOfLeaf(db, leafHash(all[42]))).toBe(42);
    await expect(inclusionProof(db, 0, all.length + 1)).rejects.toThrow(/larger than the log/);
    await expect(consistencyProof(db, 0, 5)).rejects.toThrow(/from must be/);
  });

  it('rolls the leaves back with the caller transaction', async () => {
    await expect(
      db.transaction(async (tx) => {
        await appendEntries(tx, [entry(1), entry(2)]);
        throw new Error('filing rejected');
      }),
    ).rejects.toThrow('filing rejected');
    const res = await db.transaction((tx) => appendEntries(tx, [entry(all.length)]));
    expect(res.firstIndex).toBe(all.length);
    all.push(entry(all.length));
    expect(toBase64(await rootAt(db, all.length))).toBe(toBase64(MemoryTree.fromEntries(all).root()));
  });

  it('gives concurrent appenders dense, disjoint index ranges', async () => {
    const before = all.length;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, w) =>
        db.transaction((tx) =>
          appendEntries(
            tx,
            Array.from({ length: 50 }, (_, j) => entry(10_000 + w * 100 + j)),
          ),
        ),
      ),
    );
    const starts = results.map((r) => r.firstIndex).sort((a, b) => a - b);
    expect(starts).toEqual([0, 1, 2, 3, 4, 5].map((k) => before + 50 * k));
    const stored = await getEntries(db, before, before + 300);
    expect(stored.map((e) => e.index)).toEqual(Array.from({ length: 300 }, (_, k) => before + k));
    all.push(...stored.map((e) => e.entry));
    expect(toBase64(await rootAt(db, all.length))).toBe(toBase64(MemoryTree.fromEntries(all).root()));
  });

  it('signs checkpoints with a key that is stored encrypted and refuses a wrong key-encryption key', async () => {
    const signer = await getLogSigner(db, { kek, origin: 'test.chipwatch/log' });
    const cp = await createCheckpoint(db, signer, new Date('2026-11-28T05:00:00Z'));
    expect(cp.treeSize).toBe(all.length);
    const { vkey } = await logVerifierKey(db);
    expect(vkey).toBe(signer.vkey);
    const v = verifyCheckpoint(cp.note, vkey);
    expect(v).toMatchObject({ origin: 'test.chipwatch/log', size: all.length });
    expect(toBase64(v.rootHash)).toBe(toBase64(MemoryTree.fromEntries(all).root()));
    expect((await latestCheckpoint(db))?.note).toBe(cp.note);
    // The same size again returns the stored checkpoint.
    expect((await createCheckpoint(db, signer, new Date())).note).toBe(cp.note);
    const [row] = await db.query<{ private_key_enc: Uint8Array }>('select private_key_enc from tlog_key');
    expect(Buffer.from(row.private_key_enc).length).toBe(12 + 32 + 16);
    await expect(getLogSigner(db, { kek: new Uint8Array(32).fill(9) })).rejects.toThrow(/cannot be decrypted/);
    await expect(getLogSigner(db, { kek, origin: 'other/log' })).rejects.toThrow(/origin/);
  });

  it('refuses updates and deletes of log rows through SQL', async () => {
    await expect(db.query('delete from tlog_entries where idx = 0')).rejects.toThrow(/append-only/);
    await expect(db.query("update tlog_entries set entry = '\\x00' where idx = 1")).rejects.toThrow(/append-only/);
    await expect(db.exec('truncate tlog_entries')).rejects.toThrow(/append-only/);
  });
});

describe('entry encoding', () => {
  it('round-trips bytes (UTF-8 or binary) via append and read; opens its own transaction given the Db', async () => {
    const fc = await import('fast-check');
    const db = await backends[0].open();
    const all: Uint8Array[] = [];
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof(
              fc.uint8Array({ maxLength: 40 }),
              fc.string({ unit: 'binary', maxLength: 30 }).map((s) => new Uint8Array(Buffer.from(s, 'utf8'))),
            ),
            { minLength: 1, maxLength: 12 },
          ),
          async (batch) => {
            const { firstIndex } = await appendEntries(db, batch);
            expect(firstIndex).toBe(all.length);
            all.push(...batch);
            const back = await getEntries(db, firstIndex, firstIndex + batch.length);
            expect(back.map((e) => Buffer.from(e.entry).toString('hex'))).toEqual(
              batch.map((e) => Buffer.from(e).toString('hex')),
            );
          },
        ),
        { numRuns: 40, seed: 5 },
      );
      expect(toBase64(await rootAt(db, all.length))).toBe(toBase64(MemoryTree.fromEntries(all).root()));
    } finally {
      await db.close();
    }
  });
});
