// The browser's inbox opener (src/web/tips/open.ts) against the tips domain's own sealing: a message sealed to
// an investigator's key, as GET /api/tips/sealed answers it, opens with that key file (text and attachments);
// another reader's message says it is not sealed to this key; a protected or mismatched key file is refused.
import { describe, expect, it } from 'vitest';
import { encodePrivateKey, generateKeyPair } from '../../src/tips/keys.js';
import { sealMessage } from '../../src/tips/seal.js';
import { loadSodium } from '../../src/tips/sodium.js';
import { sealedTipsToWire } from '../../src/tips/wire.js';
import { openSealedTips, readKeyFile, type WireTip } from '../../src/web/tips/open.js';

describe('opening the sealed inbox in the browser', () => {
  it('opens what was sealed to the key, and only that', async () => {
    await loadSodium();
    const alice = generateKeyPair();
    const bob = generateKeyPair();
    const pdf = { name: 'ledger.pdf', bytes: new Uint8Array([37, 80, 68, 70, 1, 2, 3]) };
    const toAlice = sealMessage(
      { tipId: 'T1', messageId: 'M1' },
      'Crates relabelled in Johor.',
      [pdf],
      [alice.publicKey],
    );
    const toBob = sealMessage({ tipId: 'T1', messageId: 'M2' }, 'for Bob', [], [bob.publicKey]);
    const wire = sealedTipsToWire([
      {
        id: 'T1',
        submittedOn: '2026-12-01',
        status: 'received',
        replyPublicKey: bob.publicKey,
        messages: [
          { id: 'M1', seq: 1, from: 'tipster', on: '2026-12-01', ...toAlice, sealedKey: toAlice.sealedKeys[0] },
          { id: 'M2', seq: 2, from: 'investigator', on: '2026-12-02', ...toBob, sealedKey: toBob.sealedKeys[0] },
        ],
      },
    ]) as unknown as WireTip[];
    const kp = await readKeyFile(encodePrivateKey(alice));
    const [tip] = await openSealedTips(kp, JSON.parse(JSON.stringify(wire)));
    expect(tip.messages[0].text).toBe('Crates relabelled in Johor.');
    expect(tip.messages[0].attachments.map((a) => [a.name, [...a.bytes]])).toEqual([['ledger.pdf', [...pdf.bytes]]]);
    expect(tip.messages[1]).toMatchObject({ seq: 2, error: 'not sealed to this key' });
    // A message moved to another tip does not open: the ids are its associated data.
    const [moved] = await openSealedTips(kp, [{ ...wire[0], id: 'T2' }]);
    expect(moved.messages[0].error).toMatch(/does not open/);
  });

  it('refuses a protected key, a mismatched key and a file that is not a key', async () => {
    await loadSodium();
    const kp = generateKeyPair();
    await expect(readKeyFile(encodePrivateKey(kp, 'correct horse'))).rejects.toThrow(/passphrase/);
    const other = generateKeyPair();
    const mixed = JSON.parse(encodePrivateKey(kp));
    mixed.publicKey = Buffer.from(other.publicKey).toString('base64');
    await expect(readKeyFile(JSON.stringify(mixed))).rejects.toThrow(/does not match/);
    await expect(readKeyFile('{"kind":"chipwatch-tips-public-key"}')).rejects.toThrow(/not a chipwatch tips private/);
    await expect(readKeyFile('nope')).rejects.toThrow(/not JSON/);
  });
});
