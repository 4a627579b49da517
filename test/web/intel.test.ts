// The Intelligence page in headless Chromium against a real `chipwatch serve`: a sighting imported through the
// API raises an alert the page lists with its registry picture and source; an analyst searches an entity, sees
// its network drawn, a link's reasons, its timeline and downloads its dossier; a regulator reads alerts, the
// timeline and the dossier but gets no network; filer and compliance keys are refused. No console error, no
// serious axe-core violation, and a screenshot into docs/img/.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, seriousViolations, signedInPage, startWebServer, type WebServer } from './harness.js';
import { DIVERTED } from './seed.js';

const IMG = join(import.meta.dirname, '..', '..', 'docs', 'img');
const SOURCE_URL = 'https://example.org/reports/shenzhen-market-h100';
const SELLER = 'Huaqiang Compute Trading';
const NEVER_FILED = 'H100-NEVER-FILED-1';
let served: WebServer;
let browser: Browser;

beforeAll(async () => {
  [served, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  mkdirSync(IMG, { recursive: true });
  // A filed, diverted chip and a serial never filed, both seen for sale in Shenzhen: the import raises their
  // alerts in the same transaction.
  const csv =
    'serial_number,seen_on,country,place,seller,source_title,source_url\n' +
    `${DIVERTED[0]},2026-03-02,CN,Huaqiangbei market,${SELLER},Market survey,${SOURCE_URL}\n` +
    `${NEVER_FILED},2026-03-03,CN,Huaqiangbei market,${SELLER},Market survey,${SOURCE_URL}\n`;
  const res = await fetch(`${served.url}/api/intel/evidence?kind=sighting`, {
    method: 'POST',
    headers: { authorization: `Bearer ${served.keys.analyst}`, 'content-type': 'text/csv' },
    body: csv,
  });
  if (!res.ok) throw new Error(`sighting import: ${res.status} ${await res.text()}`);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await served?.stop();
});

async function openEntity(page: Page, name: string) {
  await page.goto(`${served.url}/intel`);
  await page.getByLabel('Name contains').fill(name);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name, exact: true }).click();
  await expect.poll(() => page.getByTestId('entity-caption').textContent(), { timeout: 15_000 }).toBe(name);
  await page.waitForSelector('caption:has-text("Events, oldest first"), p:has-text("No dated event")');
}

async function dossier(page: Page, button: string): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  return readFileSync((await download.path())!, 'utf8');
}

