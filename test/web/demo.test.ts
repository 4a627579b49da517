// The demo world of `npm start` in a real browser: `chipwatch serve --demo` (the built bin) on an empty data
// directory, signed in with the keys it writes, every page shown to a role that may open it, with the figures the
// demo world promises (10,000 chips on the map and drawn in < 200 ms, two diverted batches of 8, cases, tips,
// serial alerts). The screenshots the README shows come from here (docs/img/demo-*.png).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Served } from '../app/serve-process.js';
import { launchBrowser, seriousViolations, signedInPage } from './harness.js';
import { CHIPS, DIVERTED_BATCH } from '../../src/app/demo/world.js';

const IMG = join(import.meta.dirname, '..', '..', 'docs', 'img');
const EMBEDDED = { LOG_LEVEL: 'warn', DATABASE_URL: '' };

describe('the demo world of npm start, in the browser', () => {
  let dir: string;
  let server: Served;
  let url: string;
  let browser: Browser;
  let keys: { role: string; key: string }[];
  const key = (role: string) => keys.find((k) => k.role === role)!.key;

  beforeAll(async () => {
    mkdirSync(IMG, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'cw-demo-web-'));
    server = await serve(['--demo', '--data-dir', join(dir, '.chipwatch')], EMBEDDED);
    url = `http://127.0.0.1:${server.port}`;
    keys = JSON.parse(readFileSync(join(dir, '.chipwatch', 'demo-keys.json'), 'utf8')).keys;
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('paints the sign-in page in under a second, cold', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}/`);
    await page.waitForSelector('#apikey');
    const fcp = await page.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
    );
    console.log(`demo world first contentful paint: ${fcp.toFixed(0)} ms`);
    expect(fcp).toBeLessThan(1000);
    await context.close();
  }, 30_000);

  it('shows the regulator every chip on the map, the diverted batches, a proof, the registry, the alerts', async () => {
    const { page, errors, close } = await signedInPage(browser, url, key('regulator'));
    await page.goto(`${url}/map`);
    const canvas = page.locator('canvas.map');
    await expect.poll(() => canvas.getAttribute('data-draw-ms'), { timeout: 30_000 }).not.toBe('');
    expect(await canvas.getAttribute('data-chips')).toBe(String(CHIPS));
    const drawMs = Number(await canvas.getAttribute('data-draw-ms'));
    console.log(`demo world map: ${CHIPS} chips drawn in ${drawMs.toFixed(1)} ms`);
    expect(drawMs).toBeLessThan(200);
    await page.locator('#filter-verdict').selectOption('inconsistent');
    await expect.poll(() => canvas.getAttribute('data-chips')).toBe(String(2 * DIVERTED_BATCH));
    const diverted = (await page.locator('tbody td:first-child a').allTextContents())[0];
    await page.getByRole('button', { name: `show ${diverted} on the map` }).click();
    await expect.poll(() => page.locator('[aria-label="selected chip"]').textContent()).toContain('feasible region');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(IMG, 'demo-map.png') });

    await page.getByRole('link', { name: diverted }).first().click();
    await page.waitForSelector('caption:has-text("Custody timeline")');
    await page
      .getByRole('button', { name: /Check proof/ })
      .first()
      .click();
    await expect
      .poll(() => page.getByTestId('proof-result').first().textContent(), { timeout: 15_000 })
      .toMatch(/^included: leaf \d+ of \d+, checkpoint signed by /);
    await page.screenshot({ path: join(IMG, 'demo-chip.png'), fullPage: true });

    await page.goto(`${url}/registry`);
    await expect.poll(() => page.locator('.loading').count(), { timeout: 30_000 }).toBe(0);
    expect(await page.locator('table:has(caption:has-text("Latest filings")) tbody tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(IMG, 'demo-registry.png'), fullPage: true });

    await page.goto(`${url}/intel`);
    const alerts = page.locator('table:has(caption:has-text("Serial alerts")) tbody tr');
    await expect.poll(() => alerts.count(), { timeout: 15_000 }).toBe(3);
    await page.screenshot({ path: join(IMG, 'demo-intel-alerts.png'), fullPage: true });
    expect(errors).toEqual([]);
    await close();
  }, 180_000);

  it('shows compliance the cases, the analyst the estimate and a network, the investigator the tips', async () => {
    const compliance = await signedInPage(browser, url, key('compliance'));
    await compliance.page.goto(`${url}/diligence`);
    await expect
      .poll(() => compliance.page.locator('table:has(caption:has-text("8 cases")) tbody tr').count(), {
        timeout: 30_000,
      })
      .toBe(8);
    await compliance.page.screenshot({ path: join(IMG, 'demo-diligence.png'), fullPage: true });
    expect(compliance.errors).toEqual([]);
    await compliance.close();

    const analyst = await signedInPage(browser, url, key('analyst'));
    await analyst.page.goto(`${url}/estimate`);
    await expect
      .poll(() => analyst.page.getByTestId('median-smuggled').getAttribute('data-value'), { timeout: 60_000 })
      .toMatch(/^\d/);
    await analyst.page.screenshot({ path: join(IMG, 'demo-estimate.png'), fullPage: true });
    await analyst.page.goto(`${url}/intel`);
    await analyst.page.getByLabel('Name contains').fill('Super Micro Computer');
    await analyst.page.getByRole('button', { name: 'Search' }).click();
    await analyst.page.getByRole('link', { name: 'Super Micro Computer', exact: true }).first().click();
    await expect
      .poll(() => analyst.page.locator('div.network').getAttribute('data-ready'), { timeout: 30_000 })
      .toBe('true');
    await analyst.page.screenshot({ path: join(IMG, 'demo-intel.png'), fullPage: true });
    expect(analyst.errors).toEqual([]);
    await analyst.close();

    const investigator = await signedInPage(browser, url, key('investigator'));
    await investigator.page.goto(`${url}/tips`);
    await investigator.page.waitForSelector('caption:has-text("Open tips by deadline")');
    await investigator.page.locator('input[type=file]').setInputFiles(join(dir, '.chipwatch', 'demo-tips.key'));
    await expect.poll(() => investigator.page.locator('pre.message').count(), { timeout: 15_000 }).toBe(3);
    await investigator.page.screenshot({ path: join(IMG, 'demo-tips.png'), fullPage: true });
    expect(investigator.errors).toEqual([]);
    await investigator.close();
  }, 240_000);
});
