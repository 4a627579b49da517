// Locations of files the package ships (migrations, bundled models, data, the compiled dist/ tree),
// found from this module so they work from a checkout, from dist/, from the CLI bundle
// (dist/bundle/, scripts/build-bundle.mjs) and from a global install alike.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The nearest directory above this module that holds the package's package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4 && !existsSync(join(dir, 'package.json')); up++) dir = dirname(dir);
  return dir;
}

export const PACKAGE_ROOT = packageRoot();
export const MIGRATIONS_DIR = join(PACKAGE_ROOT, 'migrations');
export const MODELS_DIR = join(PACKAGE_ROOT, 'models');
export const DATA_DIR = join(PACKAGE_ROOT, 'data');
/**
 * The compiled modules (tsc) and bundles (dist/bundle/): worker threads and the WebAssembly engine load
 * from here, even in tests.
 */
export const DIST_DIR = join(PACKAGE_ROOT, 'dist');
