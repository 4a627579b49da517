// Domain boundaries of verify and screening: neither imports the other (their wiring lives in the
// assembler, src/app/wiring.ts for now), and code outside verify reaches it only through
// its index.
import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(import.meta.dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every module specifier a file imports (static, type-only and dynamic). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*)'([^']+)'/g)].map((m) => m[1]);
}

const offenders = (domain: string, other: RegExp) =>
  files(join(SRC, domain)).flatMap((f) =>
    imports(f)
      .filter((s) => other.test(s))
      .map((s) => `${relative(SRC, f)} -> ${s}`),
  );

describe('verify and screening boundaries', () => {
  it('verify imports nothing from screening', () => {
    expect(offenders('verify', /(^|\/)screening\//)).toEqual([]);
  });

  it('screening imports nothing from verify', () => {
    expect(offenders('screening', /(^|\/)verify\//)).toEqual([]);
  });

  it('outside verify, only its index (and its CLI and routes for the command table and the server) is imported', () => {
    const outside = files(SRC).filter((f) => !relative(SRC, f).startsWith('verify/'));
    const deep = outside.flatMap((f) =>
      imports(f)
        .filter((s) => /(^|\/)verify\/(?!index\.js$|cli\.js$|http\.js$)/.test(s))
        .map((s) => `${relative(SRC, f)} -> ${s}`),
    );
    expect(deep).toEqual([]);
  });
});
