// `telegate demo`: the seed's two-cluster topology on this machine, in one command — the all-in-one
// backend (UI), a gateway with TLS and basic auth, two edge collectors standing for two clusters, and
// the generator's scenario sending into both edges. Configs, CA and logs go to a data directory.
// Ctrl-C (or --duration) stops everything, upstream first. Exit codes: 0 stopped, 1 failed, 2 usage.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseDuration } from '../config/units.ts';
import { demoPlan, portsOf, type DemoPlan, type EdgePlan, type PortUse } from '../demo/plan.ts';
import { defaultDataDir, prepareDemo, type DemoFiles } from '../demo/setup.ts';
import { statusLine } from '../demo/status.ts';
import { Supervisor } from '../demo/supervisor.ts';
import { errorMessage } from '../errors/thrown.ts';

const USAGE = `usage: telegate demo [--data-dir DIR] [--port-offset N] [--ui-port N] [--rate N] [--duration D] [--max-traces N]
  --data-dir DIR     where configs, the demo CA, htpasswd and logs are kept (default ${defaultDataDir()})
  --port-offset N    add N to every port the demo takes (when the defaults are busy)
  --ui-port N        the backend UI's port (default 16686 + offset)
  --rate N           spans per second the generator sends into each edge (default 200)
  --duration D       stop by itself after D (e.g. 30s, 5m); default: run until Ctrl-C
  --max-traces N     traces the backend keeps (default 100000)`;

interface DemoOptions {
  readonly dataDir: string;
  readonly plan: DemoPlan;
  readonly rate: number;
  readonly durationMs: number | undefined;
  readonly maxTraces: number;
}

class UsageError extends Error {}

