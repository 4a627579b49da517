// Real list files for tests, read from the shared reference data (never from the product's copy, so a
// broken copy cannot hide a parser bug).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const SHARED_SCREENING = join(fileURLToPath(new URL('.', import.meta.url)), '../../../shared/data/screening');

export function sharedText(file: string): string {
  return readFileSync(join(SHARED_SCREENING, file), 'utf8');
}

/** The CSL header line plus the data lines that contain `needle` (for small real extracts). */
export function cslExtract(needles: string[]): string {
  const lines = sharedText('csl-2022-05.csv').split('\n');
  const out = [lines[0]];
  for (const l of lines.slice(1)) if (needles.some((n) => l.includes(n)) && l.split('"').length % 2 === 1) out.push(l);
  return out.join('\n') + '\n';
}
