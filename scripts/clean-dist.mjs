// Empties dist/ before a build, so a module that was moved or deleted in src/ leaves no stale compiled copy for
// the worker bundles to load or `npm pack` to ship.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist/', import.meta.url), { recursive: true, force: true });