function integer(text: string | undefined, name: string, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

function parseDemoArgs(argv: readonly string[]): DemoOptions {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      'data-dir': { type: 'string' },
      'port-offset': { type: 'string' },
      'ui-port': { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      'max-traces': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const offset = integer(values['port-offset'], 'port-offset', -4000, 40_000) ?? 0;
  const uiPort = integer(values['ui-port'], 'ui-port', 1, 65_535);
  let durationMs: number | undefined;
  if (values.duration !== undefined) {
    const d = parseDuration(values.duration);
    if (!d.ok || d.value <= 0) throw new UsageError(`--duration: ${d.ok ? 'must be greater than 0' : d.message}`);
    durationMs = d.value;
  }
  return {
    dataDir: values['data-dir'] ?? defaultDataDir(),
    plan: demoPlan(offset, uiPort),
    rate: integer(values.rate, 'rate', 1, 1_000_000) ?? 200,
    durationMs,
    maxTraces: integer(values['max-traces'], 'max-traces', 1, 10_000_000) ?? 100_000,
  };
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

async function busyPorts(uses: readonly PortUse[]): Promise<PortUse[]> {
  const busy: PortUse[] = [];
  for (const use of uses) if (!(await isFree(use.port))) busy.push(use);
  return busy;
}

/** The generator's arguments for one edge: the shop scenario at `rate` spans/s, until stopped. */
function generatorArgs(edge: EdgePlan, rate: number): string[] {
  return [
    'gen',
    'traces',
    '--scenario',
    'shop',
    '--otlp-endpoint',
    `127.0.0.1:${edge.grpcPort}`,
    '--otlp-insecure',
    '--rate',
    String(rate),
    '--duration',
    'inf',
    '--allow-export-failures',
  ];
}

const LOG_LEVEL = /\t(warn|error)\t/;

function banner(o: DemoOptions, files: DemoFiles): string {
  const b = o.plan.backend;
  const edges = o.plan.edges.map(
    (e) =>
      `  ${e.name.padEnd(10)} cluster ${e.cluster}, zone ${e.zone}: OTLP 127.0.0.1:${e.grpcPort} (gRPC), :${e.httpPort} (HTTP); sends as user ${e.user}`,
  );
  return [
    '',
    "telegate demo — the seed's two-cluster topology, running on this machine",
    '',
    `  backend    all-in-one trace store; UI and Jaeger API at http://127.0.0.1:${b.uiPort}`,
    `  gateway    127.0.0.1:${o.plan.gateway.port}: TLS (demo CA) + basicauth; stamps telegate.auth.username`,
    ...edges,
    `  generator  the shop scenario (a front end, backends, a database) into each edge, ${o.rate} spans/s each`,
    '',
    `  data dir   ${files.dir} (configs: backend.yaml, gateway.yaml, ${o.plan.edges.map((e) => `${e.name}.yaml`).join(', ')}; CA, htpasswd, logs/)`,
    '',
    `Open http://127.0.0.1:${b.uiPort} and search a service (e.g. "frontend"). In a trace, each span's process`,
    'shows where it came from: k8s.cluster.name and cloud.availability_zone (added by its edge) and',
    'telegate.auth.username (the user the gateway verified). Your own apps can send to either edge too.',
    '',
    o.durationMs === undefined
      ? 'Ctrl-C stops everything.'
      : `Stops by itself after ${o.durationMs / 1000} s (or Ctrl-C).`,
    '',
  ].join('\n');
}

async function startAll(o: DemoOptions, files: DemoFiles, sup: Supervisor): Promise<void> {
  const ready = /Everything is ready/;
  await sup.start('backend', ['--config', files.configs.backend], ready);
  await sup.start('gateway', ['--config', files.configs.gateway], ready);
  for (const [i, edge] of o.plan.edges.entries())
    await sup.start(edge.name, ['--config', files.configs.edges[i] ?? ''], ready);
  // The generator prints progress only on a terminal: it is running once started.
  for (const edge of o.plan.edges) await sup.start(`gen-${edge.name}`, generatorArgs(edge, o.rate));
}

function waitForStop(durationMs: number | undefined, failed: Promise<string>, sup: Supervisor): Promise<string> {
  return new Promise((resolve) => {
    const onSignal = (sig: NodeJS.Signals): void => {
      sup.beginStop();
      resolve(`received ${sig}`);
    };
    process.once('SIGINT', onSignal).once('SIGTERM', onSignal).once('SIGHUP', onSignal);
    if (durationMs !== undefined)
      setTimeout(() => {
        resolve('duration reached');
      }, durationMs).unref();
    void failed.then(resolve);
  });
}

/** STATUS_INTERVAL_MS apart, on a terminal only: one line rewritten in place. */
const STATUS_INTERVAL_MS = 2000;

function showStatus(plan: DemoPlan): NodeJS.Timeout | undefined {
  if (!process.stdout.isTTY) return undefined;
  const timer = setInterval(() => {
    void statusLine(plan).then((line) => {
      process.stdout.write(`\r\x1b[2K${line}`);
    });
  }, STATUS_INTERVAL_MS);
  timer.unref();
  return timer;
}

/** Runs the demo; returns the exit code. */
export async function runDemo(argv: readonly string[]): Promise<number> {
  let o: DemoOptions;
  try {
    o = parseDemoArgs(argv);
  } catch (err) {
    process.stderr.write(`telegate demo: ${errorMessage(err)}\n${USAGE}\n`);
    return 2;
  }
  const busy = await busyPorts(portsOf(o.plan));
  if (busy.length > 0) {
    const list = busy.map((u) => `  ${u.port} (${u.what})`).join('\n');
    process.stderr.write(
      `telegate demo: ${busy.length === 1 ? 'a port it needs is' : 'ports it needs are'} already in use on 127.0.0.1:\n${list}\n` +
        'Choose other ports with --port-offset N (adds N to every port, e.g. --port-offset 10000), or --ui-port N for the UI alone.\n',
    );
    return 1;
  }
  process.stderr.write(`telegate demo: preparing ${o.dataDir} ...\n`);
  const files = prepareDemo(o.dataDir, o.plan, o.maxTraces);
  if (files.createdPki)
    process.stderr.write(`telegate demo: made a demo CA and the gateway's certificate (${files.caFile})\n`);
  let fail: (why: string) => void = () => undefined;
  const failed = new Promise<string>((resolve) => (fail = resolve));
  const sup = new Supervisor(
    join(o.dataDir, 'logs'),
    (name, line) => {
      if (name.startsWith('gen-') || LOG_LEVEL.test(line)) process.stderr.write(`[${name}] ${line}\n`);
    },
    (name, code, signal) => {
      fail(
        `${name} exited unexpectedly (${signal ?? `code ${String(code)}`}); see ${join(o.dataDir, 'logs', `${name}.log`)}`,
      );
    },
  );
  process.once('exit', () => {
    sup.killAll();
  });
  const stopped = waitForStop(o.durationMs, failed, sup);
  try {
    await Promise.race([startAll(o, files, sup), stopped.then((why) => Promise.reject(new Error(why)))]);
  } catch (err) {
    process.stderr.write(`telegate demo: could not start: ${errorMessage(err)}\n`);
    await sup.stopAll();
    return 1;
  }
  process.stdout.write(banner(o, files));
  const status = showStatus(o.plan);
  const why = await stopped;
  clearInterval(status);
  const ok = why.startsWith('received') || why === 'duration reached';
  if (status !== undefined) process.stdout.write('\n');
  process.stderr.write(`telegate demo: ${why}; stopping (generators, edges, gateway, backend) ...\n`);
  await sup.stopAll();
  process.stderr.write('telegate demo: stopped.\n');
  return ok ? 0 : 1;
}
