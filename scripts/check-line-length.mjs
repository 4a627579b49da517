// Fails (exit 1) listing file:line of every line longer than 120 characters in the tracked source of
// src, test, bench, scripts and bin: Biome's formatter wraps code at 120 but cannot break a string or a comment.
// Usage: node scripts/check-line-length.mjs [checkout] (default: this one).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAX = 120;
const DIRS = ['src', 'test', 'bench', 'scripts', 'bin'];
const SOURCE = /\.(ts|mjs|js|cjs)$/;
const root = process.argv[2] ? resolve(process.argv[2]) : fileURLToPath(new URL('../', import.meta.url));

const files = execFileSync('git', ['ls-files', '-z', '--', ...DIRS], { cwd: root, encoding: 'utf8' })
  .split('\0')
  .filter((f) => SOURCE.test(f));

const long = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(join(root, file), 'utf8');
  } catch (e) {
    // Tracked but deleted in the working tree: nothing to check.
    if (e.code === 'ENOENT') continue;
    throw e;
  }
  // Characters as the editor counts them (code points), not UTF-16 units.
  text.split(/\r?\n/).forEach((line, i) => {
    const length = [...line].length;
    if (length > MAX) long.push(`${file}:${i + 1}: ${length} characters`);
  });
}

if (long.length > 0) {
  console.error(long.join('\n'));
  console.error(`${long.length} line(s) longer than ${MAX} characters in ${files.length} files`);
  process.exit(1);
}
console.log(`line length: ${files.length} files, every line within ${MAX} characters`);
