// Tamper detection: `log verify`'s audit on every backend names the index of a rewritten, deleted or
// truncated entry, and catches an operator who rewrites history and re-signs it.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { backends } from '../helpers/db.js';
import type { Db } from '../../src/db/index.js';
import {
  appendEntries,
  auditLocalLog,
  auditLog,
  createCheckpoint,
  ed25519NoteSigner,
  formatVerifierKey,
  getLogSigner,
  leafHash,
  MemoryTree,
  signCheckpoint,
  type LogSigner,
} from '../../src/tlog/index.js';

const entry = (i: number) =>
  new Uint8Array(Buffer.from(JSON.stringify({ filing: 1 + Math.floor(i / 10), row: i, serial: `SN-${i}` })));

async function seeded(open: () => Promise<Db>): Promise<{ db: Db; signer: LogSigner; notes: string[] }> {
  const db = await open();
  const signer = await getLogSigner(db, { kek: new Uint8Array(randomBytes(32)), origin: 'audit.test/log' });
  const notes: string[] = [];
  // Three filings, a checkpoint after each: sizes 10, 25, 40.
  for (const [a, b] of [
    [0, 10],
    [10, 25],
    [25, 40],
  ]) {
    await db.transaction((tx) =>
      appendEntries(
        tx,
        Array.from({ length: b - a }, (_, k) => entry(a + k)),
      ),
    );
    notes.push((await createCheckpoint(db, signer, new Date())).note);
  }
  return { db, signer, notes };
}

/** Plays an attacker with database access: switches off the append-only triggers first. */
async function tamper(db: Db, sql: string, params: unknown[] = []): Promise<void> {
  await db.exec(
    `alter table tlog_entries disable trigger user; alter table tlog_nodes disable trigger user;
     alter table tlog_checkpoints disable trigger user`,
  );
  await db.query(sql, params);
}

describe.each(backends)('log audit on $name', ({ open }) => {
  it('passes an intact log', async () => {
    const { db, signer } = await seeded(open);
    const r = await auditLocalLog(db, { vkey: signer.vkey });
    expect(r).toMatchObject({
      ok: true,
      entriesChecked: 40,
      checkpointsVerified: 3,
      verifiedTreeSize: 40,
      firstBadIndex: null,
      problems: [],
    });
    await db.close();
  });

  it('names the index of an entry rewritten in place', async () => {
    const { db, signer } = await seeded(open);
    await tamper(db, 'update tlog_entries set entry = $1 where idx = 17', [
      Buffer.from(JSON.stringify({ filing: 2, row: 17, serial: 'FORGED' })),
    ]);
    const r = await auditLocalLog(db, { vkey: signer.vkey });
    expect(r.ok).toBe(false);
    expect(r.firstBadIndex).toBe(17);
    expect(r.problems[0]).toMatchObject({ kind: 'leaf-hash-mismatch', index: 17 });
    expect(r.problems.some((p) => p.kind === 'root-mismatch' && p.treeSize === 25)).toBe(true);
    expect(r.verifiedTreeSize).toBe(10);
    await db.close();
  });

  it('localises a rewrite that also fixed the stored leaf hash, from the stored nodes', async () => {
    const { db, signer } = await seeded(open);
    const forged = Buffer.from('forged');
    await tamper(db, 'update tlog_entries set entry = $1, leaf_hash = $2 where idx = 20', [
      forged,
      Buffer.from(leafHash(forged)),
    ]);
    const r = await auditLocalLog(db, { vkey: signer.vkey });
    expect(r.ok).toBe(false);
    const node = r.problems.find((p) => p.kind === 'node-mismatch')!;
    expect(node.index! <= 20 && node.lastIndex! >= 20 && node.lastIndex! - node.index! < 16).toBe(true);
    expect(r.problems.find((p) => p.kind === 'root-mismatch')).toMatchObject({
      index: 10,
      lastIndex: 24,
      treeSize: 25,
    });
    await db.close();
  });

  it('names a deleted entry and a truncated tail', async () => {
    const { db, signer } = await seeded(open);
    await tamper(db, 'delete from tlog_entries where idx = 5');
    let r = await auditLocalLog(db, { vkey: signer.vkey });
    expect(r.firstBadIndex).toBe(5);
    expect(r.problems[0]).toMatchObject({ kind: 'missing-entry', index: 5, lastIndex: 5 });
    // Only the deletion and the signed roots it breaks: no stored-node noise past the gap (the leaves
    // there sit one place off), and no claim that the log was truncated.
    expect(new Set(r.problems.map((p) => p.kind))).toEqual(new Set(['missing-entry', 'root-mismatch']));
    expect(r.problems.filter((p) => p.kind === 'missing-entry')).toHaveLength(1);
    await tamper(db, 'delete from tlog_entries where idx >= 30');
    r = await auditLocalLog(db, { vkey: signer.vkey });
    expect(r.problems.find((p) => p.kind === 'missing-entry' && p.index === 30)).toMatchObject({
      lastIndex: 39,
      treeSize: 40,
    });
    await db.close();
  });

  it('catches an operator who rewrites history, re-signs it and deletes the old checkpoints', async () => {
    const { db, signer, notes } = await seeded(open);
    // Rebuild the log from index 12 on with forged entries, consistently, and sign new checkpoints.
    const forged = Array.from({ length: 40 }, (_, i) => (i === 12 ? new Uint8Array(Buffer.from('forged')) : entry(i)));
    const t = MemoryTree.fromEntries(forged);
    await tamper(db, 'delete from tlog_checkpoints');
    await db.query('update tlog_entries set entry = $1, leaf_hash = $2 where idx = 12', [
      Buffer.from(forged[12]),
      Buffer.from(leafHash(forged[12])),
    ]);
    await db.query('delete from tlog_nodes');
    await db.query(`insert into tlog_nodes (level, idx, hash) values (4, 0, $1), (4, 1, $2)`, [
      Buffer.from(t.node(4, 0)),
      Buffer.from(t.node(4, 1)),
    ]);
    const resigned = signCheckpoint({ origin: signer.origin, size: 40, rootHash: t.root(), extensions: [] }, signer);
    await db.query('insert into tlog_checkpoints (tree_size, root_hash, note, created_at) values (40, $1, $2, now())', [
      Buffer.from(t.root()),
      resigned,
    ]);
    // The log now agrees with itself...
    expect((await auditLocalLog(db, { vkey: signer.vkey })).ok).toBe(true);
    // ...but not with the checkpoint an auditor saved before.
    const r = await auditLocalLog(db, { vkey: signer.vkey, knownCheckpoints: [notes[1]] });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      expect.objectContaining({ kind: 'root-mismatch', index: 0, lastIndex: 24, treeSize: 25 }),
    ]);
    // Two signed heads of one size are a provable fork.
    const fork = auditLog({ vkey: signer.vkey, checkpoints: [notes[2], resigned], entries: [] });
    expect(fork.problems[0]).toMatchObject({ kind: 'conflicting-checkpoints', treeSize: 40 });
    await db.close();
  });
});

