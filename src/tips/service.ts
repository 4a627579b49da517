// The tips domain's operations on the database: recipients, submission, the investigators' reading and
// replies, the tipster's follow-up by receipt. Encryption happens here, in the process that holds the
// plaintext (the CLI on the tipster's or the investigator's machine), before anything is stored; every
// write is one transaction. Days come in as YYYY-MM-DD from the caller: no clock time is kept.
import type { Db, Queryable } from '../db/index.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import { appendEntries, leafHash, toBase64 } from '../tlog/index.js';
import { fingerprint, type KeyPair } from './keys.js';
import { commitmentSalt, newReceipt, receiptLookup, replyKeyPair } from './receipt.js';
import { commitment, openContentKey, openMessage, sealMessage, type Attachment, type Box } from './seal.js';
import { sodium } from './sodium.js';

export const LIMITS = {
  textBytes: 1024 * 1024,
  attachments: 20,
  attachmentBytes: 25 * 1024 * 1024,
  totalBytes: 50 * 1024 * 1024,
} as const;

export type TipStatus = 'received' | 'triaged' | 'investigating' | 'referred' | 'closed';

export interface AttachmentView {
  name: string;
  bytes: number;
  base64: string;
}

export interface MessageView {
  seq: number;
  from: 'tipster' | 'investigator';
  on: string;
  text: string;
  attachments: AttachmentView[];
}

export interface TipView {
  id: string;
  submittedOn: string;
  status: TipStatus;
  text: string;
  attachments: AttachmentView[];
  /** Every message of the conversation this key can open, the report first. */
  messages: MessageView[];
}

const bin = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
const u8 = (v: unknown) => new Uint8Array(v as Uint8Array);
const randomId = (prefix: string) => `${prefix}-${Buffer.from(sodium().randombytes_buf(8)).toString('hex')}`;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkDay(day: string): void {
  if (!DAY.test(day)) throw new Error(`day must be YYYY-MM-DD, got ${day}`);
}

/** The limits every message meets: non-empty text, sizes, plain file names. */
export function checkMessage(text: string, attachments: Attachment[]): void {
  if (text.trim() === '') throw new ValidationError('the message is empty', { field: 'text' });
  const textBytes = Buffer.byteLength(text, 'utf8');
  if (textBytes > LIMITS.textBytes)
    throw new ValidationError(`the message is ${textBytes} bytes; at most ${LIMITS.textBytes}`, { field: 'text' });
  if (attachments.length > LIMITS.attachments)
    throw new ValidationError(`${attachments.length} attachments; at most ${LIMITS.attachments}`, {
      field: 'attachments',
    });
  let total = 0;
  for (const a of attachments) {
    if (a.name === '' || /[/\\\0]/.test(a.name))
      throw new ValidationError('an attachment name must be a plain file name', { field: 'attachments' });
    if (a.bytes.length > LIMITS.attachmentBytes)
      throw new ValidationError(`attachment ${a.name} is ${a.bytes.length} bytes; at most ${LIMITS.attachmentBytes}`, {
        field: 'attachments',
      });
    total += a.bytes.length;
  }
  if (total > LIMITS.totalBytes)
    throw new ValidationError(`the attachments total ${total} bytes; at most ${LIMITS.totalBytes}`, {
      field: 'attachments',
    });
}

// ---- recipients ----

export interface RecipientInfo {
  id: number;
  name: string;
  fingerprint: string;
  addedOn: string;
  removedOn: string | null;
}

interface RecipientRow {
  id: string | number;
  name: string;
  public_key: Uint8Array;
  added_on: string;
  removed_on: string | null;
}

const recipientInfo = (r: RecipientRow): RecipientInfo => ({
  id: Number(r.id),
  name: r.name,
  fingerprint: fingerprint(u8(r.public_key)),
  addedOn: r.added_on,
  removedOn: r.removed_on,
});

const RECIPIENT_COLUMNS = 'id, name, public_key, added_on::text, removed_on::text';

export async function listRecipients(db: Queryable): Promise<RecipientInfo[]> {
  const rows = await db.query<RecipientRow>(`select ${RECIPIENT_COLUMNS} from tip_recipients order by id`);
  return rows.map(recipientInfo);
}

