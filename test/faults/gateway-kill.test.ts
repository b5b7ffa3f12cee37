// The gateway killed -9 while its backend is down, under steady load (issue 16), in both gateway modes
// the rendered manifests know: with a persistent queue it has acknowledged data only on its own disk and
// delivers it after the restart; end to end it acknowledged nothing the backend did not take, so the
// edge still holds everything and delivers it through the restarted gateway. Either way nothing the edge
// acknowledged is lost; duplicates are counted.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { metricValue, until } from './fault-helpers.ts';
import { allDelivered, delivery, hopCounts, SPANS } from './steady-load.ts';
import { Topology, type GatewayMode } from './topology.ts';

const topologies: Topology[] = [];
after(async () => {
  for (const t of topologies) await t.cleanup();
});

const QUEUE_SIZE = 'otelcol_exporter_queue_size';

/** The moment to kill: what the edge acknowledged (`owedSpans` so far) sits where the mode keeps it. */
const HOLDER: Record<GatewayMode, (topo: Topology, owedSpans: number) => Promise<boolean>> = {
  // All of it left the edge (the gateway acknowledged it) and waits on the gateway's disk.
  persistent: async (topo, owedSpans) =>
    (await metricValue(topo.ports.edgeMetrics, 'otelcol_exporter_sent_spans_total')) >= owedSpans &&
    (await metricValue(topo.ports.gatewayMetrics, QUEUE_SIZE)) > 0,
  // The gateway tried the backend and failed back to the edge, which keeps the data queued.
  'end-to-end': async (topo) =>
    (await metricValue(topo.ports.gatewayMetrics, 'otelcol_exporter_send_failed_spans_total')) > 0 &&
    (await metricValue(topo.ports.edgeMetrics, QUEUE_SIZE)) > 0,
};

for (const mode of ['persistent', 'end-to-end'] as const) {
  test(
    `${mode} gateway killed -9 while the backend is down: everything the edge acknowledged arrives`,
    { timeout: 120_000 },
    async (t) => {
      const topo = await Topology.create();
      topologies.push(topo);
      const gateway = await topo.gateway(mode);
      await topo.edge();
      const load = topo.steadyLoad();
      await load.ackedMore(10);
      const owedSpans = load.acked.length * SPANS;
      await until(() => HOLDER[mode](topo, owedSpans), 100);
      await gateway.stop('SIGKILL');
      const ackedAtKill = load.acked.length;

      // The gateway is gone: the edge still acknowledges onto its disk.
      await load.ackedMore(10);
      await topo.startSink();
      await topo.gateway(mode);
      await load.ackedMore(5);
      await load.stop();
      await allDelivered(() => topo.sinkCalls, load.acked);
      const d = delivery(topo.sinkCalls, load.acked);
      assert.deepEqual(d.missing, []);
      const replayed = await metricValue(topo.ports.gatewayMetrics, 'telegate_exporter_queue_replayed_requests_total');
      // Only the persistent gateway held acknowledged data across the kill; end to end it held none.
      if (mode === 'persistent') assert.ok(replayed > 0, 'the restarted gateway replayed its queue');
      else assert.equal(replayed, 0);
      t.diagnostic(
        `acknowledged ${ackedAtKill * SPANS} spans before the kill, ${load.acked.length * SPANS} in all ` +
          `(${load.refused.length} requests refused); the restarted gateway replayed ${replayed} requests; ` +
          `sink: ${d.uniqueReceived} unique, ${d.duplicates} duplicated; ${await hopCounts(topo.ports)}`,
      );
    },
  );
}
