// The browser's proof check (src/web/proof.ts, WebCrypto only) against the log's own reference code: every
// leaf of trees of several sizes proves under a checkpoint signed by src/tlog, and any change to the entry, the
// path, the index, the note or the key is refused. Node's WebCrypto runs the same Ed25519 and SHA-256.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ed25519NoteSigner, formatVerifierKey, MemoryTree, signCheckpoint, toBase64 } from '../../src/tlog/index.js';
import { checkInclusion, rootFromInclusion, verifyCheckpointNote } from '../../src/web/proof.js';

const signer = ed25519NoteSigner('chipwatch.test/log', randomBytes(32));
const vkey = formatVerifierKey(signer.name, signer.publicKey);
const entriesOf = (n: number) => Array.from({ length: n }, (_, i) => `{"filing":1,"row":${i + 2},"serial":"S${i}"}`);

function logOf(n: number) {
  const entries = entriesOf(n);
  const tree = MemoryTree.fromEntries(entries.map((e) => new TextEncoder().encode(e)));
  const note = signCheckpoint({ origin: 'chipwatch.test/log', size: n, rootHash: tree.root(), extensions: [] }, signer);
  const item = (i: number) => ({ leafIndex: i, entry: entries[i], proof: tree.inclusionProof(i, n).map(toBase64) });
  return { note, item };
}

describe('the browser proof check', () => {
  it.each([1, 2, 3, 7, 8, 13, 64])('proves every leaf of a %i-leaf log under its signed checkpoint', async (n) => {
    const { note, item } = logOf(n);
    for (let i = 0; i < n; i++) {
      expect(await checkInclusion(item(i), note, vkey)).toEqual({ ok: true, treeSize: n, signedBy: signer.name });
    }
  });

  it('refuses a changed entry, path, index, note or key', async () => {
    const { note, item } = logOf(13);
    const good = item(5);
    await expect(checkInclusion({ ...good, entry: `${good.entry} ` }, note, vkey)).rejects.toThrow(/signed root/);
    const path = [...good.proof];
    path[1] = path[0];
    await expect(checkInclusion({ ...good, proof: path }, note, vkey)).rejects.toThrow(/signed root/);
    await expect(checkInclusion({ ...good, proof: good.proof.slice(1) }, note, vkey)).rejects.toThrow(/shorter/);
    await expect(checkInclusion({ ...item(6), leafIndex: 5 }, note, vkey)).rejects.toThrow(/signed root/);
    await expect(checkInclusion({ ...good, leafIndex: 13 }, note, vkey)).rejects.toThrow(/not in a tree of 13/);
    const forged = note.replace(/\n13\n/, '\n12\n');
    await expect(verifyCheckpointNote(forged, vkey)).rejects.toThrow(/does not verify/);
    const other = ed25519NoteSigner(signer.name, randomBytes(32));
    await expect(checkInclusion(good, note, formatVerifierKey(other.name, other.publicKey))).rejects.toThrow(
      /no signature by/,
    );
    // name+keyID+key, where the base64 key may itself hold '+': only the first two separate fields.
    const [name, id] = vkey.split('+', 2);
    const key = vkey.slice(name.length + id.length + 2);
    await expect(verifyCheckpointNote(note, `${name}+00000000+${key}`)).rejects.toThrow(/key ID/);
  });

  it('computes the same root as the log for every index', async () => {
    const entries = entriesOf(21);
    const tree = MemoryTree.fromEntries(entries.map((e) => new TextEncoder().encode(e)));
    for (let i = 0; i < 21; i++) {
      const root = await rootFromInclusion(i, 21, entries[i], tree.inclusionProof(i, 21).map(toBase64));
      expect(toBase64(root)).toBe(toBase64(tree.root()));
    }
  });
});
