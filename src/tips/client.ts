// The CLI's side of the tips API (--server URL): everything is sealed and opened here, on the tipster's or
// the investigator's machine; the server only ever receives and returns ciphertexts.
import { UserError } from '../errors.js';
import type { KeyPair } from './keys.js';
import { bodyHash, POW_HEADER, solve } from './pow.js';
import { commitmentSalt, receiptLookup, replyKeyPair } from './receipt.js';
import { commitment } from './seal.js';
import type { Attachment } from './seal.js';
import {
  openMessages,
  openTips,
  prepareMessage,
  prepareSubmission,
  type FollowUp,
  type Submitted,
  type TipView,
} from './service.js';
import { messageToWire, sealedTipsFromWire, submissionToWire, threadFromWire } from './wire.js';

export class TipsServerError extends UserError {
  override readonly code = 'tips-server';
  constructor(
    message: string,
    readonly httpStatus: number,
  ) {
    super(message);
  }
}

async function call(server: string, path: string, init: RequestInit = {}): Promise<unknown> {
  const url = new URL(path, server.endsWith('/') ? server : `${server}/`);
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new TipsServerError(`cannot reach ${url.origin}: ${(e as Error).message}`, 0);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    throw new TipsServerError(`${url.origin} answered ${res.status} with something that is not JSON`, res.status);
  }
  if (!res.ok) {
    const detail = (body as { detail?: unknown } | undefined)?.detail;
    throw new TipsServerError(`server: ${typeof detail === 'string' ? detail : `HTTP ${res.status}`}`, res.status);
  }
  return body;
}

const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Seals a tip to the server's current recipients and submits it; once more if they change meanwhile. */
export async function submitRemote(server: string, text: string, attachments: Attachment[]): Promise<Submitted> {
  for (let attempt = 0; ; attempt++) {
    const recipients = await recipientsOf(server);
    const { receipt, prepared } = prepareSubmission(
      recipients,
      text,
      attachments,
      new Date().toISOString().slice(0, 10),
    );
    try {
      const body = JSON.stringify(submissionToWire(prepared));
      const { challenge, bits } = (await call(server, 'api/tips/challenge')) as { challenge: string; bits: number };
      const proof = `${challenge}:${solve(challenge, bodyHash(body), bits)}`;
      const init = { method: 'POST', headers: { 'content-type': 'application/json', [POW_HEADER]: proof }, body };
      const r = (await call(server, 'api/tips', init)) as { submittedOn: string };
      return { receipt, submittedOn: r.submittedOn, commitment: Buffer.from(prepared.commitment).toString('hex') };
    } catch (e) {
      if (!(e instanceof TipsServerError && e.httpStatus === 409) || attempt > 0) throw e;
    }
  }
}

async function recipientsOf(server: string) {
  const list = (await call(server, 'api/tips/recipients')) as { id: number; publicKey: string }[];
  return list.map((r) => ({ id: r.id, publicKey: new Uint8Array(Buffer.from(r.publicKey, 'base64')) }));
}

/**
 * The conversation of a tip, fetched by the receipt's lookup hash and opened with the receipt; with
 * `add`, a message sealed here to the receipt's key and the current recipients is added first.
 */
export async function followUpRemote(
  server: string,
  entropy: Uint8Array,
  add?: { text: string; attachments: Attachment[] },
): Promise<FollowUp> {
  const lookup = Buffer.from(receiptLookup(entropy)).toString('base64');
  const fetchThread = async () => threadFromWire(await call(server, 'api/tips/lookup', json({ lookup })));
  let thread = await fetchThread();
  const kp = replyKeyPair(entropy, thread.salt);
  let added: FollowUp['added'] = null;
  if (add) {
    const day = new Date().toISOString().slice(0, 10);
    const readers = [{ id: null, publicKey: kp.publicKey }, ...(await recipientsOf(server))];
    const m = prepareMessage(thread.tipId, add.text, add.attachments, readers);
    const c = commitment(commitmentSalt(entropy, thread.salt), day, [m.text, ...m.attachments]);
    const body = { lookup, day, message: messageToWire(m), commitment: Buffer.from(c).toString('base64') };
    const r = (await call(server, 'api/tips/messages', json(body))) as { seq: number; on: string };
    added = { seq: r.seq, on: r.on, commitment: Buffer.from(c).toString('hex') };
    thread = await fetchThread();
  }
  return {
    submittedOn: thread.submittedOn,
    status: thread.status,
    messages: openMessages(thread.tipId, thread.messages, kp),
    added,
  };
}

/** A reply sealed here to the tip's receipt key and the current recipients, sent with an investigator key. */
export async function replyRemote(
  server: string,
  apiKey: string,
  kp: KeyPair,
  tipId: string,
  text: string,
  attachments: Attachment[],
): Promise<{ tipId: string; seq: number; on: string }> {
  const auth = { authorization: `Bearer ${apiKey}` };
  const q = new URLSearchParams({ publicKey: Buffer.from(kp.publicKey).toString('base64') });
  const tips = sealedTipsFromWire(await call(server, `api/tips/sealed?${q}`, { headers: auth }));
  const tip = tips.find((t) => t.id === tipId);
  if (!tip) throw new TipsServerError(`no tip ${tipId} is sealed to this key`, 404);
  const readers = [{ id: null, publicKey: tip.replyPublicKey }, ...(await recipientsOf(server))];
  const m = prepareMessage(tipId, text, attachments, readers);
  const body = { publicKey: Buffer.from(kp.publicKey).toString('base64'), message: messageToWire(m) };
  return (await call(server, `api/tips/${encodeURIComponent(tipId)}/replies`, json(body, auth))) as {
    tipId: string;
    seq: number;
    on: string;
  };
}

/** Every tip sealed to this investigator's key, fetched with an investigator API key and opened here. */
export async function readRemote(server: string, apiKey: string, kp: KeyPair): Promise<TipView[]> {
  const q = new URLSearchParams({ publicKey: Buffer.from(kp.publicKey).toString('base64') });
  const body = await call(server, `api/tips/sealed?${q}`, { headers: { authorization: `Bearer ${apiKey}` } });
  return openTips(sealedTipsFromWire(body), kp);
}