describe('the Intelligence page', () => {
  it('lists serial alerts with the registry picture and the evidence source', async () => {
    const { page, errors, close } = await signedInPage(browser, served.url, served.keys.analyst);
    await page.getByRole('link', { name: 'Intelligence' }).click();
    const table = page.locator('table:has(caption:has-text("Serial alerts"))');
    const row = table.locator(`tbody tr:has-text("${DIVERTED[0]}")`);
    await expect.poll(() => row.count(), { timeout: 15_000 }).toBe(1);
    const cells = await row.locator('td').allTextContents();
    expect(cells[1]).toMatch(/country/); // seen-outside-declared-country or restricted-country
    expect(cells[3]).toContain('CN');
    // The registry picture: the filing in force, its declared owner and site country; the party is that owner.
    const registry = /^filing \d+ · (.+) · [A-Z]{2}$/.exec(cells[4]);
    expect(registry).not.toBeNull();
    expect(cells[5]).toBe(registry![1]);
    expect(await row.getByRole('link', { name: 'Market survey' }).getAttribute('href')).toBe(SOURCE_URL);
    // A serial never filed: its party is the seller the evidence names, which opens as an entity.
    const unfiled = table.locator(`tbody tr:has-text("${NEVER_FILED}")`);
    const unfiledCells = await unfiled.locator('td').allTextContents();
    expect(unfiledCells[1]).toBe('never-filed');
    expect(unfiledCells[4]).toBe('not filed');
    await unfiled.getByRole('link', { name: SELLER }).click();
    await expect.poll(() => page.getByTestId('entity-caption').textContent(), { timeout: 15_000 }).toBe(SELLER);
    expect(errors).toEqual([]);
    await close();
  }, 60_000);

  it('lets an analyst pick an entity and see its network, a link’s reasons, its timeline and its dossier', async () => {
    const { page, errors, close } = await signedInPage(browser, served.url, served.keys.analyst);
    await openEntity(page, 'Main Chain Ltd');
    const graph = page.locator('div.network');
    await expect.poll(() => graph.getAttribute('data-ready'), { timeout: 15_000 }).toBe('true');
    const nodes = Number(await graph.getAttribute('data-nodes'));
    const links = Number(await graph.getAttribute('data-links'));
    expect(nodes).toBeGreaterThan(1);
    expect(links).toBeGreaterThan(0);
    // What Cytoscape drew (read from the instance it keeps on its container), and where, to click it as a user.
    const drawn = await graph.evaluate((el) => {
      const cy = (el as unknown as { _cyreg: { cy: import('cytoscape').Core } })._cyreg.cy;
      const root = cy.nodes('[hop = 0]');
      const edge = cy.edges().first();
      const other = cy.nodes('[hop = 1]').first();
      return {
        nodes: cy.nodes().length,
        edges: cy.edges().length,
        root: root.data('label') as string,
        edge: { id: edge.id(), ...edge.renderedMidpoint() },
        other: { id: other.id(), ...other.renderedPosition() },
      };
    });
    expect([drawn.nodes, drawn.edges]).toEqual([nodes, links]);
    expect(drawn.root).toBe('Main Chain Ltd');
    const at = (await graph.boundingBox())!;
    // A click on a drawn link shows its reasons, each with its source.
    await page.mouse.click(at.x + drawn.edge.x, at.y + drawn.edge.y);
    await expect.poll(() => graph.getAttribute('data-selected')).toBe(drawn.edge.id);
    const reasons = page.getByTestId('link-reasons');
    expect(await reasons.locator('li').count()).toBeGreaterThan(0);
    expect(await reasons.textContent()).toMatch(/named together in|recorded by|judged the same|share /);
    expect(await page.locator('table:has(caption:has-text("Events, oldest first")) tbody tr').count()).toBeGreaterThan(
      0,
    );
    const md = await dossier(page, 'Download Markdown');
    expect(md).toMatch(/^# /);
    expect(md).toContain('Main Chain Ltd');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(IMG, 'web-intel.png'), fullPage: true });
    // A click on a drawn entity opens it.
    const id = drawn.other.id;
    await page.mouse.click(at.x + drawn.other.x, at.y + drawn.other.y);
    await expect.poll(() => page.url()).toBe(`${served.url}/intel/${encodeURIComponent(id!)}`);
    await expect.poll(() => page.getByTestId('entity-caption').textContent()).not.toBe('Main Chain Ltd');
    expect(errors).toEqual([]);
    await close();
  }, 90_000);

  it('lets a regulator acknowledge an alert, and shows timelines and dossiers but no network', async () => {
    const { page, errors, close } = await signedInPage(browser, served.url, served.keys.regulator);
    await page.goto(`${served.url}/intel`);
    const table = page.locator('table:has(caption:has-text("Serial alerts"))');
    await expect.poll(() => table.textContent(), { timeout: 15_000 }).toContain(DIVERTED[0]);
    // The regulator acknowledges an alert with a note: recorded with the key, and gone from the open ones.
    const row = table.locator(`tbody tr:has-text("${DIVERTED[0]}")`);
    await row.getByLabel(`note for alert ${DIVERTED[0]}`).fill('referred to BIS OEE, case 2026-117');
    await row.getByRole('button', { name: 'Acknowledge' }).click();
    await expect
      .poll(() => table.locator(`tbody tr:has-text("${DIVERTED[0]}")`).textContent())
      .toMatch(/acknowledged \d{4}-\d\d-\d\d by key:\d+: referred to BIS OEE, case 2026-117/);
    const all = await table.locator('tbody tr').count();
    await page.getByLabel('only alerts nobody has acknowledged').check();
    await expect.poll(() => page.locator('table:has(caption:has-text("open")) tbody tr').count()).toBe(all - 1);
    expect(await page.locator(`table tbody tr:has-text("${DIVERTED[0]}")`).count()).toBe(0);
    await openEntity(page, 'Main Chain Ltd');
    expect(await page.locator('div.network').count()).toBe(0);
    expect(await page.locator('p.error[role=alert]').count()).toBe(0);
    const json = JSON.parse(await dossier(page, 'Download JSON')) as Record<string, unknown>;
    expect(JSON.stringify(json)).toContain('Main Chain Ltd');
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  }, 60_000);

  it('is refused to filer and compliance keys', async () => {
    for (const role of ['filer', 'compliance'] as const) {
      const { page, errors, close } = await signedInPage(browser, served.url, served.keys[role]);
      expect(await page.locator('header nav a').allTextContents()).not.toContain('Intelligence');
      await page.goto(`${served.url}/intel`);
      await expect.poll(() => page.locator('.refused').textContent()).toContain(`The ${role} role may not open`);
      expect(errors, role).toEqual([]);
      await close();
    }
  }, 60_000);
});
