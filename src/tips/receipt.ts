// The tipster's receipt: 12 words of the BIP39 English list (2048 words, chosen so that the first four
// letters identify a word). 12 words carry 128 bits of entropy and a 4-bit checksum, so a mistyped word
// is caught before any lookup. Everything the tipster needs is derived from the receipt's entropy with
// keyed BLAKE2b (libsodium's crypto_generichash, the entropy as the key and a label as the message):
//   lookup     finds the tip (stored, unique): a one-way function of 128 random bits cannot be inverted
//   reply key  a box key pair seeded from the entropy and the tip's random salt: replies are sealed to
//              its public key, and only the receipt re-creates the secret key
//   commitment salt  kept by nobody but the tipster: it turns the hash of a submission's ciphertext into
//              a commitment that reveals nothing until the tipster discloses the salt
// A memory-hard KDF (crypto_pwhash, scrypt) slows down guessing a low-entropy passphrase; guessing 128
// random bits is out of reach without it, so a fast keyed hash is enough (passphrases for investigators'
// key files do go through scrypt, see keys.ts).
import { entropyToMnemonic, mnemonicToEntropy, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { ValidationError } from '../errors.js';
import { sodium } from './sodium.js';

export const RECEIPT_WORDS = 12;
export const RECEIPT_BITS = 128;

const WORDS = new Set(wordlist);
const LABEL = {
  lookup: 'chipwatch tips lookup v1',
  reply: 'chipwatch tips reply key v1',
  commitment: 'chipwatch tips commitment salt v1',
} as const;

/** A new receipt: 12 words from 16 random bytes (libsodium's CSPRNG). */
export function newReceipt(): { receipt: string; entropy: Uint8Array } {
  const entropy = sodium().randombytes_buf(16);
  return { receipt: entropyToMnemonic(entropy, wordlist), entropy };
}

/**
 * The entropy of a receipt as the tipster typed it: case, spaces, hyphens and line breaks do not matter.
 * A wrong word or count is named by position only (the words are a secret: an error never repeats them).
 */
export function parseReceipt(text: string): Uint8Array {
  const words = text
    .toLowerCase()
    .split(/[\s,;.-]+/)
    .filter((w) => w !== '');
  if (words.length !== RECEIPT_WORDS)
    throw new ValidationError(`a receipt has ${RECEIPT_WORDS} words, this one has ${words.length}`, {
      field: 'receipt',
    });
  const unknown = words.findIndex((w) => !WORDS.has(w));
  if (unknown >= 0)
    throw new ValidationError(`word ${unknown + 1} of the receipt is not in the word list`, { field: 'receipt' });
  const phrase = words.join(' ');
  if (!validateMnemonic(phrase, wordlist))
    throw new ValidationError('the receipt does not check out (a word is mistyped or out of order)', {
      field: 'receipt',
    });
  return mnemonicToEntropy(phrase, wordlist);
}

function derive(entropy: Uint8Array, label: string, salt?: Uint8Array): Uint8Array {
  const s = sodium();
  const message = salt ? concat(s.from_string(label), salt) : s.from_string(label);
  return s.crypto_generichash(32, message, entropy);
}

/** What the server stores to find a tip by its receipt. */
export function receiptLookup(entropy: Uint8Array): Uint8Array {
  return derive(entropy, LABEL.lookup);
}

/** The box key pair replies to the tipster are sealed to (X25519, seeded from the receipt and the tip's salt). */
export function replyKeyPair(entropy: Uint8Array, salt: Uint8Array): { publicKey: Uint8Array; privateKey: Uint8Array } {
  const kp = sodium().crypto_box_seed_keypair(derive(entropy, LABEL.reply, salt));
  return { publicKey: kp.publicKey, privateKey: kp.privateKey };
}

/** The salt of the tipster's commitments; never stored, disclosed only by the tipster to prove a filing. */
export function commitmentSalt(entropy: Uint8Array, salt: Uint8Array): Uint8Array {
  return derive(entropy, LABEL.commitment, salt);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
