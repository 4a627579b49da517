// Locations of files the package ships (migrations, bundled models, data), resolved from this module so
// they work from a checkout, from dist/ and from a global install alike.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

// src/paths.ts and dist/paths.js both sit one level below the package root.
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const MIGRATIONS_DIR = join(PACKAGE_ROOT, 'migrations');
export const MODELS_DIR = join(PACKAGE_ROOT, 'models');
export const DATA_DIR = join(PACKAGE_ROOT, 'data');
