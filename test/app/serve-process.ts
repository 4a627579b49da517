// Runs the installed bin's `chipwatch serve` as a child process for tests that need the real server:
// a free port, the JSON log lines it prints, and a stop that waits for it to exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { request } from 'node:http';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'chipwatch.js');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Served {
  proc: ChildProcess;
  port: number;
  /** Every log line printed so far (stdout and stderr). */
  lines: string[];
  stop(): Promise<void>;
}

/** Starts `chipwatch serve ARGS --port P` and resolves once it answers /healthz. */
export async function serve(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const port = await freePort();
  const proc = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--check-interval', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
  });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const collect = (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  proc.stdout!.on('data', collect);
  proc.stderr!.on('data', collect);
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  // Started when /healthz answers (whatever the log level).
  for (const deadline = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 100))) {
    if (gone) throw new Error(`serve exited:\n${lines.join('\n')}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL'); // never leave a server behind
      throw new Error(`serve did not start:\n${lines.join('\n')}`);
    }
    if ((await call(port, 'GET', '/healthz').catch(() => null))?.status === 200) break;
  }
  return {
    proc,
    port,
    lines,
    stop: async () => {
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

export interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request to 127.0.0.1:port (optionally from a given loopback source address). */
export function call(
  port: number,
  method: string,
  path: string,
  o: { key?: string; body?: Buffer | string; from?: string } = {},
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = o.key ? { authorization: `Bearer ${o.key}` } : {};
    if (o.body !== undefined) headers['content-type'] = 'application/json';
    const req = request({ host: '127.0.0.1', port, method, path, headers, localAddress: o.from }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/** The latency bounds of a server that keeps its event loop free: 99 % of answers under 100 ms, none over 500 ms. */
export const RESPONSIVE = { p99Ms: 100, maxMs: 500 } as const;

/**
 * Checks /healthz latencies sampled while heavy work runs. The p99 holds the 100 ms target; the max allows for
 * the scheduler: on 2 cores with both busy (npm test beside other work), the OS alone delays a single answer by
 * 100–300 ms now and then. An event loop blocked by the work (0.7 s to 54 s before it moved off) fails both.
 */
/** p50, p99 and max of sampled latencies, and a line that says them. */
export function latencySummary(latencies: number[]): { p50: number; p99: number; max: number; line: string } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
  const [p50, p99, max] = [at(0.5), at(0.99), sorted[sorted.length - 1]];
  const line = `p50 ${p50.toFixed(0)} ms, p99 ${p99.toFixed(0)} ms, max ${max.toFixed(0)} ms of ${sorted.length}`;
  return { p50, p99, max, line };
}

export function expectResponsive(latencies: number[]): void {
  const { p99, max, line } = latencySummary(latencies);
  if (p99 >= RESPONSIVE.p99Ms || max >= RESPONSIVE.maxMs) {
    throw new Error(`/healthz was not responsive: ${line} (need p99 < ${RESPONSIVE.p99Ms}, max < ${RESPONSIVE.maxMs})`);
  }
}

const UPLOADER = `const [port, key, path, type, file] = process.argv.slice(1);
const body = require('node:fs').readFileSync(file);
const req = require('node:http').request({ host: '127.0.0.1', port, method: 'POST', path,
  headers: { authorization: 'Bearer ' + key, 'content-type': type } }, (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => {
    console.log(JSON.stringify({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
  });
});
console.log('sending ' + body.length);
req.end(body);`;

/**
 * Posts `file` from a child process (the caller's event loop stays free to measure) and polls /healthz every 20 ms
 * until the answer is in: the bytes sent, the answer, how long it took and the latencies of /healthz meanwhile.
 */
export async function healthDuringUpload(port: number, key: string, path: string, type: string, file: string) {
  const uploader = spawn(process.execPath, ['-e', UPLOADER, String(port), key, path, type, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let exited = false;
  const done = new Promise<void>((resolve) =>
    uploader.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  uploader.stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  while (!out.includes('\n') && !exited) await new Promise((r) => setTimeout(r, 20));
  const latencies: number[] = [];
  const started = performance.now();
  while (!exited) {
    const t = performance.now();
    const health = await call(port, 'GET', '/healthz');
    if (health.status !== 200) throw new Error(`/healthz answered ${health.status}: ${health.body}`);
    latencies.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
  await done;
  const [sending, reply] = out.split('\n');
  const answer = JSON.parse(reply) as { status: number; body: string };
  return { bytes: Number(sending.split(' ')[1]), answer, ms: performance.now() - started, latencies };
}
