// The tips domain on the database (PGlite, and PostgreSQL when DATABASE_URL is set): submission, the
// investigators' reading, removal, replies and the tipster's follow-up, and no partial writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { inclusionProof, leafHash, rootAt, toBase64, verifyInclusion } from '../../src/tlog/index.js';
import { generateKeyPair } from '../../src/tips/keys.js';
import { parseReceipt } from '../../src/tips/receipt.js';
import { commitment } from '../../src/tips/seal.js';
import {
  addRecipient,
  followUp,
  listRecipients,
  prepareSubmission,
  proveFiling,
  publishCommitments,
  readTips,
  removeRecipient,
  replyToTip,
  storeSubmission,
  submitTip,
} from '../../src/tips/service.js';
import { loadSodium } from '../../src/tips/sodium.js';
import { backends } from '../helpers/db.js';

const DAY1 = '2026-12-01';
const DAY2 = '2026-12-02';
const rowCount = async (db: Db, table: string) =>
  Number((await db.query<{ n: string }>(`select count(*) as n from ${table}`))[0].n);
const TABLES = ['tips', 'tip_messages', 'tip_sealed_keys', 'tip_attachments', 'tip_commitments'];

describe.each(backends)('tips on $name', ({ open }) => {
  let db: Db;
  beforeAll(async () => {
    await loadSodium();
    db = await open();
  }, 60_000);
  afterAll(() => db?.close());

  it('refuses a tip nobody could read, and writes nothing', async () => {
    await expect(submitTip(db, 'hello', [], DAY1)).rejects.toThrow('no investigator key is registered');
    for (const t of TABLES) expect(await rowCount(db, t)).toBe(0);
  });

  it('seals to current recipients only; replies reach the receipt; follow-ups reach investigators', async () => {
    const alice = generateKeyPair();
    const bob = generateKeyPair();
    await addRecipient(db, 'alice', alice.publicKey, DAY1);
    await addRecipient(db, 'bob', bob.publicKey, DAY1);
    await expect(addRecipient(db, 'alice again', alice.publicKey, DAY1)).rejects.toThrow('already a recipient');

    const att = { name: 'invoice.pdf', bytes: new Uint8Array([37, 80, 68, 70, 0, 255]) };
    const first = await submitTip(db, 'first tip', [att], DAY1);
    expect(first).toMatchObject({ submittedOn: DAY1 });
    expect(first.commitment).toMatch(/^[0-9a-f]{64}$/);

    const removed = await removeRecipient(db, bob.publicKey, DAY2);
    expect(removed).toMatchObject({ name: 'bob', removedOn: DAY2 });
    const second = await submitTip(db, 'second tip', [], DAY2);

    const forAlice = await readTips(db, alice);
    expect(forAlice.map((t) => t.text)).toEqual(['first tip', 'second tip']);
    expect(forAlice[0].attachments).toEqual([
      { name: 'invoice.pdf', bytes: 6, base64: Buffer.from(att.bytes).toString('base64') },
    ]);
    // Bob keeps what was sealed to him, and gets nothing after his removal.
    expect((await readTips(db, bob)).map((t) => t.text)).toEqual(['first tip']);
    await expect(readTips(db, generateKeyPair())).rejects.toThrow('is not a recipient of tips');
    await expect(replyToTip(db, forAlice[0].id, bob, 'hi', [], DAY2)).rejects.toThrow('was removed');

    await replyToTip(db, forAlice[1].id, alice, 'which shipment?', [], DAY2);
    const entropy = parseReceipt(second.receipt);
    const thread = await followUp(db, entropy, undefined, DAY2);
    expect(thread.messages.map((m) => [m.from, m.text])).toEqual([
      ['tipster', 'second tip'],
      ['investigator', 'which shipment?'],
    ]);
    const more = { text: 'the one to Kuala Lumpur', attachments: [{ name: 'awb.txt', bytes: new Uint8Array([1]) }] };
    const added = await followUp(db, entropy, more, DAY2);
    expect(added.added).toMatchObject({ seq: 3, on: DAY2 });
    const again = (await readTips(db, alice)).find((t) => t.id === forAlice[1].id)!;
    expect(again.messages.map((m) => m.text)).toEqual(['second tip', 'which shipment?', 'the one to Kuala Lumpur']);
    expect(again.messages[2].attachments[0]).toMatchObject({ name: 'awb.txt', bytes: 1 });
    // The first tip's receipt sees only its own conversation.
    expect((await followUp(db, parseReceipt(first.receipt), undefined, DAY2)).messages).toHaveLength(1);
    expect(await rowCount(db, 'tip_commitments')).toBe(3);
    expect((await listRecipients(db)).map((r) => [r.name, r.removedOn])).toEqual([
      ['alice', null],
      ['bob', DAY2],
    ]);
  });

  it('an unknown receipt is not found; a bad follow-up writes nothing', async () => {
    const { newReceipt } = await import('../../src/tips/receipt.js');
    await expect(followUp(db, newReceipt().entropy, undefined, DAY2)).rejects.toThrow('no tip has this receipt');
    const before = await Promise.all(TABLES.map((t) => rowCount(db, t)));
    const big = { name: 'big.bin', bytes: new Uint8Array(25 * 1024 * 1024 + 1) };
    const tip = await submitTip(db, 'third', [], DAY2);
    const after = await Promise.all(TABLES.map((t) => rowCount(db, t)));
    await expect(followUp(db, parseReceipt(tip.receipt), { text: 'x', attachments: [big] }, DAY2)).rejects.toThrow(
      'attachment big.bin is 26214401 bytes',
    );
    await expect(followUp(db, parseReceipt(tip.receipt), { text: '  ', attachments: [] }, DAY2)).rejects.toThrow(
      'the message is empty',
    );
    expect(await Promise.all(TABLES.map((t) => rowCount(db, t)))).toEqual(after);
    expect(after).not.toEqual(before);
  });

  it('a failure after the first insert rolls the whole submission back', async () => {
    const before = await Promise.all(TABLES.map((t) => rowCount(db, t)));
    // The real database, with the last insert of a submission (its commitment) failing.
    const failing: Db = {
      ...db,
      kind: db.kind,
      query: db.query.bind(db),
      exec: db.exec.bind(db),
      close: db.close.bind(db),
      transaction: (fn) =>
        db.transaction((tx) =>
          fn({
            exec: tx.exec.bind(tx),
            query: (sql, params) => {
              if (sql.includes('insert into tip_commitments')) throw new Error('disk full');
              return tx.query(sql, params);
            },
          }),
        ),
    };
    await expect(submitTip(failing, 'fourth', [], DAY2)).rejects.toThrow('disk full');
    expect(await Promise.all(TABLES.map((t) => rowCount(db, t)))).toEqual(before);
  });

  it('publishes finished days to the log, shuffled; the receipt proves each filing', async () => {
    const tip = await submitTip(db, 'to be proven', [{ name: 'a', bytes: new Uint8Array([9, 9]) }], '2026-11-20');
    const entropy = parseReceipt(tip.receipt);
    await followUp(db, entropy, { text: 'more', attachments: [] }, '2026-11-21');
    await expect(publishCommitments(db, '2026-12-03', '2026-12-02')).rejects.toThrow('is after today');
    const first = await publishCommitments(db, '2026-11-20', '2026-11-22');
    expect(first.published).toBe(1);
    expect((await proveFiling(db, entropy)).map((p) => p.leafIndex)).toEqual([first.firstIndex, null]);
    // Everything up to DAY2: the earlier tests' commitments, and the follow-up of 2026-11-21.
    const rest = await publishCommitments(db, DAY2, DAY2);
    expect(rest.published).toBeGreaterThan(1);
    expect((await publishCommitments(db, DAY2, DAY2)).published).toBe(0);
    const proofs = await proveFiling(db, entropy);
    expect(proofs.map((p) => p.on)).toEqual(['2026-11-20', '2026-11-21']);
    const size = Number(rest.treeSize);
    for (const p of proofs) {
      expect(p.leafIndex).not.toBeNull();
      const hash = leafHash(new TextEncoder().encode(p.entry));
      expect(toBase64(hash)).toBe(p.leafHash);
      verifyInclusion(p.leafIndex!, size, hash, await inclusionProof(db, p.leafIndex!, size), await rootAt(db, size));
      expect(JSON.parse(p.entry)).toEqual({ commitment: p.commitment, day: p.on, kind: 'tip-commitment', v: 1 });
    }
    // A court given the salt recomputes the commitment from the stored ciphertexts.
    const stored = await db.query<{ nonce: Uint8Array; ciphertext: Uint8Array }>(
      `select nonce, ciphertext from (
         select m.nonce, m.ciphertext, -1 as position from tip_messages m
          join tip_commitments c on c.message_id = m.id where c.commitment = $1
         union all
         select a.nonce, a.ciphertext, a.position from tip_attachments a
          join tip_commitments c on c.message_id = a.message_id where c.commitment = $1) x order by position`,
      [Buffer.from(proofs[0].commitment, 'hex')],
    );
    expect(stored).toHaveLength(2);
    const boxes = stored.map((r) => ({ nonce: new Uint8Array(r.nonce), ciphertext: new Uint8Array(r.ciphertext) }));
    const salt = new Uint8Array(Buffer.from(proofs[0].salt, 'hex'));
    expect(Buffer.from(commitment(salt, proofs[0].on, boxes)).toString('hex')).toBe(proofs[0].commitment);
    expect(Buffer.from(commitment(salt, proofs[1].on, boxes)).toString('hex')).not.toBe(proofs[0].commitment);
  });

  it('stores a prepared submission only when dated today and sealed to exactly the current recipients', async () => {
    const current = (await listRecipients(db)).filter((r) => r.removedOn === null);
    const keys = await db.query<{ id: string; public_key: Uint8Array }>(
      'select id, public_key from tip_recipients where removed_on is null',
    );
    const recipients = keys.map((k) => ({ id: Number(k.id), publicKey: new Uint8Array(k.public_key) }));
    expect(recipients).toHaveLength(current.length);
    const before = await Promise.all(TABLES.map((t) => rowCount(db, t)));
    const stale = prepareSubmission(
      [...recipients, { id: 999, publicKey: generateKeyPair().publicKey }],
      'x',
      [],
      DAY2,
    );
    await expect(db.transaction((tx) => storeSubmission(tx, stale.prepared, DAY2))).rejects.toThrow(
      'the recipients have changed',
    );
    expect(() => prepareSubmission([], 'x', [], DAY2)).toThrow('no investigator key is registered');
    const yesterday = prepareSubmission(recipients, 'x', [], DAY1);
    await expect(db.transaction((tx) => storeSubmission(tx, yesterday.prepared, DAY2))).rejects.toThrow(
      'the submission is dated 2026-12-01, today is 2026-12-02',
    );
    expect(await Promise.all(TABLES.map((t) => rowCount(db, t)))).toEqual(before);
    const good = prepareSubmission(recipients, 'prepared elsewhere', [], DAY2);
    await db.transaction((tx) => storeSubmission(tx, good.prepared, DAY2));
    await expect(db.transaction((tx) => storeSubmission(tx, good.prepared, DAY2))).rejects.toThrow('exists');
    const thread = await followUp(db, parseReceipt(good.receipt), undefined, DAY2);
    expect(thread.messages.map((m) => m.text)).toEqual(['prepared elsewhere']);
  });
});
