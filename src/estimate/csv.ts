// Writes samples as CSV: one column per output (and input), one row per sample, in sample order.
// Column names are model identifiers (letters, digits, _ and spaces for mixture inputs), quoted.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export async function writeSamplesCsv(
  file: string,
  outputs: ReadonlyMap<string, Float64Array>,
  inputs: ReadonlyMap<string, Float64Array>,
): Promise<void> {
  const columns = [...outputs.entries(), ...inputs.entries()];
  const n = columns[0]?.[1].length ?? 0;
  const out = createWriteStream(file);
  const failed = once(out, 'error').then(([e]) => {
    throw e;
  });
  const write = async (s: string) => {
    if (!out.write(s)) await Promise.race([once(out, 'drain'), failed]);
  };
  await write(columns.map(([name]) => `"${name.replace(/"/g, '""')}"`).join(',') + '\n');
  const BATCH = 4096;
  for (let start = 0; start < n; start += BATCH) {
    let text = '';
    const end = Math.min(n, start + BATCH);
    for (let i = start; i < end; i++) {
      let row = '';
      for (let c = 0; c < columns.length; c++) row += (c ? ',' : '') + columns[c][1][i];
      text += row + '\n';
    }
    await write(text);
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
}
