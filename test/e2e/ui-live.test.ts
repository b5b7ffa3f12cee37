// The web UI against the real backend, as a user meets it: spans sent by the OpenTelemetry JS SDK
// over OTLP/gRPC into jaeger_storage_exporter → jaeger_storage (memory) → jaeger_query, then Debian's
// Chromium searches the service, opens the trace, expands the span and reads what the SDK sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ExportResultCode } from '@opentelemetry/core';
import type { Browser } from 'playwright-core';
import { UI_DIR } from '../../src/backend/ui/serve-ui.ts';
import { chromiumMissing, launchChromium } from '../helpers/chromium.ts';
import { sdkExporter, sdkResource, sdkSend, sdkSpans } from '../helpers/sdk.ts';
import { freePort, startTelegate, type TelegateProcess } from '../helpers/telegate-process.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
const skip = chromiumMissing;

let backend: TelegateProcess;
let browser: Browser;
let ui = '';
let grpc = '';

before(async () => {
  if (skip !== false) return;
  assert.ok(existsSync(join(UI_DIR, 'main.js')), `${UI_DIR} is not built: run \`npm run build\``);
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
  grpc = `http://127.0.0.1:${otlpPort}`;
  browser = await launchChromium();
});

after(async () => {
  if (skip !== false) return;
  await browser.close();
  await backend.stop();
});

test(
  'SDK spans into the real backend: search, open the trace, expand the span, read its attributes',
  { skip },
  async () => {
    const batch = sdkSpans(
      sdkResource({ 'k8s.cluster.name': 'edge-cluster-1', 'cloud.availability_zone': 'eu-west-1' }),
    );
    const exporter = sdkExporter('traces', 'grpc', { grpc, http: '' });
    assert.equal((await sdkSend(exporter, batch.items)).code, ExportResultCode.SUCCESS);
    await exporter.shutdown();

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.setDefaultTimeout(15_000);
    try {
      await page.goto(`${ui}/search?service=checkout&lookback=1h`);
      const row = page.locator('.trace-row', { hasText: 'GET /cart' }).first();
      await row.waitFor();
      await row.click();
      await page.waitForURL(/\/trace\/[0-9a-f]{32}$/);
      await page.locator('.tl-row', { hasText: 'GET /cart' }).first().click();
      const detail = page.locator('.span-detail');
      await detail.waitFor();
      assert.equal(await detail.locator('tr[data-key="http.method"] td').textContent(), 'GET');
      assert.equal(await detail.locator('tr[data-key="retries"] td').textContent(), '3');
      assert.equal(await detail.locator('tr[data-key="k8s.cluster.name"] td').textContent(), 'edge-cluster-1');
      assert.equal(await detail.locator('tr[data-key="cloud.availability_zone"] td').textContent(), 'eu-west-1');
      assert.match((await detail.locator('.events').textContent()) ?? '', /cache\.miss/);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'ui-live-trace.png'), fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  },
);
