// Every command pays for what the CLI loads at start-up, so the entry point loads nothing from
// node_modules (commander is bundled into dist/bundle/); domains load their libraries inside their
// actions. (A static import of a date helper once pulled exceljs and 150 modules into every command: 0.5 s.)
import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/bundle/main.cjs', import.meta.url)); // what bin/chipwatch.js loads
const LOADER = fileURLToPath(new URL('../../bin/code-cache.js', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/chipwatch.js', import.meta.url));

describe('CLI start-up', () => {
  it('loads no package from node_modules (commander is bundled in)', () => {
    const script = `require(${JSON.stringify(LOADER)}).loadBundle(${JSON.stringify(MAIN)});
      const packages = Object.keys(require.cache)
        .filter((k) => k.includes('node_modules'))
        .map((k) => k.split('node_modules/').pop().split('/')[0]);
      console.log(JSON.stringify([...new Set(packages)]));`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('prints an estimate with histograms without loading the PNG renderer (a native addon)', () => {
    const script = `require(${JSON.stringify(LOADER)}).loadBundle(${JSON.stringify(MAIN)})
      .exports.run(['node', 'chipwatch', 'estimate', '-n', '2000']).then((code) => {
        console.error(JSON.stringify({ code, resvg: Object.keys(require.cache).some((k) => k.includes('@resvg')) }));
      });`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/smuggled/);
    expect(JSON.parse(r.stderr.trim().split('\n').pop()!)).toEqual({ code: 0, resvg: false });
  });

  it('ends quietly with exit 0 when its reader closes the pipe (`| head`)', async () => {
    const child = spawn(process.execPath, [BIN, 'estimate', '-n', '10000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the reader goes away before the first line
    let err = '';
    child.stderr.on('data', (c) => {
      err += String(c);
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, err }).toEqual({ code: 0, err: '' });
  });
});

describe('CLI command table', () => {
  it('names every top-level command each domain registers, so `chipwatch CMD` loads the right module', async () => {
    const { DOMAINS } = await import('../../src/app/main.js');
    const { loadConfig } = await import('../../src/app/config.js');
    const { Command } = await import('commander');
    for (const d of DOMAINS) {
      const program = new Command('x');
      (await d.load(loadConfig({})))(program);
      expect(program.commands.map((c) => c.name())).toEqual(d.commands);
    }
  });

  it('still lists every command in the top-level help', () => {
    const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const c of [
      'serve',
      'keys',
      'estimate',
      'registry',
      'landmark',
      'agent',
      'verify',
      'log',
      'screen',
      'lists',
      'redflags',
      'cases',
      'tips',
      'intel',
    ])
      expect(r.stdout).toMatch(new RegExp(`\\n  ${c}\\b`));
  });
});
