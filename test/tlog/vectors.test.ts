// Every transparency-dev Merkle proof vector (test/fixtures/transparency-dev-vectors): valid ones verify,
// invalid ones throw. Walks the whole directory so a vector added upstream is tested without a code change.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyConsistency, verifyInclusion } from '../../src/tlog/verify.js';
import { ProofError } from '../../src/tlog/errors.js';
import { verifySubtreeConsistency, verifySubtreeInclusion } from '../../src/tlog/subtree.js';

const ROOT = join(import.meta.dirname, '../fixtures/transparency-dev-vectors/testdata');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.json') ? [p] : [];
  });
}

interface Vector {
  [k: string]: unknown;
  proof: string[] | null;
  wantErr: boolean;
}

// Some vectors hold uint64 values beyond 2^53 (2^64-1, 2^63+2). JSON.parse rounds them to the
// nearest double, which is not a safe integer, and the verifiers reject every such index or size:
// this log never exceeds 2^53 entries. Such vectors must all be invalid ones (checked below).
function parse(text: string): Vector {
  return JSON.parse(text) as Vector;
}

const b64 = (s: unknown): Uint8Array => new Uint8Array(Buffer.from(String(s ?? ''), 'base64'));
const proofOf = (v: Vector): Uint8Array[] => (v.proof ?? []).map(b64);

function run(kind: string, v: Vector): void {
  const n = (k: string) => v[k] as number;
  switch (kind) {
    case 'inclusion':
      verifyInclusion(n('leafIdx'), n('treeSize'), b64(v.leafHash), proofOf(v), b64(v.root));
      return;
    case 'consistency':
      verifyConsistency(n('size1'), n('size2'), proofOf(v), b64(v.root1), b64(v.root2));
      return;
    case 'subtreeinclusion':
      verifySubtreeInclusion(n('leafIdx'), n('start'), n('end'), b64(v.leafHash), proofOf(v), b64(v.root));
      return;
    case 'subtreeconsistency':
      verifySubtreeConsistency(n('start'), n('end'), n('size'), proofOf(v), b64(v.root1), b64(v.root2));
      return;
    default:
      throw new Error(`unknown vector kind ${kind}`);
  }
}

const files = walk(ROOT).sort();

describe('transparency-dev proof vectors', () => {
  it('finds all 518 vectors in four kinds', () => {
    expect(files.length).toBe(518);
    const kinds = new Set(files.map((f) => relative(ROOT, f).split('/')[0]));
    expect([...kinds].sort()).toEqual(['consistency', 'inclusion', 'subtreeconsistency', 'subtreeinclusion']);
  });

  it.each(files.map((f) => [relative(ROOT, f)]))('%s', (name) => {
    const v = parse(readFileSync(join(ROOT, name), 'utf8'));
    const kind = name.split('/')[0];
    const unsafe = Object.values(v).some((x) => typeof x === 'number' && !Number.isSafeInteger(x));
    if (unsafe) expect(v.wantErr).toBe(true);
    // Invalid vectors must fail as a proof failure, not as a crash on malformed input.
    if (v.wantErr) expect(() => run(kind, v), String(v.desc)).toThrow(ProofError);
    else expect(() => run(kind, v), String(v.desc)).not.toThrow();
  });
});