describe('auditLog (pure)', () => {
  const signer = ed25519NoteSigner('pure.test/log', new Uint8Array(32).fill(3));
  const vkey = formatVerifierKey(signer.name, signer.publicKey);
  const data = Array.from({ length: 9 }, (_, i) => entry(i));
  const t = MemoryTree.fromEntries(data);
  const cp = (n: number) =>
    signCheckpoint({ origin: signer.name, size: n, rootHash: t.root(n), extensions: [] }, signer);

  it('reports bad signatures, duplicates and checkpoints beyond the entries', () => {
    const other = ed25519NoteSigner('pure.test/log', new Uint8Array(32).fill(4));
    const foreign = signCheckpoint({ origin: signer.name, size: 9, rootHash: t.root(), extensions: [] }, other);
    const entries = data.map((e, index) => ({ index, entry: e }));
    const r = auditLog({
      vkey,
      checkpoints: [cp(0), cp(4), cp(9), foreign],
      entries: [...entries.slice(0, 6), entries[5], ...entries.slice(6)],
    });
    expect(r.problems.map((p) => p.kind)).toEqual(['bad-checkpoint', 'unexpected-entry']);
    expect(r.checkpointsVerified).toBe(3);
    const short = auditLog({ vkey, checkpoints: [cp(9)], entries: entries.slice(0, 7) });
    expect(short.problems).toEqual([expect.objectContaining({ kind: 'missing-entry', index: 7, lastIndex: 8 })]);
  });

  it('reports one early deletion once, however many stored nodes lie past it', () => {
    const big = Array.from({ length: 6000 }, (_, i) => entry(i));
    const tree = MemoryTree.fromEntries(big);
    const stored = (level: number, index: number) => {
      try {
        return tree.node(level, index);
      } catch {
        return undefined;
      }
    };
    const r = auditLog({
      vkey,
      checkpoints: [],
      entries: big.map((e, index) => ({ index, entry: e })).filter((e) => e.index !== 1),
      storedNode: stored,
    });
    expect(r.ok).toBe(false);
    expect(r.firstBadIndex).toBe(1);
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'missing-entry', index: 1, lastIndex: 1 })]);
  });

  it('caps the problem list when every entry was rewritten', () => {
    const big = Array.from({ length: 6000 }, (_, i) => entry(i));
    const rewritten = big.map((e, index) => ({ index, entry: entry(index + 1_000_000), leafHash: leafHash(e) }));
    const r = auditLog({ vkey, checkpoints: [], entries: rewritten });
    expect(r.firstBadIndex).toBe(0);
    expect(r.problems).toHaveLength(1000);
    expect(r.problemsOmitted).toBe(5000);
  });
});
