'use strict';
// Loads the CLI bundle (dist/bundle/main.cjs: one CommonJS module, written inside its wrapper function
// by scripts/build-bundle.mjs) through V8's code cache. Parsing and compiling the CLI's JavaScript was a
// fifth of a short command's time; with the cache, V8 deserialises the bytecode of every function a
// typical run compiled instead (measured on `chipwatch estimate --json` and `--help`: 20–40 ms less per
// command). Node 20 has no code cache for ES modules, hence one CommonJS file compiled here with
// vm.Script.
//
// The cache (main.cjs.cache) is written at build time after a warm-up run of bin/chipwatch.js with
// CHIPWATCH_WRITE_CODE_CACHE=1 (scripts/build-bundle.mjs). V8 itself checks only the source's length,
// so the cache starts with a header naming the bundle it was made from: its size, modification time
// and CRC-32. A bundle with the recorded size and time is taken as that bundle without reading it
// twice (CPython trusts size and time for .pyc files the same way); otherwise its CRC-32 decides, so a
// bundle copied or unpacked with other times (npm pack resets them) keeps its cache, and a rebuilt one
// of the same length does not. (A SHA-256 here cost ~4 ms a command, most of it loading node:crypto.)
// V8 rejects a cache from another V8 version or other V8 flags; a missing, stale or rejected cache
// only means the bundle is compiled from source, as without one.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

/** Header: bundle size (u64), modification time in ns (i64), CRC-32 (u32), little-endian. */
const HEADER_BYTES = 20;

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
  const { mtimeNs } = fs.statSync(file, { bigint: true });
  let cachedData;
  let cache = 'missing';
  try {
    const stored = fs.readFileSync(cacheFileFor(file));
    if (stored.length > HEADER_BYTES && stored.readBigUInt64LE(0) === BigInt(bytes.length)) {
      const sameTime = stored.readBigInt64LE(8) === mtimeNs;
      if (sameTime || stored.readUInt32LE(16) === crc32(bytes)) cachedData = stored.subarray(HEADER_BYTES);
    }
    if (!cachedData) cache = 'stale';
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  // The file's text is the module's wrapper function (compiled as it is: no second copy of the source).
  // No import() in the bundle: a vm.Script has no module loader for it (the build checks).
  const script = new vm.Script(bytes.toString('utf8'), { filename: file, cachedData });
  if (cachedData) cache = script.cachedDataRejected ? 'rejected' : 'used';
  const module = { exports: {}, filename: file, id: file };
  script.runInThisContext()(module.exports, Module.createRequire(file), module, file, path.dirname(file));
  return { exports: module.exports, script, bytes, mtimeNs, cache };
}

/**
 * Writes the cache of a loaded bundle: V8's data for every function compiled so far, so call it after
 * a representative run. Written to a temporary file and renamed, so a reader never sees half a cache.
 */
function writeCodeCache(file, loaded) {
  const target = cacheFileFor(file);
  const temp = `${target}.${process.pid}.tmp`;
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeBigUInt64LE(BigInt(loaded.bytes.length), 0);
  header.writeBigInt64LE(loaded.mtimeNs, 8);
  header.writeUInt32LE(crc32(loaded.bytes), 16);
  fs.writeFileSync(temp, Buffer.concat([header, loaded.script.createCachedData()]));
  fs.renameSync(temp, target);
}

/** CRC-32 of the bundle (zlib is loaded only when a check needs it). */
const crc32 = (bytes) => require('node:zlib').crc32(bytes);

/** Whether this process was asked to write its bundles' caches (by scripts/build-bundle.mjs). */
const writeRequested = () => process.env.CHIPWATCH_WRITE_CODE_CACHE === '1';

module.exports = { loadBundle, writeCodeCache, writeRequested };
