// The tip form that works without JavaScript (/tip/), through the built bin's server: a report sent as a plain
// multipart form is sealed on arrival and opens with the investigator's key (read through the CLI); the stamp
// turns back a replayed, a too-quick and a foreign form without losing the text; the receipt reads the thread,
// adds to it and downloads a document; bad input is a page naming the field. Then the same in Chromium with
// JavaScript switched off, as Tor Browser at its safest setting runs it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { BIN, call, serve, type Served } from '../app/serve-process.js';
import { launchBrowser, seriousViolations } from '../web/harness.js';

const EMBEDDED = { LOG_LEVEL: 'warn', DATABASE_URL: '' };
const REPORT = 'Twelve HGX servers relabelled as "network switches" left Port Klang on 3 March for Hong Kong.';
const LEDGER = new TextEncoder().encode('date,crates,declared as\n2026-03-03,12,network switches\n');
/** A JPEG whose EXIF names its author: the form removes it before sealing. */
const photo = () =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
    .withExif({ IFD0: { Artist: 'Jane Insider' } })
    .jpeg()
    .toBuffer();
/** The form refuses stamps younger than this (STAMP_RULES.minAgeMs) and a bit. */
const PERSON_MS = 3_200;

function chipwatch(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...EMBEDDED },
  });
  if (r.status !== 0) throw new Error(`chipwatch ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const stampOf = (html: string) => /name="stamp" value="([^"]+)"/.exec(html)?.[1] ?? '';
const receiptOf = (html: string) => /<p class="receipt"[^>]*>([a-z ]+)<\/p>/.exec(html)?.[1] ?? '';
const textareaOf = (html: string) => /<textarea id="text"[^>]*>([^<]*)<\/textarea>/.exec(html)?.[1];
const problemOf = (html: string) => /<p class="problem" role="alert">([^<]*)<\/p>/.exec(html)?.[1];

describe('the tip form without JavaScript (built bin)', () => {
  let dir: string;
  let server: Served;
  let base: string;
  let investigatorKeyFile: string;
  let browser: Browser | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cw-tipform-'));
    const dataDir = join(dir, 'data');
    chipwatch(['tips', 'keygen', '--out', 'alice'], dir);
    chipwatch(['tips', 'recipients', 'add', 'alice.pub', '--data-dir', dataDir], dir);
    const admin = JSON.parse(chipwatch(['keys', 'create', '--role', 'admin', '--json', '--data-dir', dataDir], dir));
    server = await serve(['--data-dir', dataDir], EMBEDDED);
    base = `http://127.0.0.1:${server.port}`;
    const made = await call(server.port, 'POST', '/api/keys', { key: admin.key, body: '{"role":"investigator"}' });
    investigatorKeyFile = join(dir, 'investigator.apikey');
    writeFileSync(investigatorKeyFile, JSON.parse(made.body).key);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The tips the investigator opens through the CLI (sealed to alice.key, fetched with the investigator key). */
  const investigatorReads = () =>
    JSON.parse(
      chipwatch(
        ['tips', 'read', '--key', 'alice.key', '--server', base, '--api-key-file', investigatorKeyFile, '--json'],
        dir,
      ),
    ) as { id: string; text: string; attachments: { name: string; base64: string }[]; messages: { text: string }[] }[];

  const post = (path: string, fields: Record<string, string>, files: { name: string; bytes: Uint8Array }[] = []) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const f of files) form.append('files', new Blob([f.bytes]), f.name);
    // A form posted from another origin (an onion mirror, say) is taken like one from this one.
    return fetch(`${base}${path}`, { method: 'POST', body: form, headers: { origin: 'http://mirror.example.onion' } });
  };
  const freshStamp = async () => stampOf(await (await fetch(`${base}/tip/`)).text());

  it('serves a form with no script and nothing from anywhere else', async () => {
    const moved = await fetch(`${base}/tip`, { redirect: 'manual' });
    expect(moved.status).toBe(301);
    expect(moved.headers.get('location')).toBe('tip/');
    const res = await fetch(`${base}/tip/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('set-cookie')).toBeNull();
    const html = await res.text();
    expect(html).not.toMatch(/<script|\son\w+=|javascript:/i);
    expect(html).not.toMatch(/(src|href|action)="(https?:)?\/\//i);
    expect(stampOf(html)).toMatch(/^\d{13}\.[0-9a-f]{32}\.[0-9a-f]{64}$/);
    const css = await fetch(`${base}/tip/form.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  let receipt = '';
  it('seals a report with a document and gives a receipt; the investigator opens it', async () => {
    const stamp = await freshStamp();
    await new Promise((r) => setTimeout(r, PERSON_MS));
    const jpeg = new Uint8Array(await photo());
    expect(Buffer.from(jpeg).includes('Jane Insider')).toBe(true);
    const res = await post('/tip/', { stamp, text: REPORT }, [
      { name: 'ledger.csv', bytes: LEDGER },
      { name: 'crates.jpg', bytes: jpeg },
    ]);
    const html = await res.text();
    expect(res.status, html).toBe(201);
    expect(html).toMatch(/<li>crates\.jpg: removed [^<]*EXIF/);
    receipt = receiptOf(html);
    expect(receipt.split(' ')).toHaveLength(12);
    const tips = investigatorReads();
    expect(tips).toHaveLength(1);
    expect(tips[0].text).toBe(REPORT);
    expect(tips[0].attachments.map((a) => a.name)).toEqual(['ledger.csv', 'crates.jpg']);
    expect(Buffer.from(tips[0].attachments[1].base64, 'base64').includes('Jane Insider')).toBe(false);

    // The same stamp again: refused, the text is back in the form with a new stamp, nothing stored.
    const again = await post('/tip/', { stamp, text: REPORT });
    const page = await again.text();
    expect(again.status).toBe(400);
    expect(problemOf(page)).toContain('sent already');
    expect(textareaOf(page)).toBe(REPORT.replaceAll('"', '&quot;'));
    expect(stampOf(page)).not.toBe(stamp);
    expect(investigatorReads()).toHaveLength(1);
  }, 60_000);

  it('turns back a form sent at once or from elsewhere, keeping the text', async () => {
    const quick = await post('/tip/', { stamp: await freshStamp(), text: 'spam' });
    expect(quick.status).toBe(400);
    expect(problemOf(await quick.text())).toContain('quicker than a person');
    const foreign = await post('/tip/', { text: 'a copied form' });
    const page = await foreign.text();
    expect(foreign.status).toBe(400);
    expect(textareaOf(page)).toBe('a copied form');
    expect(stampOf(page)).not.toBe('');
    const forged = await post('/tip/', {
      stamp: `${Date.now() - 10_000}.${'0'.repeat(32)}.${'0'.repeat(64)}`,
      text: 'x',
    });
    expect(forged.status).toBe(400);
    expect(investigatorReads()).toHaveLength(1);
  });

  it('names the field of a bad report and stores nothing', async () => {
    const stamp = await freshStamp();
    await new Promise((r) => setTimeout(r, PERSON_MS));
    const empty = await post('/tip/', { stamp, text: '   ' });
    expect(empty.status).toBe(400);
    const page = await empty.text();
    expect(problemOf(page)).toBe('Your report: the message is empty');
    expect(page).not.toMatch(/at \w+ \(|Error:/);
    const big = await post('/tip/', { stamp: await freshStamp(), text: 'see the file' }, [
      { name: 'huge.bin', bytes: new Uint8Array(25 * 2 ** 20 + 1) },
    ]);
    const bigPage = await big.text();
    expect(big.status).toBe(413);
    expect(problemOf(bigPage)).toBe('Documents: a document is larger than 25 MB');
    expect(textareaOf(bigPage)).toBe('see the file');
    expect(investigatorReads()).toHaveLength(1);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  }, 60_000);

  it('reads the thread by receipt, adds to it, and downloads the document', async () => {
    const wrong = await post('/tip/follow-up', { receipt: receipt.split(' ').slice(1).join(' ') });
    expect(wrong.status).toBe(400);
    expect(problemOf(await wrong.text())).toBe('Receipt: a receipt has 12 words, this one has 11');

    const added = await post('/tip/follow-up', {
      receipt: receipt.toUpperCase(),
      text: 'The invoices say "switches".',
    });
    const thread = await added.text();
    expect(added.status, thread).toBe(200);
    expect(thread).toContain('Your message was added');
    expect(thread).toContain('status: <strong>received</strong>');
    expect(thread.match(/<article class="message">/g)).toHaveLength(2);
    expect(investigatorReads()[0].messages.map((m) => m.text)).toEqual([REPORT, 'The invoices say "switches".']);

    const file = await post('/tip/attachment', { receipt, seq: '1', index: '0' });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="ledger.csv"');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(LEDGER);
  }, 60_000);

  it('works in Chromium with JavaScript off, and has no serious accessibility violations', async () => {
    browser = await launchBrowser();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`${base}/tip`);
    expect(page.url()).toBe(`${base}/tip/`);
    await page.fill('#text', 'Seen: 40 H100 boards in a Shenzhen repair shop, serials 1654xx.');
    await page.setInputFiles('#files', { name: 'photo.txt', mimeType: 'text/plain', buffer: Buffer.from('EXIF-free') });
    await page.waitForTimeout(PERSON_MS);
    await page.click('button[type=submit]');
    const words = (await page.locator('.receipt').textContent())?.trim() ?? '';
    expect(words.split(' ')).toHaveLength(12);
    await page.click('text=Read replies or add to the report');
    await page.fill('#receipt', words);
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('article.message').count()).toBe(1);
    expect(await page.locator('article.message').textContent()).toContain('40 H100 boards');
    expect(requests.every((u) => u.startsWith(`${base}/tip`))).toBe(true);
    await context.close();

    const withJs = await browser.newContext();
    const a11y = await withJs.newPage();
    await a11y.goto(`${base}/tip/`);
    expect(await seriousViolations(a11y)).toEqual([]);
    await withJs.close();
    expect(investigatorReads()).toHaveLength(2);
  }, 120_000);
});
