// The pure core of the tips domain: receipts, key files, sealing and commitments.
import { beforeAll, describe, expect, it } from 'vitest';
import { decodePrivateKey, encodePrivateKey, fingerprint, generateKeyPair } from '../../src/tips/keys.js';
import {
  commitmentSalt,
  newReceipt,
  parseReceipt,
  receiptLookup,
  replyKeyPair,
  RECEIPT_WORDS,
} from '../../src/tips/receipt.js';
import { commitment, openContentKey, openMessage, sealMessage } from '../../src/tips/seal.js';
import { loadSodium } from '../../src/tips/sodium.js';

beforeAll(async () => {
  await loadSodium();
});

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('receipts', () => {
  it('are 12 words carrying 128 random bits, read back whatever the case and separators', () => {
    const { receipt, entropy } = newReceipt();
    expect(receipt.split(' ')).toHaveLength(RECEIPT_WORDS);
    expect(entropy).toHaveLength(16);
    const sloppy = receipt.toUpperCase().split(' ').join(' - \n ');
    expect(hex(parseReceipt(sloppy))).toBe(hex(entropy));
    expect(newReceipt().receipt).not.toBe(receipt);
  });

  it('refuse a wrong count, an unknown word and a swapped word, naming no word', () => {
    const { receipt } = newReceipt();
    const words = receipt.split(' ');
    expect(() => parseReceipt(words.slice(1).join(' '))).toThrow('a receipt has 12 words, this one has 11');
    expect(() => parseReceipt(['qqqq', ...words.slice(1)].join(' '))).toThrow(
      'word 1 of the receipt is not in the word list',
    );
    // A changed last word breaks the 4-bit checksum 15 times in 16: find one that does.
    const wrong = ['abandon', 'ability', 'able', 'about', 'above'].find((w) => {
      try {
        parseReceipt([...words.slice(0, 11), w].join(' '));
        return false;
      } catch {
        return true;
      }
    });
    expect(() => parseReceipt([...words.slice(0, 11), wrong!].join(' '))).toThrow('does not check out');
  });

  it('derive a lookup, a reply key and a commitment salt that depend on the receipt and the salt', () => {
    const a = newReceipt().entropy;
    const b = newReceipt().entropy;
    const salt = new Uint8Array(16).fill(7);
    expect(hex(receiptLookup(a))).toBe(hex(receiptLookup(a)));
    expect(hex(receiptLookup(a))).not.toBe(hex(receiptLookup(b)));
    expect(hex(replyKeyPair(a, salt).publicKey)).toBe(hex(replyKeyPair(a, salt).publicKey));
    expect(hex(replyKeyPair(a, salt).publicKey)).not.toBe(hex(replyKeyPair(a, new Uint8Array(16)).publicKey));
    expect(hex(commitmentSalt(a, salt))).not.toBe(hex(receiptLookup(a)));
  });
});

describe('key files', () => {
  it('round-trip, with and without a passphrase; a wrong passphrase is a clear error', () => {
    const kp = generateKeyPair();
    const plain = decodePrivateKey(encodePrivateKey(kp), 'a.key');
    expect(hex(plain.privateKey)).toBe(hex(kp.privateKey));
    const text = encodePrivateKey(kp, 'correct horse');
    expect(text).not.toContain(Buffer.from(kp.privateKey).toString('base64'));
    expect(hex(decodePrivateKey(text, 'a.key', 'correct horse').privateKey)).toBe(hex(kp.privateKey));
    expect(() => decodePrivateKey(text, 'a.key', 'wrong')).toThrow('a.key: wrong passphrase');
    expect(() => decodePrivateKey(text, 'a.key')).toThrow('protected by a passphrase');
    expect(() => decodePrivateKey('{"kind":"x"}', 'a.key')).toThrow('not a chipwatch-tips-private-key file');
    expect(fingerprint(kp.publicKey)).toMatch(/^[0-9a-f]{4}(-[0-9a-f]{4}){3}$/);
  });
});

describe('sealed messages', () => {
  const ids = { tipId: 'tip-0000000000000001', messageId: 'msg-0000000000000001' };
  it('open for each reader the content key was sealed to, and for nobody else', () => {
    const [alice, bob, eve] = [generateKeyPair(), generateKeyPair(), generateKeyPair()];
    const att = { name: 'photo.jpg', bytes: new Uint8Array([1, 2, 3, 250]) };
    const sealed = sealMessage(ids, 'the phrase', [att], [alice.publicKey, bob.publicKey]);
    expect(sealed.sealedKeys).toHaveLength(2);
    expect(sealed.sealedKeys[0]).toHaveLength(80);
    for (const [i, kp] of [alice, bob].entries()) {
      const key = openContentKey(sealed.sealedKeys[i], kp)!;
      const m = openMessage(ids, key, sealed.text, sealed.attachments);
      expect(m.text).toBe('the phrase');
      expect(m.attachments).toEqual([{ name: 'photo.jpg', bytes: att.bytes }]);
    }
    expect(openContentKey(sealed.sealedKeys[0], eve)).toBeUndefined();
    // A ciphertext moved to another message does not open.
    const key = openContentKey(sealed.sealedKeys[0], alice)!;
    expect(() => openMessage({ ...ids, messageId: 'msg-0000000000000002' }, key, sealed.text, [])).toThrow(
      'does not open',
    );
  });

  it('commit to the ciphertexts and the day under the tipster salt', () => {
    const s = sealMessage(ids, 'x', [], [generateKeyPair().publicKey]);
    const salt = new Uint8Array(32).fill(1);
    const c = hex(commitment(salt, '2026-12-07', [s.text]));
    expect(hex(commitment(salt, '2026-12-07', [s.text]))).toBe(c);
    expect(hex(commitment(salt, '2026-12-08', [s.text]))).not.toBe(c);
    expect(hex(commitment(new Uint8Array(32), '2026-12-07', [s.text]))).not.toBe(c);
    const other = sealMessage(ids, 'x', [], [generateKeyPair().publicKey]);
    expect(hex(commitment(salt, '2026-12-07', [other.text]))).not.toBe(c);
  });
});
