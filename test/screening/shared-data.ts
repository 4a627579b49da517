// Real list files for tests: the project's copy of the reference lists (data/screening), checked
// byte for byte against the SHA-256 of the reference data (../shared/data/screening) before use, so a
// broken or edited copy cannot hide a parser bug — and the tests run from the checkout alone.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const SHARED_SCREENING = join(fileURLToPath(new URL('.', import.meta.url)), '../../data/screening');

/** SHA-256 of the reference files as shipped in ../shared/data/screening. */
export const REFERENCE_SHA256: Record<string, string> = {
  'csl-2022-05.csv': '80e780b91b7b50e193c0077b17d75ec6f6dbd8223ae0bd54b343d297db5e767f',
  'ofac-sdn-2024-05-03.csv': '210ca6b4a8187a34e0850be69ecc6e918f23ad7778b8b5b2f9c9d5fbbaf4e0cb',
  'ofac-alt-2025-08.csv': 'fd476e110713cbee04c84ac60414d3ec57980a34e8b93ba9b2224131ddb6e1b7',
};

const cache = new Map<string, string>();

export function sharedText(file: string): string {
  let text = cache.get(file);
  if (text === undefined) {
    const bytes = readFileSync(join(SHARED_SCREENING, file));
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== REFERENCE_SHA256[file])
      throw new Error(`${file}: the copy in data/screening differs from the reference data (sha256 ${sha})`);
    text = bytes.toString('utf8');
    cache.set(file, text);
  }
  return text;
}

/** The CSL header line plus the data lines that contain `needle` (for small real extracts). */
export function cslExtract(needles: string[]): string {
  const lines = sharedText('csl-2022-05.csv').split('\n');
  const out = [lines[0]];
  for (const l of lines.slice(1)) if (needles.some((n) => l.includes(n)) && l.split('"').length % 2 === 1) out.push(l);
  return out.join('\n') + '\n';
}
