// Helper for bench/verify.mjs: runs one Agent per chip in this process (the chips' side of the wire).
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { Agent } = await import(join(root, 'dist', 'verify', 'agent.js'));
const { softwareSigner } = await import(join(root, 'dist', 'verify', 'signer.js'));
const chips = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const port = Number(process.argv[3]);
const quiet = { info() {}, warn() {} };
const agents = chips.map(
  (c) =>
    new Agent({
      serial: c.serial,
      signer: softwareSigner(createPrivateKey(c.pem)),
      landmarks: [{ id: 'bench', host: '127.0.0.1', port }],
      log: quiet,
    }),
);
for (const a of agents) a.start();
process.stdout.write('started\n');
process.on('SIGTERM', () => {
  for (const a of agents) a.stop();
  process.exit(0);
});
