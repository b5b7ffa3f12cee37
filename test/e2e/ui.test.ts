// The web UI in a real browser (Debian's Chromium driven by playwright-core) against a Jaeger API
// fixture that serves the UI through serveUi: search a service, open a trace, expand a span and find
// its attributes and resource; errors are shown, deep links, JSON download and the service map work.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { UI_DIR } from '../../src/backend/ui/serve-ui.ts';
import { chromiumMissing, launchChromium } from '../helpers/chromium.ts';
import { gotoCovered, saveUiCoverage, startUiCoverage } from '../helpers/ui-coverage.ts';
import { startJaegerFixture, type JaegerFixture } from '../helpers/jaeger-fixture.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
const skip = chromiumMissing;

describe('web UI in Chromium', { skip }, () => {
  let fixture: JaegerFixture;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const external: string[] = [];

  before(async () => {
    assert.ok(existsSync(join(UI_DIR, 'main.js')), `${UI_DIR} is not built: run \`npm run build\` (npm ci does it)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    fixture = await startJaegerFixture();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    page.on('pageerror', (e) => errors.push(e.message));
    // Everything (scripts, styles, fonts) must come from telegate itself: no network is assumed.
    page.on('request', (r) => {
      const url = r.url();
      if (!url.startsWith('http://127.0.0.1:') && !url.startsWith('blob:') && !url.startsWith('data:'))
        external.push(url);
    });
    page.setDefaultTimeout(15_000);
    await startUiCoverage(page);
  });
  after(async () => {
    await saveUiCoverage(page);
    await browser.close();
    await fixture.close();
  });

  test('search a service, open a trace, expand a span and read its attributes', async () => {
    await gotoCovered(page, `${fixture.url}/`);
    await page.selectOption('#f-service', 'frontend');
    await page.click('button:has-text("Find Traces")');
    const rows = page.locator('.trace-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 9, 'three checkout, five home and one big trace of frontend in the last hour');
    assert.equal(await page.locator('svg.scatter circle.dot').count(), 9);
    assert.match(page.url(), /\/search\?service=frontend/);
    await page.screenshot({ path: join(ARTIFACTS, 'ui-search.png'), fullPage: true });

    await rows.filter({ hasText: 'frontend: GET /checkout' }).first().click();
    await page.waitForURL(/\/trace\/[0-9a-f]{32}$/);
    const spanRow = page.locator('.tl-row', { hasText: 'POST /orders' });
    await spanRow.click();
    const detail = page.locator('.span-detail');
    await detail.waitFor();
    assert.equal(await detail.locator('tr[data-key="http.route"] td').textContent(), '/orders');
    assert.equal(await detail.locator('tr[data-key="k8s.cluster.name"] td').textContent(), 'central-us-1');
    assert.equal(await detail.locator('tr[data-key="cloud.availability_zone"] td').textContent(), 'us-east-1b');
    assert.match((await detail.locator('.status').textContent()) ?? '', /Error: payment backend unavailable/);
    assert.match((await detail.locator('.events').textContent()) ?? '', /order\.validated.*exception/s);
    assert.match((await detail.locator('.links').textContent()) ?? '', /trace 0+badcafe/);
    assert.ok((await page.locator('.cp').count()) > 0, 'the critical path is drawn');
    assert.equal(
      await detail.locator('tr[data-key="user_agent.original"] td').textContent(),
      '<img src=x onerror="document.title=1">',
    );
    assert.equal(await page.locator('.span-detail img').count(), 0, 'attribute values are text, never markup');
    await page.screenshot({ path: join(ARTIFACTS, 'ui-trace.png'), fullPage: true });
    assert.deepEqual(errors, []);
  });

  test('collapsing a span hides its children', async () => {
    const before = await page.locator('.tl-row').count();
    await page.locator('.tl-row', { hasText: 'POST /orders' }).locator('button.tg').click();
    assert.equal(await page.locator('.tl-row').count(), before - 2);
    await expectText(page, '.tl-row .kids', '+2');
  });

  test('find in trace highlights matching spans; dragging over the time axis zooms', async () => {
    await page.fill('input.find', 'select');
    await expectText(page, '.find-count', '1 match');
    assert.equal(await page.locator('.tl-row.match').count(), 1);
    assert.match((await page.locator('.tl-row.match').textContent()) ?? '', /SELECT orders/);
    await page.fill('input.find', '');
    assert.equal(await page.locator('.tl-row.dim').count(), 0);
    const axis = page.locator('.tl-header .tl-bars');
    const box = (await axis.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.75, box.y + 10, { steps: 4 });
    await page.mouse.up();
    await page.locator('button.reset-zoom').waitFor();
    assert.notEqual(await page.locator('.tl-header .tick').first().textContent(), '0µs');
    await page.click('button.reset-zoom');
    assert.equal(await page.locator('.tl-header .tick').first().textContent(), '0µs');
  });

  test('a tag search finds traces by a resource attribute', async () => {
    await gotoCovered(page, `${fixture.url}/search?service=checkout&tags=k8s.cluster.name%3Dcentral-us-1&limit=2`);
    await page.locator('.trace-row').first().waitFor();
    assert.equal(await page.locator('.trace-row').count(), 2, 'three match; the limit keeps two');
    assert.equal(await page.inputValue('#f-tags'), 'k8s.cluster.name=central-us-1');
  });

  test('a bad query shows the API error instead of breaking the page', async () => {
    await gotoCovered(page, `${fixture.url}/search?service=frontend&minDuration=abc`);
    const alert = page.locator('.error[role=alert]');
    await alert.waitFor();
    assert.match((await alert.textContent()) ?? '', /invalid duration "abc"/);
    await page.screenshot({ path: join(ARTIFACTS, 'ui-error.png') });
    await page.locator('#f-service').waitFor();
    await gotoCovered(page, `${fixture.url}/trace/00000000000000000000000000000bad`);
    await expectText(page, '.error', /trace not found/);
  });

  test('deep link, trace id lookup and JSON download', async () => {
    const id = fixture.traces[0]!.traceID;
    await gotoCovered(page, `${fixture.url}/search`);
    await page.fill('#lookup input', id);
    await page.press('#lookup input', 'Enter');
    await page.waitForURL(`**/trace/${id}`);
    await page.locator('.tl-row').first().waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('button:has-text("Download JSON")'),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'telegate-ui-dl-'));
    try {
      const file = join(dir, 'trace.json');
      await download.saveAs(file);
      const saved = JSON.parse(readFileSync(file, 'utf8'));
      assert.equal(saved.data[0].traceID, id);
      assert.equal(saved.data[0].spans.length, 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('keyboard: Enter opens and closes span details, focus stays on the row', async () => {
    await gotoCovered(page, `${fixture.url}/trace/${fixture.traces[0]!.traceID}`);
    const row = page.locator('.tl-row', { hasText: 'render cart' });
    const id = await row.getAttribute('data-span-id');
    await row.focus();
    await page.keyboard.press('Enter');
    await page.locator(`.span-detail[data-span-id="${id}"]`).waitFor();
    assert.equal(await page.locator('.tl-row:focus').getAttribute('data-span-id'), id);
    await page.keyboard.press('Enter');
    await page.locator('.span-detail').waitFor({ state: 'detached' });
    assert.equal(await page.locator('.tl-row:focus').getAttribute('data-span-id'), id);
  });

  test('a 10,000-span trace keeps only the visible rows in the page', async () => {
    await gotoCovered(page, `${fixture.url}/trace/${fixture.traces.at(-1)!.traceID}`);
    await page.locator('.tl-row').first().waitFor();
    await expectText(page, '.facts-row', /Spans10000/);
    const rendered = await page.locator('.tl-row').count();
    assert.ok(rendered > 10 && rendered < 200, `rendered ${rendered} rows`);
    await page.locator('.tl-scroll').hover();
    await page.mouse.wheel(0, 28 * 5000);
    await expectText(page, '.tl-canvas', /step \d{4}/);
    await page.screenshot({ path: join(ARTIFACTS, 'ui-big-trace.png') });
  });

  test('a 10,000-span trace opens in every view, each built only when its tab is opened', async () => {
    await gotoCovered(page, `${fixture.url}/trace/${fixture.traces.at(-1)!.traceID}`);
    await page.locator('.tl-row').first().waitFor();
    assert.equal(await page.locator('.trace-mode').count(), 1, 'only the timeline is built');
    await page.click('.mode-tab[data-mode="statistics"]');
    await page.locator('.stats-table tr.stat-service').first().waitFor();
    await page.click('.mode-tab[data-mode="table"]');
    await expectText(page, '.table-note', 'Showing 1000 of 10000 spans');
    assert.equal(await page.locator('.spans-table tbody tr').count(), 1000);
    await page.click('.mode-tab[data-mode="flamegraph"]');
    await page.locator('.flame-frame').first().waitFor();
    await page.click('.mode-tab[data-mode="graph"]');
    await page.locator('.trace-graph .g-node').first().waitFor();
    assert.equal(await page.locator('.trace-mode').count(), 5);
    assert.deepEqual(errors, []);
  });

  test('below a base path (Jaeger base_path) assets, API calls and links stay under it', async () => {
    const below = await startJaegerFixture('/jaeger');
    try {
      await gotoCovered(page, `${below.url}/search?service=checkout`);
      await page.locator('.trace-row').first().click();
      await page.waitForURL(/\/jaeger\/trace\/[0-9a-f]{32}$/);
      await page.locator('.tl-row').first().waitFor();
      await page.click('nav a[data-nav=dependencies]');
      await page.waitForURL(/\/jaeger\/dependencies$/);
      await page.locator('.deps-map .node').first().waitFor();
    } finally {
      await below.close();
    }
  });

  test('the service map shows the call between clusters', async () => {
    await gotoCovered(page, `${fixture.url}/dependencies`);
    await page.locator('.deps-map .node').first().waitFor();
    assert.equal(await page.locator('.deps-map .node[data-service="checkout"]').count(), 1);
    await expectText(page, '.deps-table', /frontend\s*checkout\s*\d+/);
    await page.screenshot({ path: join(ARTIFACTS, 'ui-dependencies.png'), fullPage: true });
    assert.deepEqual(errors, []);
    assert.deepEqual(external, [], 'no request left the machine');
    await page.click('.deps-map .node[data-service="checkout"]');
    await page.waitForURL(/\/search\?service=checkout$/);
    await page.locator('.trace-row').first().waitFor();
  });
});

/** Waits (bounded by the page timeout) until the first match of `selector` contains `text`. */
async function expectText(page: Page, selector: string, text: string | RegExp): Promise<void> {
  await page.locator(selector).filter({ hasText: text }).first().waitFor();
}
