// `screen --out` replaces a regular file whole, but writes into anything else (a FIFO here; /dev/null or
// /dev/stdout for users): renaming a temporary file over it, as root, once replaced /dev/null with a file.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'chipwatch.js');
const dir = mkdtempSync(join(tmpdir(), 'cw-out-device-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function screenTo(out: string): Promise<{ code: number | null; stderr: string }> {
  const parties = join(dir, 'parties.csv');
  writeFileSync(parties, 'name,country\nHuawei Technologies Co Ltd,CN\nAcme Widgets,DE\n');
  const args = [BIN, 'screen', '--file', parties, '--out', out, '--data-dir', join(dir, 'data')];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, HOME: dir },
  });
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += String(c);
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('screen --out', () => {
  it('writes into a FIFO and leaves it a FIFO', async () => {
    const fifo = join(dir, 'results.fifo');
    execFileSync('mkfifo', [fifo]);
    const cat = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    const reader = new Promise<string>((resolve) => {
      let text = '';
      cat.stdout.on('data', (c) => {
        text += String(c);
      });
      cat.on('close', () => resolve(text));
    });
    const r = await screenTo(fifo);
    const stillFifo = statSync(fifo).isFIFO();
    if (!stillFifo) cat.kill(); // replaced by a file: nobody will ever open the old FIFO for writing
    expect(r).toMatchObject({ code: 0 });
    expect(await reader).toMatch(/Huawei Technologies Co Ltd/);
    expect(stillFifo).toBe(true);
  });

  it('replaces a regular file whole', async () => {
    const file = join(dir, 'results.csv');
    writeFileSync(file, 'old contents that must go\n'.repeat(1000));
    expect(await screenTo(file)).toMatchObject({ code: 0 });
    const text = readFileSync(file, 'utf8');
    expect(text).not.toMatch(/old contents/);
    expect(text).toMatch(/Acme Widgets/);
  });
});
