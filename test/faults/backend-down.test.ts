// The backend down for 60 s under steady load (issue 16): the sink behind an end-to-end gateway stops
// (its port refuses connections) and comes back on the same port. The gateway fails each batch back to
// the edge, whose persistent queue keeps acknowledging and retrying; once the backend is back, every
// span the edge acknowledged arrives. Its own file: the outage alone is half of a file's time budget.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { metricValue, until } from './fault-helpers.ts';
import { allDelivered, delivery, hopCounts, SPANS } from './steady-load.ts';
import { Topology } from './topology.ts';

/** How long the backend stays down: the figure, a fault parameter (no assertion reads the clock). */
const OUTAGE_MS = 60_000;

let topo: Topology | undefined;
after(async () => {
  await topo?.cleanup();
});

test(
  'the backend down for 60 s under steady load: everything the edge acknowledged arrives',
  { timeout: 170_000 },
  async (t) => {
    topo = await Topology.create();
    await topo.startSink();
    await topo.gateway('end-to-end');
    await topo.edge();
    // A request every 100 ms: about 600 during the outage, all waiting on the edge's disk.
    const load = topo.steadyLoad({ everyMs: 100, maxRequests: 1500 });
    await load.ackedMore(5);
    await allDelivered(() => topo?.sinkCalls ?? [], load.acked);

    await topo.stopSink();
    const ackedBefore = load.acked.length;
    const gatewayFailed = (): Promise<number> =>
      metricValue(topo?.ports.gatewayMetrics ?? 0, 'otelcol_exporter_send_failed_spans_total');
    await until(async () => (await gatewayFailed()) > 0);
    await sleep(OUTAGE_MS);
    const ackedDuringOutage = load.acked.length - ackedBefore;
    const queuedAtEdge = await metricValue(topo.ports.edgeMetrics, 'otelcol_exporter_queue_size');
    assert.ok(queuedAtEdge > 0, 'the edge held the outage’s data');

    await topo.startSink();
    await load.ackedMore(5);
    await load.stop();
    await allDelivered(() => topo?.sinkCalls ?? [], load.acked);
    const d = delivery(topo.sinkCalls, load.acked);
    assert.deepEqual(d.missing, []);
    t.diagnostic(
      `acknowledged ${load.acked.length * SPANS} spans, ${ackedDuringOutage * SPANS} during the outage ` +
        `(${load.refused.length} requests refused); the edge held ${queuedAtEdge} requests at the end of the outage; ` +
        `the gateway failed ${await gatewayFailed()} spans back; sink: ${d.uniqueReceived} unique, ` +
        `${d.duplicates} duplicated; ${await hopCounts(topo.ports)}`,
    );
  },
);
