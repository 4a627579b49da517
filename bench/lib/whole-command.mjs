// Times one whole `chipwatch` command as a user runs it: a fresh process of the built bin, cold, its
// wall time and peak resident memory (from /usr/bin/time, so Node's start and exit count too).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(fileURLToPath(new URL('../..', import.meta.url)), 'bin', 'chipwatch.js');

/** Runs `chipwatch ...args` in cwd with env; returns { seconds, rssMb, stdout }, or throws naming the command. */
export function timeCommand(args, { cwd, env }) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '__maxrss_kb=%M', process.execPath, BIN, ...args], {
    cwd,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) throw new Error(`chipwatch ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`chipwatch ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  const kb = Number(/__maxrss_kb=(\d+)/.exec(r.stderr)?.[1]);
  return { seconds, rssMb: kb / 1024, stdout: r.stdout };
}
