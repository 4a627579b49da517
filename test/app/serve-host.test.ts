// `npm start` (`chipwatch serve --demo`) creates an admin key: the server listens on loopback only
// unless --host says otherwise. Through the built bin: the address it logs, and a connection to this
// machine's network address is refused.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from './serve-process.js';

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const outside = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe('chipwatch serve --demo (npm start)', () => {
  it('listens on 127.0.0.1 by default, and on every interface only when --host says so', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cw-host-'));
    try {
      const s = await serve(['--demo', '--no-demo-world', '--data-dir', dataDir], { LOG_LEVEL: 'info' });
      try {
        const serving = s.lines.map((l) => JSON.parse(l) as { msg: string }).find((l) => l.msg === 'chipwatch serving');
        expect(serving).toMatchObject({ url: `http://127.0.0.1:${s.port}`, listening: `127.0.0.1:${s.port}` });
        expect(s.lines.join('\n')).not.toMatch(/0\.0\.0\.0/);
        expect(await accepts('127.0.0.1', s.port)).toBe(true);
        if (outside) expect(await accepts(outside, s.port)).toBe(false);
      } finally {
        await s.stop();
      }
      const open = await serve(['--demo', '--no-demo-world', '--data-dir', dataDir, '--host', '0.0.0.0'], {
        LOG_LEVEL: 'info',
      });
      try {
        expect(open.lines.join('\n')).toContain(`"listening":"0.0.0.0:${open.port}"`);
        if (outside) expect(await accepts(outside, open.port)).toBe(true);
      } finally {
        await open.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
