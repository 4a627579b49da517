// The estimate domain's own rules of the house: configuration comes in as options (the assembler reads
// the environment once), and no file name repeats within estimate/, so a name says which file it is.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..', 'src', 'estimate');
const files = (readdirSync(ROOT, { recursive: true }) as string[])
  .map((f) => join(ROOT, f))
  .filter((f) => /\.(ts|wat)$/.test(f));

describe('src/estimate', () => {
  it('reads no environment variables', () => {
    const readers = files.filter((f) => /process\.env/.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f));
    expect(readers).toEqual([]);
  });
  it('has no file name twice (index.ts aside)', () => {
    const byName = new Map<string, string[]>();
    for (const f of files) byName.set(basename(f), [...(byName.get(basename(f)) ?? []), relative(ROOT, f)]);
    const repeated = [...byName].filter(([name, paths]) => name !== 'index.ts' && paths.length > 1);
    expect(repeated).toEqual([]);
  });
});
