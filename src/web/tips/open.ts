// Opens the investigators' sealed inbox in the browser, with the tips domain's own cryptography (libsodium:
// the content key sealed to the investigator's key, then XChaCha20-Poly1305 with the tip and message ids as
// associated data). The key file never leaves the page; a passphrase-protected key (scrypt) opens in the CLI.
import { openContentKey, openMessage } from '../../tips/seal.js';
import { loadSodium } from '../../tips/sodium.js';

export interface KeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

const unb64 = (s: unknown, what: string, length?: number): Uint8Array => {
  if (typeof s !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new Error(`${what} is not base64`);
  const b = Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  if (length !== undefined && b.length !== length) throw new Error(`${what} is not ${length} bytes`);
  return b;
};
export const toB64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));

/** NAME.key as `chipwatch tips keygen` writes it, without a passphrase. */
export async function readKeyFile(text: string): Promise<KeyPair> {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error('the key file is not JSON');
  }
  if (v?.kind !== 'chipwatch-tips-private-key') throw new Error('not a chipwatch tips private key (NAME.key)');
  if (typeof v.encrypted === 'object' && v.encrypted !== null)
    throw new Error('this key is protected by a passphrase: open the inbox with chipwatch tips read');
  const publicKey = unb64(v.publicKey, 'publicKey', 32);
  const privateKey = unb64(v.privateKey, 'privateKey', 32);
  const s = await loadSodium();
  if (!s.memcmp(s.crypto_scalarmult_base(privateKey), publicKey))
    throw new Error('the private key does not match its public key');
  return { publicKey, privateKey };
}

interface WireBox {
  nonce: string;
  ciphertext: string;
}
export interface WireTip {
  id: string;
  submittedOn: string;
  status: string;
  messages: {
    id: string;
    seq: number;
    from: string;
    on: string;
    text: WireBox;
    attachments: WireBox[];
    sealedKey: string;
  }[];
}
export interface OpenedTip {
  id: string;
  submittedOn: string;
  status: string;
  messages: {
    seq: number;
    from: string;
    on: string;
    text?: string;
    attachments: { name: string; bytes: Uint8Array }[];
    error?: string;
  }[];
}

const box = (b: WireBox, what: string) => ({
  nonce: unb64(b.nonce, `${what} nonce`),
  ciphertext: unb64(b.ciphertext, what),
});

/** Every message of GET /api/tips/sealed opened with the key pair; one that does not open says why. */
export async function openSealedTips(kp: KeyPair, tips: readonly WireTip[]): Promise<OpenedTip[]> {
  await loadSodium();
  return tips.map((t) => ({
    id: t.id,
    submittedOn: t.submittedOn,
    status: t.status,
    messages: t.messages.map((m) => {
      const key = openContentKey(unb64(m.sealedKey, 'sealedKey'), kp);
      if (!key) return { seq: m.seq, from: m.from, on: m.on, attachments: [], error: 'not sealed to this key' };
      try {
        const opened = openMessage(
          { tipId: t.id, messageId: m.id },
          key,
          box(m.text, 'text'),
          m.attachments.map((a, i) => box(a, `attachment ${i + 1}`)),
        );
        return { seq: m.seq, from: m.from, on: m.on, ...opened };
      } catch (e) {
        return { seq: m.seq, from: m.from, on: m.on, attachments: [], error: (e as Error).message };
      }
    }),
  }));
}
