// Signed notes and checkpoints: interoperability with Go's golang.org/x/mod/sumdb/note (its published
// PeterNeumann example key and signature), and rejection of every kind of forgery.
import { describe, expect, it } from 'vitest';
import { ed25519NoteSigner, formatVerifierKey, openNote, parseVerifierKey, signNote } from '../../src/tlog/note.js';
import { formatCheckpoint, parseCheckpoint, signCheckpoint, verifyCheckpoint } from '../../src/tlog/checkpoint.js';
import { NoteError } from '../../src/tlog/errors.js';
import { EMPTY_ROOT, leafHash } from '../../src/tlog/hash.js';

// From the Go sumdb/note documentation and tests.
const GO_SKEY_SEED = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64').subarray(1);
const GO_VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const GO_NOTE =
  GO_TEXT +
  '\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

describe('signed notes', () => {
  const signer = ed25519NoteSigner('PeterNeumann', new Uint8Array(GO_SKEY_SEED));

  it('derives the same verifier key and byte-identical signature as Go sumdb/note', () => {
    expect(formatVerifierKey(signer.name, signer.publicKey)).toBe(GO_VKEY);
    expect(signNote(GO_TEXT, [signer])).toBe(GO_NOTE);
    expect(openNote(GO_NOTE, [parseVerifierKey(GO_VKEY)])).toEqual({ text: GO_TEXT, verifiedBy: ['PeterNeumann'] });
  });

  it('rejects altered text, a bad signature, an unknown key only, and malformed notes', () => {
    const key = parseVerifierKey(GO_VKEY);
    expect(() => openNote(GO_NOTE.replace('problem,', 'problem;'), [key])).toThrow(/invalid signature/);
    expect(() => openNote(GO_NOTE.replace('x08go', 'x08gp'), [key])).toThrow(NoteError);
    const other = ed25519NoteSigner('Other', new Uint8Array(32).fill(7));
    expect(() => openNote(signNote(GO_TEXT, [other]), [key])).toThrow(/no signature by a known key/);
    // Unknown signatures are ignored when a known one verifies.
    expect(openNote(signNote(GO_TEXT, [other, signer]), [key]).verifiedBy).toEqual(['PeterNeumann']);
    for (const bad of [
      GO_TEXT,
      GO_NOTE.replace('— ', '-- '),
      GO_NOTE.slice(0, -1),
      GO_NOTE.replace('\n\n', '\n\u0001\n\n'),
    ]) {
      expect(() => openNote(bad, [key])).toThrow(NoteError);
    }
  });

  it('rejects verifier keys with a wrong key ID, type or shape', () => {
    expect(() => parseVerifierKey(GO_VKEY.replace('c74f20a3', 'c74f20a4'))).toThrow(/key ID/);
    expect(() => parseVerifierKey('PeterNeumann+c74f20a3')).toThrow(NoteError);
    expect(() => parseVerifierKey('Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW')).toThrow(
      NoteError,
    );
    const ecdsa = GO_VKEY.replace('ARpc', 'Appc');
    expect(() => parseVerifierKey(ecdsa)).toThrow(NoteError);
  });
});

describe('checkpoints', () => {
  const signer = ed25519NoteSigner('example.com/log', new Uint8Array(32).fill(1));
  const vkey = formatVerifierKey(signer.name, signer.publicKey);
  const root = leafHash(new Uint8Array([1]));

  it('formats and parses the C2SP tlog-checkpoint body', () => {
    const text = formatCheckpoint({ origin: 'example.com/log', size: 12, rootHash: root, extensions: [] });
    expect(text).toBe(`example.com/log\n12\n${Buffer.from(root).toString('base64')}\n`);
    expect(parseCheckpoint(text)).toEqual({ origin: 'example.com/log', size: 12, rootHash: root, extensions: [] });
    expect(parseCheckpoint(text + 'ext line\n').extensions).toEqual(['ext line']);
    for (const bad of [
      'example.com/log\n012\nAAAA\n',
      'o\n-1\n' + Buffer.from(root).toString('base64') + '\n',
      'o\n1\nshort=\n',
      'o\n1\n',
    ]) {
      expect(() => parseCheckpoint(bad)).toThrow(NoteError);
    }
  });

  it('signs and verifies checkpoints, including the empty tree, and rejects forgeries', () => {
    const note = signCheckpoint({ origin: signer.name, size: 0, rootHash: EMPTY_ROOT, extensions: [] }, signer);
    expect(verifyCheckpoint(note, vkey)).toMatchObject({ origin: signer.name, size: 0, rootHash: EMPTY_ROOT });
    const forged = note.replace('\n0\n', '\n1\n');
    expect(() => verifyCheckpoint(forged, vkey)).toThrow(/invalid signature/);
    const impostor = ed25519NoteSigner(signer.name, new Uint8Array(32).fill(2));
    const other = signCheckpoint({ origin: signer.name, size: 5, rootHash: root, extensions: [] }, impostor);
    expect(() => verifyCheckpoint(other, vkey)).toThrow(/no signature by a known key/);
    const wrongOrigin = signCheckpoint({ origin: 'elsewhere', size: 5, rootHash: root, extensions: [] }, signer);
    expect(() => verifyCheckpoint(wrongOrigin, vkey)).toThrow(/origin/);
  });
});
