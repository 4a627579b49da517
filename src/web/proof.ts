// Checks a filing's log inclusion proof in the browser with WebCrypto alone: the checkpoint's C2SP signed note
// (Ed25519 over the note text, key ID = SHA-256(name || 0x0A || 0x01 || key)[0:4]) against a verifier key, then
// the RFC 9162 Merkle path from SHA-256(0x00 || entry) up to the checkpoint's root hash.
const enc = new TextEncoder();

function b64(s: string): Uint8Array {
  const bin = atob(s);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export interface CheckpointCheck {
  origin: string;
  size: number;
  rootHash: Uint8Array;
  signedBy: string;
}

/** Opens a signed checkpoint note with the verifier key `<name>+<hex id>+<base64(0x01 || key)>`. */
export async function verifyCheckpointNote(note: string, vkey: string): Promise<CheckpointCheck> {
  const parts = vkey.trim().split('+');
  if (parts.length < 3) throw new Error('the verifier key does not read <name>+<key id>+<key>');
  const [name, idHex] = parts;
  const keyBytes = b64(parts.slice(2).join('+'));
  if (keyBytes.length !== 33 || keyBytes[0] !== 0x01) throw new Error('the verifier key is not an Ed25519 key');
  const pub = keyBytes.slice(1);
  const id = (await sha256(enc.encode(name), new Uint8Array([0x0a, 0x01]), pub)).slice(0, 4);
  const hex = [...id].map((b) => b.toString(16).padStart(2, '0')).join('');
  if (hex !== idHex) throw new Error('the verifier key ID does not match its key');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('the checkpoint is not a signed note');
  const text = note.slice(0, split + 1);
  const key = await crypto.subtle.importKey('raw', pub, { name: 'Ed25519' }, false, ['verify']);
  let signed = false;
  for (const line of note.slice(split + 2).split('\n')) {
    if (!line.startsWith(`— ${name} `)) continue;
    const sig = b64(line.slice(`— ${name} `.length));
    if (!equal(sig.slice(0, 4), id)) continue;
    if (!(await crypto.subtle.verify('Ed25519', key, sig.slice(4), enc.encode(text))))
      throw new Error(`the signature by ${name} does not verify`);
    signed = true;
  }
  if (!signed) throw new Error(`the checkpoint carries no signature by ${name}`);
  const [origin, size, root] = text.split('\n');
  if (!/^(0|[1-9][0-9]*)$/.test(size ?? '')) throw new Error('the checkpoint size is not a number');
  return { origin, size: Number(size), rootHash: b64(root), signedBy: name };
}

/** RFC 9162 §2.1.3.2: the root the inclusion proof of `entry` at `index` in a tree of `size` implies. */
export async function rootFromInclusion(
  index: number,
  size: number,
  entry: string,
  proof: readonly string[],
): Promise<Uint8Array> {
  if (!(index >= 0 && index < size)) throw new Error(`leaf ${index} is not in a tree of ${size}`);
  let r = await sha256(new Uint8Array([0]), enc.encode(entry));
  let fn = index;
  let sn = size - 1;
  for (const p of proof.map(b64)) {
    if (sn === 0) throw new Error('the proof is longer than the tree is deep');
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(new Uint8Array([1]), p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else r = await sha256(new Uint8Array([1]), r, p);
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('the proof is shorter than the tree is deep');
  return r;
}

export interface ItemProof {
  leafIndex: number;
  entry: string;
  proof: string[];
}

/** The whole check: a signed checkpoint, and the item's path to its root. Returns what was proven. */
export async function checkInclusion(
  item: ItemProof,
  checkpoint: string,
  vkey: string,
): Promise<{ ok: true; treeSize: number; signedBy: string }> {
  const cp = await verifyCheckpointNote(checkpoint, vkey);
  const root = await rootFromInclusion(item.leafIndex, cp.size, item.entry, item.proof);
  if (!equal(root, cp.rootHash)) throw new Error('the Merkle path does not lead to the signed root');
  return { ok: true, treeSize: cp.size, signedBy: cp.signedBy };
}