/** Adds an investigator's public key (or re-adds a removed one, for what arrives from now on). */
export async function addRecipient(db: Db, name: string, publicKey: Uint8Array, today: string) {
  checkDay(today);
  return db.transaction(async (tx) => {
    const [had] = await tx.query<RecipientRow>(
      `select ${RECIPIENT_COLUMNS} from tip_recipients where public_key = $1 for update`,
      [bin(publicKey)],
    );
    if (had && had.removed_on === null)
      throw new ConflictError(`this key is already a recipient (${had.name}, ${fingerprint(publicKey)})`);
    const [row] = had
      ? await tx.query<RecipientRow>(
          `update tip_recipients set name = $2, added_on = $3, removed_on = null where id = $1
           returning ${RECIPIENT_COLUMNS}`,
          [had.id, name, today],
        )
      : await tx.query<RecipientRow>(
          `insert into tip_recipients (name, public_key, added_on) values ($1, $2, $3) returning ${RECIPIENT_COLUMNS}`,
          [name, bin(publicKey), today],
        );
    return recipientInfo(row);
  });
}

/** Removes a recipient, by public key or fingerprint: nothing that arrives afterwards is sealed to it. */
export async function removeRecipient(db: Db, which: Uint8Array | string, today: string): Promise<RecipientInfo> {
  checkDay(today);
  return db.transaction(async (tx) => {
    const rows = await tx.query<RecipientRow>(
      `select ${RECIPIENT_COLUMNS} from tip_recipients where removed_on is null for update`,
    );
    const row = rows.find((r) =>
      typeof which === 'string' ? recipientInfo(r).fingerprint === which : sodium().memcmp(u8(r.public_key), which),
    );
    if (!row) throw new NotFoundError('no current recipient has this key', { field: 'recipient' });
    const [done] = await tx.query<RecipientRow>(
      `update tip_recipients set removed_on = $2 where id = $1 returning ${RECIPIENT_COLUMNS}`,
      [row.id, today],
    );
    return recipientInfo(done);
  });
}

async function currentRecipients(tx: Queryable): Promise<{ id: number; publicKey: Uint8Array }[]> {
  const rows = await tx.query<{ id: string | number; public_key: Uint8Array }>(
    'select id, public_key from tip_recipients where removed_on is null order by id',
  );
  return rows.map((r) => ({ id: Number(r.id), publicKey: u8(r.public_key) }));
}

// ---- messages ----

export interface Reader {
  /** The recipient's id; null for the tipster's reply key. */
  id: number | null;
  publicKey: Uint8Array;
}

/** A message sealed where the plaintext is (the tipster's or investigator's machine), ready to store. */
export interface PreparedMessage {
  id: string;
  text: Box;
  attachments: Box[];
  sealedKeys: { recipientId: number | null; sealedKey: Uint8Array }[];
}

/** A new tip, prepared without the server: its ids, receipt lookup, salt, reply key, message and commitment. */
export interface PreparedSubmission {
  day: string;
  tip: { id: string; receiptLookup: Uint8Array; salt: Uint8Array; replyPublicKey: Uint8Array };
  message: PreparedMessage;
  commitment: Uint8Array;
}

export function prepareMessage(
  tipId: string,
  text: string,
  attachments: Attachment[],
  readers: Reader[],
): PreparedMessage {
  const id = randomId('msg');
  const sealed = sealMessage(
    { tipId, messageId: id },
    text,
    attachments,
    readers.map((r) => r.publicKey),
  );
  return {
    id,
    text: sealed.text,
    attachments: sealed.attachments,
    sealedKeys: readers.map((r, i) => ({ recipientId: r.id, sealedKey: sealed.sealedKeys[i] })),
  };
}

/**
 * Seals a new tip to the given recipients (and to its own reply key) and derives everything the server
 * stores; the receipt is returned to the tipster only. Pure but for randomness: the CLI runs it locally,
 * before talking to any database or server.
 */
