// The product as shipped: the checkout is packed (`npm pack`), the tarball installed with production
// dependencies only into a fresh prefix, and every command line of a ```sh block in README.md and
// docs/*.md is run with the installed `chipwatch` (curl lines against the installed `serve --demo`),
// each checked by its entry in shipped-checks.ts. In-process tests cannot see what only the shipped
// files do (a bundle that cannot load a package, a file left out of "files").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { CHECKS, NOT_RUN, publicKeyOf, type Check, type RunContext } from './shipped-checks.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];
/** ```sh blocks run side by side, each in a directory of its own; a block's lines run in order. */
const PARALLEL_BLOCKS = 3;

interface DocLine {
  doc: string;
  block: number;
  line: string;
}

/** The command lines of a document's ```sh blocks: continuations joined, comments and blank lines dropped. */
function commandLines(doc: string, markdown: string): DocLine[] {
  const out: DocLine[] = [];
  for (const [block, m] of [...markdown.matchAll(/^```sh\n([\s\S]*?)^```/gm)].entries()) {
    const joined = m[1].replace(/\\\n\s*/g, ' ');
    for (const raw of joined.split('\n')) {
      const line = stripComment(raw).replace(/\s+/g, ' ').trim();
      if (line) out.push({ doc, block, line });
    }
  }
  return out;
}

/** A line without its `# comment` (a # that starts a word outside quotes, as the shell reads it). */
function stripComment(line: string): string {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

/** A port nothing listens on now, never one handed out before (blocks run side by side and listen later). */
const handedOut = new Set<number>();
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer()
        .listen(0, '127.0.0.1', () => {
          const { port: p } = s.address() as { port: number };
          s.close(() => resolve(p));
        })
        .on('error', reject);
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

/** Runs `fn` over items with at most `n` at a time. */
async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let t = queue.shift(); t; t = queue.shift()) await fn(t);
  };
  await Promise.all(Array.from({ length: n }, worker));
}

let work: string;
let bin: string;
let serverDir: string;
let server: ChildProcess | undefined;
let port: number;
let chipPub: string;
/** chipwatch's environment: a fresh HOME, as on a new machine (the server caches prepared lists in ~/.cache). */
const env = () => {
  const e: NodeJS.ProcessEnv = { ...process.env, HOME: join(work, 'home') };
  delete e.DATABASE_URL;
  delete e.CHIPWATCH_DATA_DIR;
  return e;
};

