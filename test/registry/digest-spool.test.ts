// The content hash's digest spool: spilled to 256 files past its limit, it yields the same digests in the same
// byte order as held in memory, and removes its files when disposed.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { DigestSpool } from '../../src/registry/digest-spool.js';
import { ContentHasher } from '../../src/registry/leaf.js';

const digest = (i: number) => createHash('sha256').update(`item ${i}`).digest();
const spools = () => readdirSync(tmpdir()).filter((f) => f.startsWith('chipwatch-digests-')).length;

async function read(spool: DigestSpool): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of spool.sorted()) parts.push(p);
  return Buffer.concat(parts);
}

describe('digest spool', () => {
  it('yields every digest in byte order, the same spilled or in memory', async () => {
    const all = Array.from({ length: 5000 }, (_, i) => digest(i));
    const expected = Buffer.concat([...all].sort(Buffer.compare));
    for (const spillAt of [1_000_000, 700, 1]) {
      const before = spools();
      const spool = new DigestSpool(spillAt);
      for (const d of all) spool.add(d);
      expect(spools()).toBe(spillAt < all.length ? before + 1 : before);
      expect((await read(spool)).equals(expected)).toBe(true);
      spool.dispose();
      expect(spools()).toBe(before);
    }
  });

  it('gives the same content hash spilled as in memory, for any item order', async () => {
    const texts = Array.from({ length: 3000 }, (_, i) => `{"serial":"S${i}"}`);
    const hash = async (spillAt: number, list: string[]) => {
      const h = new ContentHasher(spillAt);
      for (const t of list) h.add(t);
      try {
        return await h.digest();
      } finally {
        h.dispose();
      }
    };
    const inMemory = await hash(1_000_000, texts);
    expect(await hash(100, texts)).toEqual(inMemory);
    expect(await hash(100, [...texts].reverse())).toEqual(inMemory);
    expect(await hash(100, texts.slice(1))).not.toEqual(inMemory);
  });
});
