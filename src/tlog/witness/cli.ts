// `chipwatch witness`: run a C2SP tlog-witness that cosigns the checkpoints of the logs it is told to
// watch, only when they extend what it cosigned before; `chipwatch witness keygen` makes its key.
import type { Command } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { UsageError } from '../../cli/errors.js';
import { collect, print } from '../../cli/io.js';

interface ServeOpts {
  key: string;
  listen: string;
  log: string[];
  state: string;
  prefix: string;
}

/** "HOST:PORT" or ":PORT" or "PORT" (loopback by default). */
export function parseListen(v: string): { host: string; port: number } {
  const m = /^(?:(.*):)?(\d{1,5})$/.exec(v);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new UsageError(`--listen must be HOST:PORT (PORT 0 picks a free one), not ${v}`);
  const host = (m[1] ?? '').replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  return { host, port };
}

async function serveAction(o: ServeOpts): Promise<void> {
  const { parseCosignerPrivateKey } = await import('./cosignature.js');
  const { parseVerifierKey } = await import('../note.js');
  const { WitnessState } = await import('./state.js');
  const { createWitnessServer } = await import('./server.js');
  if (!o.log.length) throw new UsageError('name at least one log to witness: --log ORIGIN=VKEY');
  const cosigner = parseCosignerPrivateKey(readFileSync(o.key, 'utf8'));
  const logs = new Map(
    o.log.map((spec) => {
      const eq = spec.indexOf('=');
      const key = parseVerifierKey(eq < 0 ? spec : spec.slice(eq + 1));
      const origin = eq < 0 ? key.name : spec.slice(0, eq);
      if (origin !== key.name) throw new UsageError(`--log ${origin}=...: the key is named ${key.name}, not ${origin}`);
      return [origin, key] as const;
    }),
  );
  const state = new WitnessState(resolve(o.state));
  const { host, port } = parseListen(o.listen);
  const server = createWitnessServer({
    cosigner,
    logs,
    state,
    prefix: o.prefix.replace(/\/$/, ''),
    log: (line) => process.stderr.write(`witness: ${line}\n`),
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(port, host, ok));
  const addr = server.address() as AddressInfo;
  const shown = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  print(`witness ${cosigner.name} listening on http://${shown}:${addr.port}${o.prefix.replace(/\/$/, '')}`);
  print(`vkey ${cosigner.vkey}`);
  print(`watching ${[...logs.keys()].join(', ')}; state in ${state.file}`);
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await new Promise<never>(() => {});
}

export function registerWitnessCommands(program: Command): void {
  const w = program
    .command('witness')
    .description(
      'run a transparency-log witness (C2SP tlog-witness): cosign checkpoints that extend the last one it ' +
        'cosigned for each log, refuse any other',
    )
    .option('--key <file>', 'the witness private key (chipwatch witness keygen)')
    .option('--listen <addr>', 'HOST:PORT to listen on', '127.0.0.1:7380')
    .option('--log <origin=vkey>', 'a log to witness: its origin and verifier key (repeatable)', collect, [])
    .option('--state <file>', 'where the last cosigned checkpoint of each log is kept', 'witness-state.json')
    .option('--prefix <path>', 'URL path before /add-checkpoint', '')
    .action(async (o: ServeOpts) => {
      if (!o.key) throw new UsageError('--key FILE is required (make one with chipwatch witness keygen)');
      await serveAction(o);
    });
  w.command('keygen')
    .description('make a witness key: writes the private key to --out (mode 0600), prints the verifier key')
    .requiredOption('--name <name>', 'the witness name, e.g. witness.example.org/w1')
    .requiredOption('--out <file>', 'private key file to write')
    .option('--force', 'replace an existing file')
    .action(async (o: { name: string; out: string; force?: boolean }) => {
      if (existsSync(o.out) && !o.force) throw new UsageError(`${o.out} exists (pass --force to replace it)`);
      const { formatCosignerPrivateKey, ed25519Cosigner } = await import('./cosignature.js');
      const seed = new Uint8Array(randomBytes(32));
      const vkey = ed25519Cosigner(o.name, seed).vkey;
      writeFileSync(o.out, formatCosignerPrivateKey(o.name, seed), { mode: 0o600 });
      print(vkey);
    });
}