/** chipwatch / npx chipwatch at the start of a command (or after ;, &&, |, $( ) → the installed bin. */
const toInstalled = (line: string) => line.replace(/(^|[;&|(]\s*)(?:npx )?chipwatch(?= )/g, `$1${bin}`);

/** Fixture files every working directory starts with (the files the documented commands name). */
function writeFixtures(dir: string): void {
  const data = join(ROOT, 'data', 'screening');
  copyFileSync(join(data, 'csl-2022-05.csv'), join(dir, 'consolidated.csv'));
  copyFileSync(join(data, 'ofac-sdn-2024-05-03.csv'), join(dir, 'sdn.csv'));
  copyFileSync(join(data, 'ofac-alt-2025-08.csv'), join(dir, 'alt.csv'));
  copyFileSync(join(work, 'chip.pem'), join(dir, 'chip.pem'));
  writeFileSync(join(dir, 'filing.csv'), rowsToCsv(sampleRows({ count: 150, seed: 7, month: '2026-03' })));
  writeFileSync(
    join(dir, 'parties.csv'),
    'name,country,address\nHuawei Technologies Co Ltd,CN,\nAcme Widgets GmbH,DE,Berlin\n',
  );
  writeFileSync(join(dir, 'profile.json'), JSON.stringify(PROFILE));
  writeFileSync(
    join(dir, 'cases.json'),
    JSON.stringify({
      declared: { lat: 3.139, lon: 101.6869 },
      observations: [{ landmark: { id: 'kl', lat: 3.139, lon: 101.6869 }, rttMs: 2 }],
    }),
  );
  writeFileSync(
    join(dir, 'sites.json'),
    JSON.stringify([
      { id: 'kuala-lumpur', lat: 3.139, lon: 101.6869 },
      { id: 'taipei', lat: 25.03, lon: 121.56 },
    ]),
  );
  writeFileSync(join(dir, 'my-model.sq'), 'units = 1000 to 5000\nshare = beta(2, 8)\ntotal = units * share\n{total}\n');
  writeFileSync(join(dir, 'auditor.key'), AUDITOR_KEY.value);
  writeFileSync(join(dir, 'log.vkey'), LOG_VKEY.value);
}
const AUDITOR_KEY = { value: '' };
const LOG_VKEY = { value: '' };

/** The example profile of docs/screening.md, with its elisions filled in. */
const PROFILE = {
  customer: {
    name: 'Bright Future Trading Sdn Bhd',
    country: 'MY',
    address: '12 Jalan Ampang, Kuala Lumpur, MY',
    addressType: 'residential',
    headquartersCountry: 'CN',
    businessType: 'reseller',
    authorisedDistributor: false,
    webPresence: 'minimal',
    yearsInBusiness: 1,
    isFirstOrder: true,
    firstAdvancedOrderDate: '2024-02-01',
    beneficialOwners: [{ name: 'Li Wei', country: 'CN' }],
  },
  order: {
    ref: 'PO-77',
    item: 'H100 SXM',
    quantity: 256,
    shipToCountry: 'MY',
    route: ['SG', 'MY'],
    consigneeName: 'Swift Forwarding Pte Ltd',
    consigneeType: 'freight-forwarder',
    payerName: 'Harbour Holdings Ltd',
    payerIsThirdParty: true,
    paymentMethod: 'wire',
    endUse: 'AI research',
    endUseFitsBusiness: false,
    declinesInstallation: true,
    deliveryVague: true,
    packagingInconsistent: false,
  },
  dataCenter: { name: 'KL DC 1', powerConfirmed: false, capacityConfirmed: true, powerMw: 0.2 },
};

/** Installs the packed checkout once, prepares the fixtures and starts the installed demo server. */
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'chipwatch-shipped-'));
  // dist/ must be current: `npm pack --ignore-scripts` packs it as it is. Under `npm test` its pretest has just
  // built it, and a second build here would empty dist/ under the other test files running beside this one;
  // run alone, the file builds first (the lock: other builds in this tree). CHIPWATCH_SHIPPED_BUILT=1 skips it too.
  const built = process.env.npm_lifecycle_event === 'test' || process.env.CHIPWATCH_SHIPPED_BUILT === '1';
  if (!built) {
    execFileSync('flock', ['/tmp/cw-build.lock', 'npm', 'run', '-s', 'build'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
      cwd: ROOT,
      encoding: 'utf8',
    }),
  );
  const prefix = join(work, 'prefix');
  execFileSync(
    'npm',
    [
      'install',
      '--omit=dev',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--prefix',
      prefix,
      join(work, packed[0].filename),
    ],
    { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  bin = join(prefix, 'node_modules', '.bin', 'chipwatch');
  mkdirSync(join(work, 'home'));
  chipPub = execFileSync(bin, ['verify', 'keygen', '--out', join(work, 'chip.pem')], {
    env: env(),
    encoding: 'utf8',
  }).trim();
  expect(chipPub).toBe(publicKeyOf(join(work, 'chip.pem')));

  serverDir = join(work, 'server');
  mkdirSync(serverDir);
  AUDITOR_KEY.value = execFileSync(bin, ['keys', 'create', '--role', 'auditor'], {
    cwd: serverDir,
    env: env(),
    encoding: 'utf8',
  }).trim();
  port = await freePort();
  server = spawn(bin, ['serve', '--demo', '--port', String(port), '--host', '127.0.0.1', '--check-interval', '0'], {
    cwd: serverDir,
    env: env(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  server.stdout!.on('data', (c) => {
    log += c;
  });
  server.stderr!.on('data', (c) => {
    log += c;
  });
  for (let i = 0; !/Server listening/.test(log); i++) {
    if (i > 300 || server.exitCode !== null) throw new Error(`chipwatch serve --demo did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // The log's key exists once a checkpoint is signed; the vkey is what an auditor is handed.
  const demoKey = readFileSync(join(serverDir, '.chipwatch', 'demo-admin.key'), 'utf8').trim();
  const signed = await fetch(`http://127.0.0.1:${port}/api/log/checkpoint`, {
    method: 'POST',
    headers: { authorization: `Bearer ${demoKey}` },
  });
  expect(signed.status).toBe(201);
  LOG_VKEY.value = ((await (await fetch(`http://127.0.0.1:${port}/api/log/vkey`)).json()) as { vkey: string }).vkey;
  writeFixtures(serverDir);
}, 600_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

const documented: DocLine[] = DOCS.flatMap((doc) => commandLines(doc, readFileSync(join(ROOT, doc), 'utf8')));

describe('the installed package runs its documentation', () => {
  it('has a check (or a reason not to run it) for every documented command line', () => {
    const missing = documented
      .filter((d) => !CHECKS[d.line] && !NOT_RUN[d.line])
      .map((d) => `no check for: ${d.doc}: ${d.line}`);
    expect(missing).toEqual([]);
    const stale = Object.keys({ ...CHECKS, ...NOT_RUN }).filter((k) => !documented.some((d) => d.line === k));
    expect(stale, 'checks for lines no longer documented').toEqual([]);
  });

  it('runs every documented command with the expected exit code and output', async () => {
    const failures: string[] = [];
    const blocks = [...new Set(documented.map((d) => `${d.doc}#${d.block}`))];
    await pool(blocks, PARALLEL_BLOCKS, async (block) => {
      failures.push(...(await runBlock(documented.filter((d) => `${d.doc}#${d.block}` === block && CHECKS[d.line]))));
    });
    expect(failures).toEqual([]);
  }, 600_000);
});

/** Runs a block's checked lines in order in a fresh directory; returns a line per failure. */
async function runBlock(lines: DocLine[]): Promise<string[]> {
  if (lines.length === 0) return [];
  const dir = mkdtempSync(join(work, `${lines[0].doc.replace(/\W/g, '-')}-`));
  writeFixtures(dir);
  // A registry with an earlier filing, as a user would have: `log prove 17` needs 18 leaves, and the
  // documented `registry flags` then has transfers by someone other than the recorded owner to show.
  if (lines.some((l) => /log prove|registry flags/.test(l.line))) {
    execFileSync(bin, ['registry', 'import', 'filing.csv', '--as', 'Earlier Exporter Ltd'], {
      cwd: dir,
      env: env(),
      stdio: 'ignore',
    });
  }
  const ctx: RunContext = {
    dir,
    bin,
    vars: { port: String(port), chipPub, lmPort: String(await freePort()) },
    env: env(),
  };
  const background: ChildProcess[] = [];
  const failures: string[] = [];
  let prelude = ''; // variable assignments (KEY=...) of the block, for the lines after them
  try {
    for (const { doc, line } of lines) {
      const check = CHECKS[line];
      const started = Date.now();
      const cwd = check.where === 'server' ? serverDir : dir;
      ctx.vars.freePort = String(await freePort());
      try {
        check.before?.({ ...ctx, dir: cwd });
        for (const pre of check.pre ?? []) {
          const r = await sh(toInstalled(pre), cwd);
          if (r.code !== 0) throw new Error(`${pre} (before it) exited ${r.code}: ${r.out.slice(-300)}`);
        }
        const runs = [check.run ?? line].flat().map((l) => toInstalled(substitute(l, ctx.vars)));
        if (check.background) {
          const child = await startBackground(runs[0], cwd, check.out);
          if (check.background === 'keep') background.push(child);
          else await stop(child);
          continue;
        }
        let out = '';
        for (const run of runs) {
          const r = await sh(prelude + curlWithStatus(run), cwd);
          out += r.out;
          const exit = check.exit ?? 0;
          if (r.code !== exit) throw new Error(`exit ${r.code}, expected ${exit}: ${r.out.slice(-400)}`);
        }
        verifyOutput(check, out);
        if (/^[A-Z_]+=\S/.test(line)) prelude += `${line}; `;
      } catch (e) {
        failures.push(`${doc}: ${line}\n    ${(e as Error).message}`);
      }
      if (Date.now() - started > 5000) console.log(`slow (${Date.now() - started} ms): ${doc}: ${line}`);
    }
  } finally {
    await Promise.all(background.map(stop));
  }
  return failures;
}

const substitute = (line: string, vars: Record<string, string>) =>
  line
    .replace(/http:\/\/localhost:8080/g, `http://127.0.0.1:${vars.port}`)
    .replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);

/** curl prints its status code on a last line of its own, and fails loudly on transport errors. */
const curlWithStatus = (line: string) => line.replace(/^curl /, `curl -sS -w '\\nHTTP %{http_code}\\n' `);

function verifyOutput(check: Check, out: string): void {
  if (check.status !== undefined) {
    const m = /\nHTTP (\d{3})\n$/.exec(out);
    if (Number(m?.[1]) !== check.status) {
      throw new Error(`HTTP ${m?.[1]}, expected ${check.status}: ${out.slice(-400)}`);
    }
    out = out.slice(0, m!.index);
  }
  const ok = typeof check.out === 'string' ? out.includes(check.out) : check.out.test(out);
  if (!ok) throw new Error(`output lacks ${String(check.out)}:\n${out.slice(0, 600)}`);
}

function sh(line: string, cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', line], { cwd, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      out += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Starts a long-running command in its own process group and waits for what it prints once ready. */
async function startBackground(line: string, cwd: string, ready: string | RegExp): Promise<ChildProcess> {
  const child = spawn('bash', ['-c', `exec ${line}`], {
    cwd,
    env: env(),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (c) => {
    out += c;
  });
  child.stderr!.on('data', (c) => {
    out += c;
  });
  const seen = () => (typeof ready === 'string' ? out.includes(ready) : ready.test(out));
  for (let i = 0; !seen(); i++) {
    if (child.exitCode !== null || i > 300) {
      await stop(child);
      throw new Error(`not ready (exit ${child.exitCode}): ${out.slice(-400)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {
    /* already gone */
  }
  await exited;
}
