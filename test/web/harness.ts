// A real `chipwatch serve` on a fresh data directory (PGlite, or a fresh PostgreSQL schema when
// DATABASE_URL is set) with the browser tests' world seeded, one API key per role, and headless Chromium driven
// by playwright-core. Pages are checked for console errors and, with axe-core, for serious accessibility issues.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createApiKey } from '../../src/accounts/index.js';
import { openDb } from '../../src/db/index.js';
import { freshSchemaUrl } from '../helpers/db.js';
import { encodePrivateKey, generateKeyPair } from '../../src/tips/keys.js';
import { addRecipient } from '../../src/tips/service.js';
import { loadSodium } from '../../src/tips/sodium.js';
import { caseProfile, FILED, filedItems, seedVerification } from './seed.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'chipwatch.js');
export const CHROMIUM = '/usr/bin/chromium';
export const ROLE_KEYS = [
  'admin',
  'regulator',
  'filer',
  'auditor',
  'analyst',
  'compliance',
  'compliance-lead',
  'investigator',
] as const;
export type RoleKey = (typeof ROLE_KEYS)[number];

/** The tip the tests' tipster sends (through the CLI, sealed there) to the investigator's key. */
export const TIP_TEXT = 'Crates of H100s relabelled as network switches in Johor, bound for Shenzhen.';

export interface WebServer {
  url: string;
  keys: Record<RoleKey, string>;
  /** The investigator's tips key file (NAME.key, no passphrase), a recipient of every tip. */
  tipsKeyFile: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 90_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function startWebServer(): Promise<WebServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-web-'));
  const dataDir = join(dir, 'data');
  const databaseUrl = process.env.DATABASE_URL ? await freshSchemaUrl(process.env.DATABASE_URL) : undefined;
  const now = new Date();
  const db = await openDb({ databaseUrl, dataDir: join(dataDir, 'pgdata') });
  await seedVerification(db, now);
  // The test's own administrator key: `serve` runs without --demo, so the demo world stays out of this one.
  const admin = (await createApiKey(db, { role: 'admin', label: 'web test' })).key;
  await loadSodium();
  const investigatorKey = generateKeyPair();
  await addRecipient(db, 'alice', investigatorKey.publicKey, now.toISOString().slice(0, 10));
  await db.close();

  const port = await freePort();
  // A small proof of work: the tipster's CLI below solves it in milliseconds.
  const env: NodeJS.ProcessEnv = { ...process.env, CHIPWATCH_LOG_LEVEL: 'warn', CHIPWATCH_TIPS_POW_BITS: '4' };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  const args = [BIN, 'serve', '--port', String(port), '--data-dir', dataDir, '--check-interval', '0'];
  const proc: ChildProcess = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d) => {
    stderr += d;
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode === null) {
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('the server', async () => {
      if (proc.exitCode !== null) throw new Error(`chipwatch serve exited: ${stderr}`);
      return (await fetch(`${url}/readyz`)).ok || undefined;
    });
    const call = async (key: string, method: string, path: string, body?: unknown): Promise<{ key: string }> => {
      const res = await fetch(`${url}/api${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { key: string };
    };
    const keys = { admin } as Record<RoleKey, string>;
    for (const role of ROLE_KEYS.filter((r) => r !== 'admin')) {
      const org = role === 'filer' ? { organisation: 'Acme Accelerators' } : {};
      keys[role] = (await call(admin, 'POST', '/keys', { role, label: `web test ${role}`, ...org })).key;
    }
    for (let from = 0; from < FILED; from += 250)
      await call(keys.filer, 'POST', '/registry/filings', { items: filedItems(from, from + 250) });
    await call(admin, 'POST', '/log/checkpoint');
    for (const [name, country] of [
      ['Lion City Compute Pte Ltd', 'SG'],
      ['Harbour Logistics Ltd', 'HK'],
      ['Nordic GPU AB', 'SE'],
    ])
      await call(keys.compliance, 'POST', '/cases', caseProfile(name, country));
    writeFileSync(join(dir, 'tip.txt'), TIP_TEXT);
    const tip = spawnSync(process.execPath, [BIN, 'tips', 'submit', 'tip.txt', '--server', url, '--json'], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    if (tip.status !== 0) throw new Error(`chipwatch tips submit: ${tip.stderr}`);
    return { url, keys, tipsKeyFile: encodePrivateKey(investigatorKey), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** A page signed in with `key` (the sign-in form, as a user does it), collecting console errors. */
export async function signedInPage(browser: Browser, url: string, key: string) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${url}/`);
  await page.fill('#apikey', key);
  await page.click('button[type=submit]');
  await page.waitForSelector('header nav');
  return { page, errors, close: () => context.close() };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // The CSP allows no inline script: axe is evaluated through the DevTools protocol, as page.evaluate does.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe;
    return axe.run({ resultTypes: ['violations'] });
  });
  const { violations } = result as { violations: { id: string; impact: string; nodes: { target: string[] }[] }[] };
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