export function prepareSubmission(
  recipients: { id: number; publicKey: Uint8Array }[],
  text: string,
  attachments: Attachment[],
  day: string,
): { receipt: string; prepared: PreparedSubmission } {
  checkDay(day);
  checkMessage(text, attachments);
  if (recipients.length === 0)
    throw new ConflictError('no investigator key is registered (chipwatch tips recipients add): nobody could read it');
  const { receipt, entropy } = newReceipt();
  const salt = sodium().randombytes_buf(16);
  const reply = replyKeyPair(entropy, salt);
  const tipId = randomId('tip');
  const message = prepareMessage(tipId, text, attachments, [{ id: null, publicKey: reply.publicKey }, ...recipients]);
  const c = commitment(commitmentSalt(entropy, salt), day, [message.text, ...message.attachments]);
  const lookup = receiptLookup(entropy);
  sodium().memzero(entropy);
  return {
    receipt,
    prepared: {
      day,
      tip: { id: tipId, receiptLookup: lookup, salt, replyPublicKey: reply.publicKey },
      message,
      commitment: c,
    },
  };
}

const MESSAGE_OVERHEAD = 16 + 2 + 0xffff; // the AEAD tag, the name length and at most a 64 KiB name

/** The checks a server makes of a message it cannot read: ids, sizes, and who it is sealed to. */
async function checkPrepared(tx: Queryable, m: PreparedMessage): Promise<void> {
  const problem = (msg: string) => new ValidationError(msg, { field: 'message' });
  if (!/^msg-[0-9a-f]{16}$/.test(m.id)) throw problem('the message id must be msg- and 16 hex digits');
  const box = (b: Box, max: number) =>
    b.nonce.length === 24 && b.ciphertext.length >= 16 && b.ciphertext.length <= max + MESSAGE_OVERHEAD;
  if (!box(m.text, LIMITS.textBytes)) throw problem('the text ciphertext has the wrong size');
  if (m.attachments.length > LIMITS.attachments) throw problem(`at most ${LIMITS.attachments} attachments`);
  if (!m.attachments.every((a) => box(a, LIMITS.attachmentBytes))) throw problem('an attachment has the wrong size');
  const total = m.attachments.reduce((n, a) => n + a.ciphertext.length, 0);
  if (total > LIMITS.totalBytes + m.attachments.length * MESSAGE_OVERHEAD)
    throw problem(`the attachments exceed ${LIMITS.totalBytes} bytes`);
  if (!m.sealedKeys.every((k) => k.sealedKey.length === 80)) throw problem('a sealed key is not 80 bytes');
  // Sealed to the tipster's key and to exactly the current recipients: a client working from an old list
  // is told to fetch it again rather than leave out an investigator or seal to a removed one.
  const want = ['tipster', ...(await currentRecipients(tx)).map((r) => String(r.id))].sort();
  const got = m.sealedKeys.map((k) => (k.recipientId === null ? 'tipster' : String(k.recipientId))).sort();
  if (want.length === 1) throw new ConflictError('no investigator key is registered: nobody could read it');
  if (want.join() !== got.join())
    throw new ConflictError('the recipients have changed: fetch them again and seal to the current ones', {
      field: 'sealedKeys',
    });
}

