// The JSON forms of prepared and sealed tips on the wire (API bodies): every byte string as base64.
// The same functions run on both ends: the CLI encodes what it sealed and decodes what it must open;
// the server decodes what it stores and encodes what it hands out. Nothing here is plaintext.
import { ValidationError } from '../errors.js';
import type { Box } from './seal.js';
import type { PreparedMessage, PreparedSubmission, SealedMessage, SealedThread, SealedTip } from './service.js';

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
const enc = (b: Uint8Array) => Buffer.from(b).toString('base64');

function dec(v: unknown, field: string): Uint8Array {
  if (typeof v !== 'string' || !B64.test(v) || v.length % 4 !== 0)
    throw new ValidationError('must be base64', { field });
  return new Uint8Array(Buffer.from(v, 'base64'));
}

function obj(v: unknown, field: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new ValidationError('must be an object', { field });
  return v as Record<string, unknown>;
}

function arr(v: unknown, field: string): unknown[] {
  if (!Array.isArray(v)) throw new ValidationError('must be an array', { field });
  return v;
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string') throw new ValidationError('must be a string', { field });
  return v;
}

export interface WireBox {
  nonce: string;
  ciphertext: string;
}

const boxOut = (b: Box): WireBox => ({ nonce: enc(b.nonce), ciphertext: enc(b.ciphertext) });
function boxIn(v: unknown, field: string): Box {
  const o = obj(v, field);
  return { nonce: dec(o.nonce, `${field}.nonce`), ciphertext: dec(o.ciphertext, `${field}.ciphertext`) };
}

export function messageToWire(m: PreparedMessage) {
  return {
    id: m.id,
    text: boxOut(m.text),
    attachments: m.attachments.map(boxOut),
    sealedKeys: m.sealedKeys.map((k) => ({ recipientId: k.recipientId, sealedKey: enc(k.sealedKey) })),
  };
}

export function messageFromWire(v: unknown, field = 'message'): PreparedMessage {
  const o = obj(v, field);
  return {
    id: str(o.id, `${field}.id`),
    text: boxIn(o.text, `${field}.text`),
    attachments: arr(o.attachments, `${field}.attachments`).map((a, i) => boxIn(a, `${field}.attachments[${i}]`)),
    sealedKeys: arr(o.sealedKeys, `${field}.sealedKeys`).map((k, i) => {
      const f = `${field}.sealedKeys[${i}]`;
      const ko = obj(k, f);
      const id = ko.recipientId;
      if (id !== null && !(typeof id === 'number' && Number.isSafeInteger(id) && id > 0))
        throw new ValidationError('must be a recipient id or null (the tipster)', { field: `${f}.recipientId` });
      return { recipientId: id as number | null, sealedKey: dec(ko.sealedKey, `${f}.sealedKey`) };
    }),
  };
}

export function submissionToWire(p: PreparedSubmission) {
  return {
    day: p.day,
    tip: {
      id: p.tip.id,
      receiptLookup: enc(p.tip.receiptLookup),
      salt: enc(p.tip.salt),
      replyPublicKey: enc(p.tip.replyPublicKey),
    },
    message: messageToWire(p.message),
    commitment: enc(p.commitment),
  };
}

export function submissionFromWire(v: unknown): PreparedSubmission {
  const o = obj(v, 'body');
  const t = obj(o.tip, 'tip');
  return {
    day: str(o.day, 'day'),
    tip: {
      id: str(t.id, 'tip.id'),
      receiptLookup: dec(t.receiptLookup, 'tip.receiptLookup'),
      salt: dec(t.salt, 'tip.salt'),
      replyPublicKey: dec(t.replyPublicKey, 'tip.replyPublicKey'),
    },
    message: messageFromWire(o.message),
    commitment: dec(o.commitment, 'commitment'),
  };
}

const sealedMessageOut = (m: SealedMessage) => ({
  id: m.id,
  seq: m.seq,
  from: m.from,
  on: m.on,
  text: boxOut(m.text),
  attachments: m.attachments.map(boxOut),
  sealedKey: enc(m.sealedKey),
});

function sealedMessageIn(v: unknown, field: string): SealedMessage {
  const o = obj(v, field);
  const from = o.from === 'tipster' || o.from === 'investigator' ? o.from : undefined;
  if (!from) throw new ValidationError('must be tipster or investigator', { field: `${field}.from` });
  return {
    id: str(o.id, `${field}.id`),
    seq: Number(o.seq),
    from,
    on: str(o.on, `${field}.on`),
    text: boxIn(o.text, `${field}.text`),
    attachments: arr(o.attachments, `${field}.attachments`).map((a, i) => boxIn(a, `${field}.attachments[${i}]`)),
    sealedKey: dec(o.sealedKey, `${field}.sealedKey`),
  };
}

export const sealedTipsToWire = (tips: SealedTip[]) =>
  tips.map((t) => ({ ...t, replyPublicKey: enc(t.replyPublicKey), messages: t.messages.map(sealedMessageOut) }));

export function sealedTipsFromWire(v: unknown): SealedTip[] {
  return arr(v, 'tips').map((t, i) => {
    const o = obj(t, `tips[${i}]`);
    return {
      id: str(o.id, `tips[${i}].id`),
      submittedOn: str(o.submittedOn, `tips[${i}].submittedOn`),
      status: str(o.status, `tips[${i}].status`) as SealedTip['status'],
      replyPublicKey: dec(o.replyPublicKey, `tips[${i}].replyPublicKey`),
      messages: arr(o.messages, `tips[${i}].messages`).map((m, j) => sealedMessageIn(m, `tips[${i}].messages[${j}]`)),
    };
  });
}

export const threadToWire = (t: SealedThread) => ({
  submittedOn: t.submittedOn,
  status: t.status,
  salt: enc(t.salt),
  tipId: t.tipId,
  messages: t.messages.map(sealedMessageOut),
});

export function threadFromWire(v: unknown): SealedThread {
  const o = obj(v, 'thread');
  return {
    submittedOn: str(o.submittedOn, 'submittedOn'),
    status: str(o.status, 'status') as SealedThread['status'],
    salt: dec(o.salt, 'salt'),
    tipId: str(o.tipId, 'tipId'),
    messages: arr(o.messages, 'messages').map((m, j) => sealedMessageIn(m, `messages[${j}]`)),
  };
}
