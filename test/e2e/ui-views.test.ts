// The trace UI's views against the real backend (otlp → jaeger_storage_exporter → jaeger_storage →
// jaeger_query) fed by `telegate gen traces --scenario shop`, in Debian's Chromium: the view switcher
// (statistics, spans table, flame graph, graph), find with next/previous and uiFind, the minimap's
// drag-to-zoom, the resizable name column, distinct service colours, span links, comparing two traces,
// several trace ids at once, a JSON file opened in the browser, and the Monitor tab. Screenshots of each
// view go to test-artifacts/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { UI_DIR } from '../../src/backend/ui/serve-ui.ts';
import { chromiumMissing, launchChromium } from '../helpers/chromium.ts';
import { gotoCovered, saveUiCoverage, startUiCoverage } from '../helpers/ui-coverage.ts';
import { freePort, runTelegate, startTelegate, type TelegateProcess } from '../helpers/telegate-process.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
const skip = chromiumMissing;
const TRACES = 40;
const SERVICES = 14;

interface ApiSpan {
  spanID: string;
  operationName: string;
  processID: string;
  references: { refType: string; spanID: string }[];
}
interface ApiTrace {
  traceID: string;
  spans: ApiSpan[];
  processes: Record<string, { serviceName: string }>;
}

describe('trace views in Chromium against the live backend', { skip }, () => {
  let backend: TelegateProcess;
  let browser: Browser;
  let page: Page;
  let ui = '';
  let traces: ApiTrace[] = [];
  const errors: string[] = [];

  before(async () => {
    assert.ok(existsSync(join(UI_DIR, 'main.js')), `${UI_DIR} is not built: run \`npm run build\``);
    mkdirSync(ARTIFACTS, { recursive: true });
    const [otlpPort, uiPort, metricsPort] = [await freePort(), await freePort(), await freePort()];
    backend = await startTelegate(`
extensions:
  jaeger_storage:
    backends:
      memstore: { memory: { max_traces: 1000 } }
  jaeger_query:
    storage: { traces: memstore }
    http: { endpoint: 127.0.0.1:${uiPort} }
receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:${otlpPort} }
exporters:
  jaeger_storage_exporter: { trace_storage: memstore }
service:
  extensions: [jaeger_storage, jaeger_query]
  telemetry: { metrics: { address: 127.0.0.1:${metricsPort} } }
  pipelines:
    traces: { receivers: [otlp], exporters: [jaeger_storage_exporter] }
`);
    ui = `http://127.0.0.1:${uiPort}`;
    const gen = runTelegate([
      'gen',
      'traces',
      '--otlp-insecure',
      '--otlp-endpoint',
      `127.0.0.1:${otlpPort}`,
      '--scenario',
      'shop',
      '--services',
      String(SERVICES),
      '--traces',
      String(TRACES),
      '--summary-json',
    ]);
    const code = await new Promise<number | null>((resolve) => {
      if (gen.child.exitCode !== null) resolve(gen.child.exitCode);
      else gen.child.once('exit', resolve);
    });
    assert.equal(code, 0, gen.output());
    const res = await fetch(`${ui}/api/traces?service=frontend&lookback=1h&limit=${TRACES * 2}`);
    traces = ((await res.json()) as { data: ApiTrace[] }).data;
    assert.equal(traces.length, TRACES);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.setDefaultTimeout(15_000);
    await startUiCoverage(page);
  });
  after(async () => {
    await saveUiCoverage(page);
    await browser.close();
    await backend.stop();
  });

  const first = (): ApiTrace => traces[0] as ApiTrace;
  const shot = (name: string): Promise<Buffer> =>
    page.screenshot({ path: join(ARTIFACTS, `ui-${name}.png`), fullPage: true });

  test('the trace page builds only the timeline until another view is opened', async () => {
    await gotoCovered(page, `${ui}/trace/${first().traceID}`);
    await page.locator('.tl-row').first().waitFor();
    assert.equal(await page.locator('.trace-mode').count(), 1);
    assert.equal(await page.locator('.mode-tab[aria-selected="true"]').textContent(), 'Timeline');
    await page.click('.mode-tab[data-mode="statistics"]');
    await page.locator('.stats-table').waitFor();
    assert.equal(await page.locator('.trace-mode').count(), 2);
    assert.match(page.url(), /[?&]view=statistics/);
    await page.click('.mode-tab[data-mode="timeline"]');
    assert.equal(await page.locator('.trace-mode[data-mode="statistics"]').isHidden(), true);
    assert.doesNotMatch(page.url(), /view=/);
  });

  test('statistics: one row per service with its operations, self time within the trace', async () => {
    const t = first();
    await gotoCovered(page, `${ui}/trace/${t.traceID}?view=statistics`);
    const table = page.locator('.stats-table');
    await table.waitFor();
    assert.equal(await table.locator('tr.stat-service').count(), SERVICES);
    const frontend = table.locator('tr.stat-service[data-service="frontend"] td');
    const frontSpans = t.spans.filter((s) => t.processes[s.processID]?.serviceName === 'frontend').length;
    assert.equal(await frontend.nth(0).textContent(), String(frontSpans));
    const counts = await table.locator('tr.stat-service td.count').allTextContents();
    assert.equal(
      counts.reduce((a, c) => a + Number(c), 0),
      t.spans.length,
    );
    for (const tr of await table.locator('tbody tr').all()) {
      const [self, total] = [
        Number(await tr.getAttribute('data-self-us')),
        Number(await tr.getAttribute('data-total-us')),
      ];
      assert.ok(self >= 0 && self <= total, `self ${self} ≤ total ${total}`);
    }
    await shot('statistics');
  });

  test('spans table: every span, sortable and filterable; a row opens the span in the timeline', async () => {
    const t = first();
    await gotoCovered(page, `${ui}/trace/${t.traceID}?view=table`);
    const rows = page.locator('.spans-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), t.spans.length);
    await page.click('.spans-table th[data-col="duration"] button');
    await page.click('.spans-table th[data-col="duration"] button');
    assert.equal(await page.locator('.spans-table th[data-col="duration"]').getAttribute('aria-sort'), 'descending');
    assert.match((await rows.first().textContent()) ?? '', /GET \/api\/checkout/, 'the root is the longest');
    await page.fill('.table-filter', 'SELECT');
    const selects = t.spans.filter((s) => s.operationName.startsWith('SELECT')).length;
    await page.waitForFunction(`document.querySelectorAll('.spans-table tbody tr').length === ${selects}`);
    await shot('spans-table');
    const id = await rows.first().getAttribute('data-span-id');
    await rows.first().click();
    await page.locator(`.span-detail[data-span-id="${id}"]`).waitFor();
    assert.equal(await page.locator('.tl-row.current').getAttribute('data-span-id'), id);
  });

  test('flame graph: a frame per span; a click focuses it, Show in timeline opens it', async () => {
    const t = first();
    await gotoCovered(page, `${ui}/trace/${t.traceID}?view=flamegraph`);
    const frames = page.locator('.flame-frame');
    await frames.first().waitFor();
    const narrow = Number(/(\d+) too narrow/.exec((await page.locator('.flame-info').textContent()) ?? '')?.[1] ?? 0);
    assert.equal((await frames.count()) + narrow, t.spans.length);
    assert.ok(narrow < t.spans.length / 4);
    await shot('flame-graph');
    const checkout = frames.filter({ hasText: 'checkout: oteldemo' }).first();
    const id = await checkout.getAttribute('data-span-id');
    await checkout.click();
    await page.locator('.flame-reset').waitFor();
    assert.ok((await frames.count()) < t.spans.length, 'focused on a subtree');
    const box = (await page.locator(`.flame-frame[data-span-id="${id}"]`).boundingBox())!;
    const canvas = (await page.locator('.flame-canvas').boundingBox())!;
    assert.ok(box.width > canvas.width * 0.95, 'the focused frame fills the width');
    await page.click('.flame-open');
    await page.locator(`.span-detail[data-span-id="${id}"]`).waitFor();
  });

  test('trace graph: spans aggregated by service and operation; a node opens its span', async () => {
    const t = first();
    await gotoCovered(page, `${ui}/trace/${t.traceID}?view=graph`);
    const nodes = page.locator('.trace-graph .g-node');
    await nodes.first().waitFor();
    const paths = new Set<string>();
    const byId = new Map(t.spans.map((s) => [s.spanID, s]));
    for (const s of t.spans) {
      let key = '';
      for (
        let n: ApiSpan | undefined = s;
        n;
        n = byId.get(n.references.find((r) => r.refType === 'CHILD_OF')?.spanID ?? '')
      )
        key = `${t.processes[n.processID]?.serviceName}:${n.operationName}/${key}`;
      paths.add(key);
    }
    assert.equal(await nodes.count(), paths.size);
    assert.equal(await page.locator('.trace-graph .g-edge').count(), paths.size - 1);
    await shot('graph');
    await page.click('.g-node[data-service="payment"]');
    await page.locator('.span-detail').waitFor();
    assert.match((await page.locator('.tl-row.current').textContent()) ?? '', /payment/);
  });

  test('find: uiFind in the URL, next and previous move through the matches', async () => {
    const t = first();
    await gotoCovered(page, `${ui}/trace/${t.traceID}?uiFind=orders`);
    await expectText(page, '.find-count', '1 of 2');
    assert.equal(await page.inputValue('input.find'), 'orders');
    assert.equal(await page.locator('.tl-row.match').count(), 2);
    const one = await page.locator('.tl-row.current').getAttribute('data-span-id');
    await page.click('button.find-next');
    await expectText(page, '.find-count', '2 of 2');
    const two = await page.locator('.tl-row.current').getAttribute('data-span-id');
    assert.notEqual(one, two);
    await page.click('button.find-next');
    await expectText(page, '.find-count', '1 of 2');
    await page.click('button.find-prev');
    await expectText(page, '.find-count', '2 of 2');
    assert.equal(await page.locator('.tl-row.current').getAttribute('data-span-id'), two);
    await page.fill('input.find', 'SELECT');
    await page.waitForURL(/uiFind=SELECT/);
    await shot('find');
  });

  test('minimap: dragging over it zooms the timeline; the outline shows the window', async () => {
    await gotoCovered(page, `${ui}/trace/${first().traceID}`);
    const mm = page.locator('.mm-box');
    await mm.waitFor();
    const box = (await mm.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + 20);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + 20, { steps: 4 });
    await page.mouse.up();
    await page.locator('button.reset-zoom').waitFor();
    assert.notEqual(await page.locator('.tl-header .tick').first().textContent(), '0µs');
    const outline = (await page.locator('.mm-view').boundingBox())!;
    assert.ok(Math.abs(outline.width - box.width * 0.4) < box.width * 0.03, `outline ${outline.width} of ${box.width}`);
    await shot('minimap-zoom');
    await page.click('button.reset-zoom');
    assert.equal(await page.locator('.tl-header .tick').first().textContent(), '0µs');
  });

  test('the name column is resized by dragging its edge, and stays so on the next trace', async () => {
    await gotoCovered(page, `${ui}/trace/${first().traceID}`);
    const name = page.locator('.tl-row .tl-name').first();
    await name.waitFor();
    const before = (await name.boundingBox())!.width;
    const handle = (await page.locator('.name-resize').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + 10);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 + 150, handle.y + 10, { steps: 5 });
    await page.mouse.up();
    const after = (await name.boundingBox())!.width;
    assert.ok(Math.abs(after - before - 150) < 6, `name column ${before} → ${after}`);
    await gotoCovered(page, `${ui}/trace/${traces[1]!.traceID}`);
    await page.locator('.tl-row').first().waitFor();
    assert.ok(Math.abs((await page.locator('.tl-row .tl-name').first().boundingBox())!.width - after) < 2);
    await page.evaluate('localStorage.clear()');
  });

  test(`service colours: the ${SERVICES} services of a trace all have different colours`, async () => {
    await gotoCovered(page, `${ui}/trace/${first().traceID}`);
    const chips = page.locator('.legend .chip');
    await chips.first().waitFor();
    const colours = await page.evaluate<string[]>(
      "[...document.querySelectorAll('.legend .chip')].map((e) => getComputedStyle(e).borderLeftColor)",
    );
    assert.equal(colours.length, SERVICES);
    assert.equal(new Set(colours).size, SERVICES, colours.join(' '));
  });

  test('a span link to a span of the same trace is clickable and shows that span', async () => {
    const t = first();
    const consumer = t.spans.find((s) => s.operationName === 'orders process')!;
    const producer = consumer.references.find((r) => r.refType === 'FOLLOWS_FROM')!.spanID;
    await gotoCovered(page, `${ui}/trace/${t.traceID}`);
    await page.locator(`.tl-row[data-span-id="${consumer.spanID}"]`).click();
    const ref = page.locator(`.span-detail a.span-ref[data-ref-span="${producer}"]`);
    assert.match((await ref.textContent()) ?? '', /orders publish/);
    await ref.click();
    await page.locator(`.span-detail[data-span-id="${producer}"]`).waitFor();
    assert.equal(await page.locator('.tl-row.current').getAttribute('data-span-id'), producer);
    assert.match(page.url(), /\/trace\/[0-9a-f]{32}$/, 'shown in place, no navigation');
  });

  test('search results: pick two traces and compare them (/trace/a...b)', async () => {
    await gotoCovered(page, `${ui}/search?service=frontend&lookback=1h&limit=${TRACES}`);
    await page.locator('.trace-row').first().waitFor();
    assert.equal(await page.locator('.compare-btn').isDisabled(), true);
    await page.locator('.trace-item .pick').nth(0).check();
    await page.locator('.trace-item .pick').nth(1).check();
    await page.click('.compare-btn');
    await page.waitForURL(/\/trace\/[0-9a-f]{32}\.\.\.[0-9a-f]{32}$/);
    const nodes = page.locator('.trace-graph .g-node');
    await nodes.first().waitFor();
    const tally = await page.locator('.diff-legend .chip').allTextContents();
    const total = tally.reduce((a, c) => a + Number(/: (\d+)$/.exec(c)?.[1]), 0);
    assert.equal(total, await nodes.count());
    await shot('compare');
  });

  test('several trace ids at once: listed, with the missing ones named', async () => {
    const [a, b] = [traces[2]!.traceID, traces[3]!.traceID];
    const missing = 'feedfacefeedfacefeedfacefeedface';
    await gotoCovered(page, `${ui}/search`);
    await page.fill('#lookup input', `${a}, ${b} ${missing}`);
    await page.press('#lookup input', 'Enter');
    await page.waitForURL(`**/search?traceID=${a}&traceID=${b}&traceID=${missing}`);
    await page.locator('.trace-row').first().waitFor();
    const ids: (string | null)[] = [];
    for (const row of await page.locator('.trace-row').all()) ids.push(await row.getAttribute('data-trace-id'));
    assert.deepEqual(ids.sort(), [a, b].sort());
    await expectText(page, '.results-note', `Not found: ${missing}`);
    await shot('lookup-ids');
  });

  test('a JSON file opens in the browser; a FOLLOWS_FROM-only span nests under its span', async () => {
    const id = '0123456789abcdef0123456789abcdef';
    const ref = (type: string, span: string): object => ({ refType: type, traceID: id, spanID: span });
    const span = (spanID: string, op: string, start: number, refs: object[]): object => ({
      traceID: id,
      spanID,
      operationName: op,
      references: refs,
      startTime: 1_700_000_000_000_000 + start,
      duration: 1000,
      tags: [],
      logs: [],
      processID: 'p1',
    });
    const file = {
      data: [
        {
          traceID: id,
          spans: [
            span('00000000000000a1', 'enqueue', 0, []),
            span('00000000000000b2', 'dequeue', 500, [ref('FOLLOWS_FROM', '00000000000000a1')]),
          ],
          processes: { p1: { serviceName: 'uploaded-svc', tags: [] } },
        },
      ],
    };
    await gotoCovered(page, `${ui}/search`);
    await page.setInputFiles('input.upload-input', {
      name: 'trace.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file)),
    });
    await expectText(page, '.results-note', 'From trace.json');
    await page.locator(`.trace-row[data-trace-id="${id}"]`).click();
    await page.waitForURL(`**/trace/${id}`);
    const child = page.locator('.tl-row[data-span-id="00000000000000b2"] .tl-name');
    await child.waitFor();
    const pad = async (id: string): Promise<number> => {
      const style = await page.locator(`.tl-row[data-span-id="${id}"] .tl-name`).getAttribute('style');
      return Number(/padding-left:(\d+)px/.exec(style ?? '')?.[1]);
    };
    assert.ok((await pad('00000000000000b2')) > (await pad('00000000000000a1')), 'the linked span is nested');
    await expectText(page, '.facts-row', /Depth2/);
    await gotoCovered(page, `${ui}/search`);
    await page.setInputFiles('input.upload-input', {
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{oops'),
    });
    await expectText(page, '.upload-status .error', /Could not read bad\.json/);
  });

  test('Monitor: request rate, error rate and latency percentiles per service and per operation', async () => {
    await gotoCovered(page, `${ui}/monitor?lookback=3600000`);
    const rows = page.locator('.monitor-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), SERVICES, 'every service serves SERVER spans');
    const front = page.locator('.monitor-table tr[data-service="frontend"] td');
    assert.equal(await front.nth(6).textContent(), String(TRACES), 'one GET /api/checkout per trace');
    await shot('monitor');
    await page.click('.monitor-table tr[data-service="frontend"] th a');
    await page.waitForURL(/\/monitor\?service=frontend/);
    await page.locator('.monitor-table tr[data-operation="GET /api/checkout"]').waitFor();
    await page.selectOption('#m-spanKind', 'client');
    await page.waitForURL(/spanKind=client/);
    await page.locator('.monitor-table tr[data-operation^="oteldemo."]').first().waitFor();
    await shot('monitor-operations');
    assert.deepEqual(errors, []);
  });
});

/** Waits (bounded by the page timeout) until the first match of `selector` contains `text`. */
async function expectText(page: Page, selector: string, text: string | RegExp): Promise<void> {
  await page.locator(selector).filter({ hasText: text }).first().waitFor();
}
