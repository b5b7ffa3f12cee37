// A network partition between the edge and the gateway under steady load (issue 16): a proxy stalls the
// link — no byte moves, no socket closes — until the edge has noticed (an attempt's deadline passed,
// or with keepalive a ping went unanswered and it dialed again) and kept acknowledging onto its disk;
// then the link heals. Every span the edge acknowledged reaches the sink; duplicates are counted.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { until } from './fault-helpers.ts';
import { allDelivered, delivery, hopCounts, SPANS } from './steady-load.ts';
import { Topology } from './topology.ts';

const topologies: Topology[] = [];
after(async () => {
  for (const t of topologies) await t.cleanup();
});

const CASES = [
  { detect: 'the attempt deadline', edge: {} },
  {
    detect: 'keepalive',
    edge: { keepalive: { time: '300ms', timeout: '300ms', permit_without_stream: true } },
  },
] as const;

for (const c of CASES) {
  test(
    `a stalled edge→gateway link heals: ${c.detect} notices it, nothing acknowledged is lost`,
    { timeout: 120_000 },
    async (t) => {
      const topo = await Topology.create();
      topologies.push(topo);
      await topo.startSink();
      await topo.gateway('end-to-end');
      const proxy = await topo.startProxy();
      const edge = await topo.edge(c.edge);
      const load = topo.steadyLoad();
      await load.ackedMore(5);
      await allDelivered(() => topo.sinkCalls, load.acked);

      proxy.stall();
      const stalledFrom = load.acked.length;
      const dialed = proxy.accepted;
      if (c.detect === 'keepalive') await until(() => proxy.accepted > dialed);
      else await edge.waitFor(/deadline exceeded/);
      // The edge keeps answering its clients while the gateway is out of reach: the data is on its disk.
      await load.ackedMore(10);
      const sentDuringStall = load.acked.slice(stalledFrom);
      const crossed = delivery(topo.sinkCalls, sentDuringStall);
      assert.equal(crossed.missing.length, sentDuringStall.length * SPANS, 'nothing crossed the stalled link');
      proxy.heal();
      await load.ackedMore(5);
      await load.stop();
      await allDelivered(() => topo.sinkCalls, load.acked);
      const d = delivery(topo.sinkCalls, load.acked);
      assert.deepEqual(d.missing, []);
      t.diagnostic(
        `acknowledged ${load.acked.length * SPANS} spans (${load.refused.length} requests refused); ` +
          `sink: ${d.uniqueReceived} unique, ${d.duplicates} duplicated; connections through the proxy: ` +
          `${proxy.accepted}; ${await hopCounts(topo.ports)}`,
      );
    },
  );
}
