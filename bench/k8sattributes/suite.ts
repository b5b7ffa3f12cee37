// What k8sattributes costs on the hot path: the load benchmark's gateway (otlp → batch → otlp, CPU 1)
// measured twice in one run, plain and with k8sattributes in front of batch, its index holding 10,000
// pods from a fake API server (test/helpers/kube-api-server.ts). The load client's address is one of
// those pods, so every request is tagged (a Resource edit per request). Also: memory per indexed pod.
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { KubeApiServer, podObject, replicaSetObject } from '../../test/helpers/kube-api-server.ts';
import { MetadataStore } from '../../src/components/processors/k8sattributes/metadata-store.ts';
import { compileRules } from '../../src/components/processors/k8sattributes/rules.ts';
import { k8sConfig } from '../../src/components/processors/k8sattributes/test-support.ts';
import { spawnPinned } from '../load/children.ts';
import { collectorConfig, freePort } from '../load/collector-config.ts';
import { MIDDLE_CPU, type Middle } from '../load/middles.ts';
import { clockTicks } from '../load/proc.ts';
import { runScenario, type Measurement, type RunOptions } from '../load/scenario.ts';
import type { Suite, SuiteResult } from '../suite.ts';

const PODS = 10_000;
const TARGET_OVERHEAD = 0.15;
const WARMUP_S = Number(process.env['BENCH_WARMUP'] ?? 3);
const WINDOW_S = Number(process.env['BENCH_SECONDS'] ?? 6);
/** Extra node flags for the measured gateway, e.g. `--cpu-prof --trace-gc` when looking for the cost. */
const GATEWAY_FLAGS = (process.env['BENCH_K8S_NODE_FLAGS'] ?? '').split(' ').filter((f) => f !== '');
/** Variants to run (comma-separated; all by default), to profile one at a time. */
const VARIANTS = (process.env['BENCH_K8S_VARIANTS'] ?? '').split(',').filter((v) => v !== '');

/** 10,000 pods on the watched node, the load client's (127.0.0.1) among them, owned by a Deployment. */
function fillCluster(api: KubeApiServer): void {
  api.put('replicasets', replicaSetObject('checkout-7d9f8b6c5d', 'checkout', 'shop-prod'));
  const owner = { kind: 'ReplicaSet', name: 'checkout-7d9f8b6c5d', uid: 'uid-rs-checkout-7d9f8b6c5d' };
  api.put(
    'pods',
    podObject({ name: 'load-client', namespace: 'shop-prod', ip: '127.0.0.1', node: 'bench-node', owner }),
  );
  for (let i = 1; i < PODS; i++) {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    api.put('pods', podObject({ name: `pod-${i}`, namespace: 'shop-prod', ip, node: 'bench-node', owner }));
  }
}

/** The benchmark gateway with k8sattributes before batch. */
function k8sConfigYaml(receiverPort: number, sinkPort: number, metricsPort: number): string {
  return collectorConfig({ receiverPort, sinkPort, metricsPort, compression: 'none' })
    .replace(
      'processors:\n',
      'processors:\n  k8sattributes:\n    auth_type: kubeConfig\n    filter:\n      node_from_env_var: KUBE_NODE_NAME\n',
    )
    .replace('processors: [batch]', 'processors: [k8sattributes, batch]');
}

/** Waits until the gateway's pod table holds every pod (its self-metrics), so the window is steady. */
async function waitIndexed(metricsPort: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then(
      (r) => r.text(),
      () => '',
    );
    const m = /otelcol_otelsvc_k8s_pod_table_size\{[^}]*\} (\d+)/.exec(text);
    if (m !== null && Number(m[1]) >= PODS) return;
    await sleep(100);
  }
  throw new Error('the gateway did not index the pods in 30 s');
}