async function insertMessage(
  tx: Queryable,
  tipId: string,
  author: { kind: 'tipster' | 'investigator'; recipientId: number | null },
  day: string,
  m: PreparedMessage,
): Promise<number> {
  await checkPrepared(tx, m);
  const [{ seq }] = await tx.query<{ seq: number }>(
    'select coalesce(max(seq), 0) + 1 as seq from tip_messages where tip_id = $1',
    [tipId],
  );
  await tx.query(
    `insert into tip_messages (id, tip_id, seq, author, author_recipient_id, created_on, nonce, ciphertext)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [m.id, tipId, seq, author.kind, author.recipientId, day, bin(m.text.nonce), bin(m.text.ciphertext)],
  );
  for (const k of m.sealedKeys)
    await tx.query('insert into tip_sealed_keys (message_id, recipient_id, sealed_key) values ($1, $2, $3)', [
      m.id,
      k.recipientId,
      bin(k.sealedKey),
    ]);
  for (const [i, a] of m.attachments.entries())
    await tx.query('insert into tip_attachments (message_id, position, nonce, ciphertext) values ($1, $2, $3, $4)', [
      m.id,
      i,
      bin(a.nonce),
      bin(a.ciphertext),
    ]);
  return seq;
}

async function insertCommitment(tx: Queryable, messageId: string, c: Uint8Array, day: string): Promise<void> {
  if (c.length !== 32) throw new ValidationError('a commitment is 32 bytes', { field: 'commitment' });
  await tx.query('insert into tip_commitments (message_id, commitment, committed_on) values ($1, $2, $3)', [
    messageId,
    bin(c),
    day,
  ]);
}

/**
 * Stores a prepared tip in one transaction: the day must be today (the commitment covers it), the ids
 * new, and the message sealed to the current recipients.
 */
export async function storeSubmission(tx: Queryable, p: PreparedSubmission, today: string): Promise<void> {
  checkDay(today);
  if (p.day !== today)
    throw new ConflictError(`the submission is dated ${p.day}, today is ${today}: prepare it again`, { field: 'day' });
  const t = p.tip;
  if (!/^tip-[0-9a-f]{16}$/.test(t.id)) throw new ValidationError('the tip id must be tip- and 16 hex digits');
  if (t.receiptLookup.length !== 32 || t.salt.length !== 16 || t.replyPublicKey.length !== 32)
    throw new ValidationError('the receipt lookup, salt or reply key has the wrong size', { field: 'tip' });
  const [dup] = await tx.query('select 1 from tips where id = $1 or receipt_lookup = $2', [t.id, bin(t.receiptLookup)]);
  if (dup) throw new ConflictError('a tip with this id or receipt exists: prepare it again', { field: 'tip' });
  await tx.query(
    'insert into tips (id, receipt_lookup, salt, reply_public_key, submitted_on) values ($1, $2, $3, $4, $5)',
    [t.id, bin(t.receiptLookup), bin(t.salt), bin(t.replyPublicKey), today],
  );
  await insertMessage(tx, t.id, { kind: 'tipster', recipientId: null }, today, p.message);
  await insertCommitment(tx, p.message.id, p.commitment, today);
}

export interface Submitted {
  receipt: string;
  submittedOn: string;
  /** The commitment of the report (hex); the tipster's receipt re-creates its salt. */
  commitment: string;
}

/** Stores a new tip, sealed to the current recipients and to the receipt's reply key; one transaction. */
export async function submitTip(db: Db, text: string, attachments: Attachment[], today: string): Promise<Submitted> {
  checkDay(today);
  checkMessage(text, attachments);
  return db.transaction(async (tx) => {
    const { receipt, prepared } = prepareSubmission(await currentRecipients(tx), text, attachments, today);
    await storeSubmission(tx, prepared, today);
    return { receipt, submittedOn: today, commitment: Buffer.from(prepared.commitment).toString('hex') };
  });
}

interface MessageRow {
  id: string;
  tip_id: string;
  seq: number;
  author: 'tipster' | 'investigator';
  created_on: string;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  sealed_key: Uint8Array;
  submitted_on: string;
  status: TipStatus;
  reply_public_key: Uint8Array;
}

/** A message as stored, with the content key sealed to one reader: what a server may hand out. */
export interface SealedMessage {
  id: string;
  seq: number;
  from: 'tipster' | 'investigator';
  on: string;
  text: Box;
  attachments: Box[];
  sealedKey: Uint8Array;
}

export interface SealedTip {
  id: string;
  submittedOn: string;
  status: TipStatus;
  /** what a reply is sealed to (the receipt's key) */
  replyPublicKey: Uint8Array;
  messages: SealedMessage[];
}

const MESSAGE_COLUMNS = `m.id, m.tip_id, m.seq, m.author, m.created_on::text as created_on, m.nonce, m.ciphertext,
  k.sealed_key, t.submitted_on::text as submitted_on, t.status, t.reply_public_key`;

/** The messages sealed to one reader (a recipient id, or null: the tip's own reply key), grouped by tip. */
async function sealedTo(db: Queryable, recipientId: number | null, tipId?: string): Promise<SealedTip[]> {
  const rows = await db.query<MessageRow>(
    `select ${MESSAGE_COLUMNS} from tip_sealed_keys k join tip_messages m on m.id = k.message_id
     join tips t on t.id = m.tip_id
     where ${recipientId === null ? 'k.recipient_id is null and m.tip_id = $1' : 'k.recipient_id = $1'}
     order by t.submitted_on, t.id, m.seq`,
    [recipientId ?? tipId],
  );
  const boxes = new Map<string, Box[]>();
  if (rows.length > 0) {
    const atts = await db.query<{ message_id: string; nonce: Uint8Array; ciphertext: Uint8Array }>(
      'select message_id, nonce, ciphertext from tip_attachments where message_id = any($1::text[]) order by position',
      [rows.map((r) => r.id)],
    );
    for (const a of atts) {
      const list = boxes.get(a.message_id) ?? [];
      list.push({ nonce: u8(a.nonce), ciphertext: u8(a.ciphertext) });
      boxes.set(a.message_id, list);
    }
  }
  const tips = new Map<string, SealedTip>();
  for (const r of rows) {
    let t = tips.get(r.tip_id);
    if (!t) {
      t = {
        id: r.tip_id,
        submittedOn: r.submitted_on,
        status: r.status,
        replyPublicKey: u8(r.reply_public_key),
        messages: [],
      };
      tips.set(r.tip_id, t);
    }
    t.messages.push({
      id: r.id,
      seq: r.seq,
      from: r.author,
      on: r.created_on,
      text: { nonce: u8(r.nonce), ciphertext: u8(r.ciphertext) },
      attachments: boxes.get(r.id) ?? [],
      sealedKey: u8(r.sealed_key),
    });
  }
  return [...tips.values()];
}

/** Opens the messages of one tip with a reader's key pair (where the key is: never on a server). */
export function openMessages(tipId: string, messages: SealedMessage[], kp: KeyPair): MessageView[] {
  return messages.map((r) => {
    const key = openContentKey(r.sealedKey, kp);
    if (!key) throw new ValidationError(`message ${r.seq} of ${tipId}: the sealed key does not open with this key`);
    const m = openMessage({ tipId, messageId: r.id }, key, r.text, r.attachments);
    sodium().memzero(key);
    return {
      seq: r.seq,
      from: r.from,
      on: r.on,
      text: m.text,
      attachments: m.attachments.map((a) => ({
        name: a.name,
        bytes: a.bytes.length,
        base64: Buffer.from(a.bytes).toString('base64'),
      })),
    };
  });
}

/** Opens sealed tips with an investigator's key pair: the report first, then the conversation. */
export function openTips(tips: SealedTip[], kp: KeyPair): TipView[] {
  return tips.map((t) => {
    const messages = openMessages(t.id, t.messages, kp);
    const first = messages.find((m) => m.seq === 1);
    return {
      id: t.id,
      submittedOn: t.submittedOn,
      status: t.status,
      text: first?.text ?? '',
      attachments: first?.attachments ?? [],
      messages,
    };
  });
}

async function recipientOf(db: Queryable, publicKey: Uint8Array) {
  const [row] = await db.query<{ id: string | number; removed_on: string | null }>(
    'select id, removed_on::text from tip_recipients where public_key = $1',
    [bin(publicKey)],
  );
  if (!row) throw new ForbiddenError(`the key ${fingerprint(publicKey)} is not a recipient of tips`);
  return { id: Number(row.id), removed: row.removed_on !== null };
}

/** Every tip sealed to a recipient, still encrypted (for a server to hand to the investigator). */
export async function sealedForRecipient(db: Queryable, publicKey: Uint8Array): Promise<SealedTip[]> {
  return sealedTo(db, (await recipientOf(db, publicKey)).id);
}

/** Every tip this investigator's key can open, with the messages sealed to it. */
export async function readTips(db: Db, kp: KeyPair): Promise<TipView[]> {
  return openTips(await sealedForRecipient(db, kp.publicKey), kp);
}

/** An investigator's reply, sealed to the tipster's receipt key and to the current recipients. */
export async function replyToTip(
  db: Db,
  tipId: string,
  kp: KeyPair,
  text: string,
  attachments: Attachment[],
  today: string,
): Promise<{ tipId: string; seq: number; on: string }> {
  checkDay(today);
  checkMessage(text, attachments);
  return db.transaction(async (tx) => {
    const me = await recipientOf(tx, kp.publicKey);
    if (me.removed) throw new ForbiddenError(`the key ${fingerprint(kp.publicKey)} was removed from the recipients`);
    const [tip] = await tx.query<{ reply_public_key: Uint8Array }>(
      'select reply_public_key from tips where id = $1 for update',
      [tipId],
    );
    if (!tip) throw new NotFoundError(`no tip ${tipId}`, { field: 'id' });
    const readers = [{ id: null, publicKey: u8(tip.reply_public_key) }, ...(await currentRecipients(tx))];
    const m = prepareMessage(tipId, text, attachments, readers);
    const seq = await insertMessage(tx, tipId, { kind: 'investigator', recipientId: me.id }, today, m);
    return { tipId, seq, on: today };
  });
}

export interface FollowUp {
  submittedOn: string;
  status: TipStatus;
  messages: MessageView[];
  /** The message added now, when one was given. */
  added: { seq: number; on: string; commitment: string } | null;
}

/** A tip found by its receipt lookup, still encrypted: what the tipster's client opens with the receipt. */
export interface SealedThread {
  submittedOn: string;
  status: TipStatus;
  /** the tip's salt: with the receipt, it re-creates the reply key */
  salt: Uint8Array;
  tipId: string;
  messages: SealedMessage[];
}

/**
 * The conversation of the tip a receipt lookup names, sealed to its reply key. An unknown lookup and a
 * known one cost the same work until the indexed select (the lookup is a 256-bit hash of 128 random bits).
 */
export async function sealedForLookup(db: Queryable, lookup: Uint8Array): Promise<SealedThread> {
  const [tip] = await db.query<{ id: string; salt: Uint8Array; submitted_on: string; status: TipStatus }>(
    'select id, salt, submitted_on::text, status from tips where receipt_lookup = $1',
    [bin(lookup)],
  );
  if (!tip) throw new NotFoundError('no tip has this receipt', { field: 'receipt' });
  const [thread] = await sealedTo(db, null, tip.id);
  return {
    submittedOn: tip.submitted_on,
    status: tip.status,
    salt: u8(tip.salt),
    tipId: tip.id,
    messages: thread?.messages ?? [],
  };
}

/**
 * The tipster's side, by receipt: reads the conversation (replies included) and, when given, adds a
 * message sealed to the current recipients.
 */
export async function followUp(
  db: Db,
  entropy: Uint8Array,
  add: { text: string; attachments: Attachment[] } | undefined,
  today: string,
): Promise<FollowUp> {
  checkDay(today);
  if (add) checkMessage(add.text, add.attachments);
  return db.transaction(async (tx) => {
    const lookup = bin(receiptLookup(entropy));
    const [tip] = await tx.query<{ id: string; salt: Uint8Array }>(
      'select id, salt from tips where receipt_lookup = $1 for update',
      [lookup],
    );
    if (!tip) throw new NotFoundError('no tip has this receipt', { field: 'receipt' });
    const salt = u8(tip.salt);
    const kp = replyKeyPair(entropy, salt);
    let added: FollowUp['added'] = null;
    if (add) {
      const readers = [{ id: null, publicKey: kp.publicKey }, ...(await currentRecipients(tx))];
      const m = prepareMessage(tip.id, add.text, add.attachments, readers);
      const seq = await insertMessage(tx, tip.id, { kind: 'tipster', recipientId: null }, today, m);
      const c = commitment(commitmentSalt(entropy, salt), today, [m.text, ...m.attachments]);
      await insertCommitment(tx, m.id, c, today);
      added = { seq, on: today, commitment: Buffer.from(c).toString('hex') };
    }
    const thread = await sealedForLookup(tx, lookup);
    return {
      submittedOn: thread.submittedOn,
      status: thread.status,
      messages: openMessages(thread.tipId, thread.messages, kp),
      added,
    };
  });
}

/**
 * A tipster's message prepared by the client (sealed to the receipt's key and the current recipients),
 * stored on the tip the receipt's lookup names, with its commitment; one transaction.
 */
export async function storeFollowUp(
  db: Db,
  lookup: Uint8Array,
  p: { day: string; message: PreparedMessage; commitment: Uint8Array },
  today: string,
): Promise<{ seq: number; on: string }> {
  checkDay(today);
  if (p.day !== today)
    throw new ConflictError(`the message is dated ${p.day}, today is ${today}: prepare it again`, { field: 'day' });
  return db.transaction(async (tx) => {
    const [tip] = await tx.query<{ id: string; reply_public_key: Uint8Array }>(
      'select id, reply_public_key from tips where receipt_lookup = $1 for update',
      [bin(lookup)],
    );
    if (!tip) throw new NotFoundError('no tip has this receipt', { field: 'receipt' });
    const seq = await insertMessage(tx, tip.id, { kind: 'tipster', recipientId: null }, today, p.message);
    await insertCommitment(tx, p.message.id, p.commitment, today);
    return { seq, on: today };
  });
}

/** An investigator's reply prepared by their client; the replying key must be a current recipient. */
export async function storeReply(
  db: Db,
  tipId: string,
  recipientPublicKey: Uint8Array,
  message: PreparedMessage,
  today: string,
): Promise<{ tipId: string; seq: number; on: string }> {
  checkDay(today);
  return db.transaction(async (tx) => {
    const me = await recipientOf(tx, recipientPublicKey);
    if (me.removed) throw new ForbiddenError('this key was removed from the recipients');
    const [tip] = await tx.query('select 1 from tips where id = $1 for update', [tipId]);
    if (!tip) throw new NotFoundError(`no tip ${tipId}`, { field: 'id' });
    const seq = await insertMessage(tx, tipId, { kind: 'investigator', recipientId: me.id }, today, message);
    return { tipId, seq, on: today };
  });
}

// ---- commitments in the transparency log ----

/** The log entry of a commitment: canonical JSON (sorted keys, no spaces), the day and the hex hash. */
export function commitmentEntry(day: string, commitmentHex: string): string {
  return JSON.stringify({ commitment: commitmentHex, day, kind: 'tip-commitment', v: 1 });
}

/**
 * Appends every unpublished commitment of the days up to `through` (inclusive) to the transparency log,
 * in a random order, in one transaction. Run once a day after the day is over: the log then shows no
 * more than the day of a tip (publishing today's reveals that they arrived before now).
 */
export async function publishCommitments(
  db: Db,
  through: string,
  today: string,
): Promise<{ published: number; firstIndex: number | null; treeSize: number | null }> {
  checkDay(through);
  checkDay(today);
  if (through > today)
    throw new ValidationError(`--through ${through} is after today (${today})`, { field: 'through' });
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ message_id: string; commitment: Uint8Array; committed_on: string }>(
      `select message_id, commitment, committed_on::text from tip_commitments
       where log_index is null and committed_on <= $1 for update`,
      [through],
    );
    if (rows.length === 0) return { published: 0, firstIndex: null, treeSize: null };
    // Fisher-Yates with libsodium's uniform random numbers: the order inside the batch says nothing.
    for (let i = rows.length - 1; i > 0; i--) {
      const j = sodium().randombytes_uniform(i + 1);
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    const entries = rows.map((r) =>
      sodium().from_string(commitmentEntry(r.committed_on, Buffer.from(u8(r.commitment)).toString('hex'))),
    );
    const { firstIndex, treeSize } = await appendEntries(tx, entries);
    for (const [i, r] of rows.entries())
      await tx.query('update tip_commitments set log_index = $2 where message_id = $1', [r.message_id, firstIndex + i]);
    return { published: rows.length, firstIndex, treeSize };
  });
}

export interface FilingProof {
  seq: number;
  on: string;
  /** keyed BLAKE2b-256, hex */
  commitment: string;
  /** the commitment salt, hex: disclose it (never the receipt) to prove the filing */
  salt: string;
  /** the log entry and its RFC 9162 leaf hash (base64) and index, once published */
  entry: string;
  leafHash: string;
  leafIndex: number | null;
}

/** What a tipster needs to prove each of their messages was filed on its day (by receipt). */
export async function proveFiling(db: Db, entropy: Uint8Array): Promise<FilingProof[]> {
  const [tip] = await db.query<{ id: string; salt: Uint8Array }>(
    'select id, salt from tips where receipt_lookup = $1',
    [bin(receiptLookup(entropy))],
  );
  if (!tip) throw new NotFoundError('no tip has this receipt', { field: 'receipt' });
  const salt = commitmentSalt(entropy, u8(tip.salt));
  const rows = await db.query<{ seq: number; commitment: Uint8Array; committed_on: string; log_index: string | null }>(
    `select m.seq, c.commitment, c.committed_on::text, c.log_index from tip_commitments c
     join tip_messages m on m.id = c.message_id where m.tip_id = $1 order by m.seq`,
    [tip.id],
  );
  return rows.map((r) => {
    const commitmentHex = Buffer.from(u8(r.commitment)).toString('hex');
    const entry = commitmentEntry(r.committed_on, commitmentHex);
    return {
      seq: r.seq,
      on: r.committed_on,
      commitment: commitmentHex,
      salt: Buffer.from(salt).toString('hex'),
      entry,
      leafHash: toBase64(leafHash(sodium().from_string(entry))),
      leafIndex: r.log_index === null ? null : Number(r.log_index),
    };
  });
}
