'use strict';
// Loads the CLI bundle (dist/bundle/main.cjs, one CommonJS file: scripts/build-bundle.mjs) through V8's
// code cache. Parsing and compiling the CLI's JavaScript was a fifth of a short command's time; with
// the cache, V8 deserialises the bytecode of every function a typical run compiled instead (measured
// on `chipwatch estimate --json` and `--help`: 20–40 ms less per command). Node 20 has no code cache
// for ES modules, hence one CommonJS file compiled here with vm.Script.
//
// The cache (main.cjs.cache) is written at build time after a warm-up run of bin/chipwatch.js with
// CHIPWATCH_WRITE_CODE_CACHE=1 (scripts/build-bundle.mjs). Its first 32 bytes are the
// SHA-256 of the bundle it was made from: V8 itself checks only the source's length, so a cache is used
// only with the very bundle it belongs to. V8 rejects a cache from another V8 version or other V8 flags;
// a missing, stale or rejected cache only means the bundle is compiled from source, as without one.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');
const { createHash } = require('node:crypto');

const DIGEST_BYTES = 32;

/** The cache file that belongs to a bundle file. */
function cacheFileFor(file) {
  return `${file}.cache`;
}

/**
 * Compiles and runs a CommonJS bundle, with its code cache when one matches. Returns the bundle's
 * exports, the compiled script (for writeCodeCache) and how the cache was used: 'used', 'missing',
 * 'stale' (made from another bundle) or 'rejected' (by V8).
 */
function loadBundle(file) {
  const bytes = fs.readFileSync(file);
  const digest = createHash('sha256').update(bytes).digest();
  let cachedData;
  let cache = 'missing';
  try {
    const stored = fs.readFileSync(cacheFileFor(file));
    if (stored.length > DIGEST_BYTES && digest.equals(stored.subarray(0, DIGEST_BYTES))) cachedData = stored.subarray(DIGEST_BYTES);
    else cache = 'stale';
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  // No import() in the bundle: a vm.Script has no module loader for it (the build checks).
  const script = new vm.Script(Module.wrap(bytes.toString('utf8')), { filename: file, cachedData });
  if (cachedData) cache = script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {}, filename: file, id: file };
  script.runInThisContext()(module.exports, Module.createRequire(file), module, file, path.dirname(file));
  return { exports: module.exports, script, digest, cache };
}

/**
 * Writes the cache of a loaded bundle: V8's data for every function compiled so far, so call it after
 * a representative run. Written to a temporary file and renamed, so a reader never sees half a cache.
 */
function writeCodeCache(file, loaded) {
  const target = cacheFileFor(file);
  const temp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temp, Buffer.concat([loaded.digest, loaded.script.createCachedData()]));
  fs.renameSync(temp, target);
}

/** Whether this process was asked to write its bundles' caches (by scripts/build-bundle.mjs). */
const writeRequested = () => process.env.CHIPWATCH_WRITE_CODE_CACHE === '1';

module.exports = { loadBundle, writeCodeCache, writeRequested };