/** The same gateway with a resource processor inserting one attribute: the cost of any Resource edit. */
function resourceConfigYaml(receiverPort: number, sinkPort: number, metricsPort: number): string {
  return collectorConfig({ receiverPort, sinkPort, metricsPort, compression: 'none' })
    .replace(
      'processors:\n',
      'processors:\n  resource:\n    attributes:\n      - { key: k8s.cluster.name, value: edge, action: insert }\n',
    )
    .replace('processors: [batch]', 'processors: [resource, batch]');
}

/** k8sattributes in passthrough mode: the same Resource edit (k8s.pod.ip), no client library, no index. */
function passthroughConfigYaml(receiverPort: number, sinkPort: number, metricsPort: number): string {
  return collectorConfig({ receiverPort, sinkPort, metricsPort, compression: 'none' })
    .replace('processors:\n', 'processors:\n  k8sattributes:\n    passthrough: true\n')
    .replace('processors: [batch]', 'processors: [k8sattributes, batch]');
}

type Variant = 'forward' | 'resource' | 'passthrough' | 'k8sattributes';

function gateway(name: Variant): Middle {
  const withK8s = name === 'k8sattributes';
  return {
    name,
    label: withK8s
      ? `otlp → k8sattributes (${PODS} pods) → batch → otlp`
      : `otlp → ${name === 'resource' ? 'resource → ' : ''}batch → otlp`,
    start: async (sinkPort, ctx) => {
      const [port, metricsPort] = [await freePort(), await freePort()];
      const file = join(ctx.tmp, `${name}.yaml`);
      const yaml = withK8s
        ? k8sConfigYaml(port, sinkPort, metricsPort)
        : name === 'resource'
          ? resourceConfigYaml(port, sinkPort, metricsPort)
          : name === 'passthrough'
            ? passthroughConfigYaml(port, sinkPort, metricsPort)
            : collectorConfig({ receiverPort: port, sinkPort, metricsPort, compression: 'none' });
      writeFileSync(file, yaml);
      const child = spawnPinned(name, MIDDLE_CPU, [...GATEWAY_FLAGS, 'dist/cli/main.js', '--config', file], ctx.repo);
      if (withK8s) await waitIndexed(metricsPort);
      else
        for (
          let i = 0;
          i < 300 &&
          !(await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then(
            () => true,
            () => false,
          ));
          i++
        )
          await sleep(100);
      return { child, port, notes: [] };
    },
  };
}

/** Heap bytes per pod held by the index (pods as the API sends them, default extraction). */
function bytesPerPod(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const heap = (): number => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const store = new MetadataStore(compileRules(k8sConfig({})), { maxPods: 200_000, deleteGraceMs: 0 });
  const objects = Array.from({ length: PODS }, (_, i) =>
    JSON.stringify(
      podObject({
        name: `pod-${i}`,
        uid: `0b6c1f2e-8a3d-4f4e-9c1a-${String(i).padStart(12, '0')}`,
        ip: `10.0.${i >> 8}.${i & 255}`,
        node: 'n',
        owner: { kind: 'ReplicaSet', name: 'web-7d9f8b6c5d', uid: 'rs' },
      }),
    ),
  );
  const before = heap();
  for (const o of objects) store.upsertPod(JSON.parse(o));
  for (const p of store.podsByUid.values()) store.tagsOf(p.record);
  const after = heap();
  if (store.podsByUid.size !== PODS) throw new Error('not every pod was indexed');
  return (after - before) / PODS;
}

