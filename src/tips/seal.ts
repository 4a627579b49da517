// Encryption of one message of a tip (the report, a follow-up or a reply) and its attachments.
// Each message gets a fresh random content key (32 bytes); its text and each attachment (name and bytes
// together) are encrypted with XChaCha20-Poly1305 under that key with a random nonce, the tip's and the
// message's ids as associated data (a ciphertext moved to another message fails to open). The content key
// is then sealed (crypto_box_seal: an anonymous sender, X25519 + XSalsa20-Poly1305) to each reader's public
// key: N readers cost N sealed keys of 80 bytes, whatever the size of the message.
import { ValidationError } from '../errors.js';
import { concat } from './receipt.js';
import { sodium } from './sodium.js';

export interface Attachment {
  name: string;
  bytes: Uint8Array;
}

export interface Box {
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

export interface SealedMessage {
  text: Box;
  attachments: Box[];
  /** The content key sealed to each reader, in the order of the public keys given. */
  sealedKeys: Uint8Array[];
}

const ad = (tipId: string, messageId: string, part: string) => sodium().from_string(`${tipId}/${messageId}/${part}`);

function encrypt(plain: Uint8Array, key: Uint8Array, assoc: Uint8Array): Box {
  const s = sodium();
  const nonce = s.randombytes_buf(s.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  return { nonce, ciphertext: s.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, assoc, null, nonce, key) };
}

function decrypt(box: Box, key: Uint8Array, assoc: Uint8Array): Uint8Array {
  try {
    return sodium().crypto_aead_xchacha20poly1305_ietf_decrypt(null, box.ciphertext, assoc, box.nonce, key);
  } catch {
    throw new ValidationError('a stored ciphertext does not open with its key (damaged or moved)');
  }
}

function packAttachment(a: Attachment): Uint8Array {
  const name = sodium().from_string(a.name);
  if (name.length > 0xffff) throw new ValidationError('an attachment name is longer than 65535 bytes');
  return concat(new Uint8Array([name.length >> 8, name.length & 0xff]), name, a.bytes);
}

function unpackAttachment(b: Uint8Array): Attachment {
  const n = (b[0] << 8) | b[1];
  return { name: sodium().to_string(b.subarray(2, 2 + n)), bytes: b.slice(2 + n) };
}

export function sealMessage(
  ids: { tipId: string; messageId: string },
  text: string,
  attachments: Attachment[],
  readers: Uint8Array[],
): SealedMessage {
  const s = sodium();
  const key = s.crypto_aead_xchacha20poly1305_ietf_keygen();
  try {
    return {
      text: encrypt(s.from_string(text), key, ad(ids.tipId, ids.messageId, 'text')),
      attachments: attachments.map((a, i) => encrypt(packAttachment(a), key, ad(ids.tipId, ids.messageId, `a${i}`))),
      sealedKeys: readers.map((pk) => s.crypto_box_seal(key, pk)),
    };
  } finally {
    s.memzero(key);
  }
}

/** The content key of a message, opened with a reader's key pair; undefined when it was not sealed to it. */
export function openContentKey(sealed: Uint8Array, kp: { publicKey: Uint8Array; privateKey: Uint8Array }) {
  try {
    return sodium().crypto_box_seal_open(sealed, kp.publicKey, kp.privateKey);
  } catch {
    return undefined;
  }
}

export function openMessage(
  ids: { tipId: string; messageId: string },
  key: Uint8Array,
  text: Box,
  attachments: Box[],
): { text: string; attachments: Attachment[] } {
  const s = sodium();
  return {
    text: s.to_string(decrypt(text, key, ad(ids.tipId, ids.messageId, 'text'))),
    attachments: attachments.map((b, i) => unpackAttachment(decrypt(b, key, ad(ids.tipId, ids.messageId, `a${i}`)))),
  };
}

/**
 * A submission's commitment: BLAKE2b-256 keyed with the tipster's commitment salt over the day and the
 * hash of every ciphertext of the message (length-prefixed, in order). It binds the stored ciphertext to
 * the day; without the salt, it cannot be linked to anything.
 */
export function commitment(salt: Uint8Array, day: string, boxes: Box[]): Uint8Array {
  const s = sodium();
  const state = s.crypto_generichash_init(null, 32);
  for (const b of boxes) {
    for (const part of [b.nonce, b.ciphertext]) {
      const len = new Uint8Array(8);
      new DataView(len.buffer).setBigUint64(0, BigInt(part.length));
      s.crypto_generichash_update(state, len);
      s.crypto_generichash_update(state, part);
    }
  }
  const digest = s.crypto_generichash_final(state, 32);
  return s.crypto_generichash(32, concat(s.from_string(`chipwatch tip commitment v1 ${day}`), digest), salt);
}
