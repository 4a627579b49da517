// The bundles require() the packages they leave external; one that resolves to an ES module breaks at
// run time (esbuild's interop hands `default` the module namespace: "anyAscii is not a function").
// scripts/build-bundle.mjs refuses to build such a bundle; this checks the built files themselves.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUNDLE_DIR = fileURLToPath(new URL('../../dist/bundle/', import.meta.url));

/** Whether Node loads a file as an ES module: .mjs, or .js under a package.json with "type": "module". */
function isEsModuleFile(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return JSON.parse(readFileSync(manifest, 'utf8')).type === 'module';
  }
  return false;
}

describe('CLI and worker bundles', () => {
  it('require() no package that resolves to an ES module', () => {
    const requireFromBundle = createRequire(BUNDLE_DIR);
    const bundles = readdirSync(BUNDLE_DIR).filter((f) => f.endsWith('.cjs'));
    expect(bundles).toContain('main.cjs');
    const required = new Set(
      bundles.flatMap((f) =>
        [...readFileSync(join(BUNDLE_DIR, f), 'utf8').matchAll(/\brequire\("([^".][^"]*)"\)/g)]
          .map((m) => m[1])
          .filter((p) => !p.startsWith('node:')),
      ),
    );
    expect(required.size).toBeGreaterThan(3);
    expect([...required].filter((p) => isEsModuleFile(requireFromBundle.resolve(p)))).toEqual([]);
  });
});