function restoreEnv(name: 'KUBECONFIG' | 'KUBE_NODE_NAME', value: string | undefined): void {
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- one of two known names
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

const cpuPerSpan = (m: Measurement): number => m.middleCpuS / Math.max(1, m.spans);

export const k8sattributesSuite: Suite = {
  name: 'k8sattributes',
  async run(ctx): Promise<SuiteResult> {
    const api = new KubeApiServer();
    await api.start();
    fillCluster(api);
    const saved = { KUBECONFIG: process.env['KUBECONFIG'], KUBE_NODE_NAME: process.env['KUBE_NODE_NAME'] };
    process.env['KUBECONFIG'] = api.writeKubeconfig(ctx.tmp);
    process.env['KUBE_NODE_NAME'] = 'bench-node';
    const o: RunOptions = {
      repo: ctx.repo,
      tmp: ctx.tmp,
      warmupS: WARMUP_S,
      windowS: WINDOW_S,
      conns: 4,
      inflight: 16,
      maxCalls: 400_000,
      ticksPerS: clockTicks(),
    };
    try {
      if (VARIANTS.length > 0) return await runSome(VARIANTS, o);
      const plain = await runScenario(gateway('forward'), o);
      const resource = await runScenario(gateway('resource'), o);
      const passthrough = await runScenario(gateway('passthrough'), o);
      const k8s = await runScenario(gateway('k8sattributes'), o);
      return report(plain, resource, passthrough, k8s, bytesPerPod());
    } finally {
      restoreEnv('KUBECONFIG', saved.KUBECONFIG);
      restoreEnv('KUBE_NODE_NAME', saved.KUBE_NODE_NAME);
      await api.stop();
    }
  },
};

/** Only the named variants (BENCH_K8S_VARIANTS), for profiling: their rates, no verdict. */
async function runSome(names: readonly string[], o: RunOptions): Promise<SuiteResult> {
  const lines: string[] = [];
  for (const name of names) {
    const m = await runScenario(gateway(name as Variant), o);
    lines.push(`${name}: ${(m.spans / Math.max(1e-9, m.middleCpuS)).toFixed(0)} spans per CPU-second`);
    console.log(`  ${lines.at(-1) ?? ''}`);
  }
  return { title: 'k8sattributes (some variants)', markdown: lines.join('\n'), verdicts: [] };
}

function report(
  plain: Measurement,
  resource: Measurement,
  passthrough: Measurement,
  k8s: Measurement,
  perPod: number,
): SuiteResult {
  const rate = (m: Measurement): number => m.spans / Math.max(1e-9, m.middleCpuS);
  const line = (label: string, m: Measurement): string =>
    `${label.padEnd(15)}${rate(m).toFixed(0)} spans per CPU-second (${m.spans} spans in ${m.windowS.toFixed(1)} s), peak RSS ${(m.peakRssBytes / 2 ** 20).toFixed(1)} MB`;
  const overhead = cpuPerSpan(k8s) / cpuPerSpan(plain) - 1;
  const over = (m: Measurement): string => `${((cpuPerSpan(m) / cpuPerSpan(plain) - 1) * 100).toFixed(1)} %`;
  const lines = [
    line('forward:', plain),
    line('resource:', resource),
    line('passthrough:', passthrough),
    `${line('k8sattributes:', k8s)}, ${PODS} pods indexed`,
    `CPU per span over forward: k8sattributes ${over(k8s)}, passthrough ${over(passthrough)}, resource (one insert) ${over(resource)}`,
    `index: ${perPod.toFixed(0)} heap bytes per pod (default extraction, slimmed pods, tags computed)`,
  ];
  for (const l of lines) console.log(`  ${l}`);
  const markdown = [
    `The load benchmark's gateway on CPU 1 (otlp → batch → otlp, compression none), plain and with`,
    `k8sattributes before batch, ${PODS} pods indexed from a fake API server; every request is tagged.`,
    '',
    '```',
    ...lines,
    '```',
    '',
    `Reproduce: \`BENCH_ONLY=k8sattributes BENCH_MICRO=0 npm run bench\``,
  ].join('\n');
  return {
    title: 'k8sattributes',
    markdown,
    verdicts: [
      {
        target: `k8sattributes with ${PODS} pods costs ≤ 15 % more CPU per span than the plain forward path`,
        actual: `${(overhead * 100).toFixed(1)} %`,
        pass: overhead <= TARGET_OVERHEAD,
      },
    ],
  };
}
