// Where a small request's cost goes (issue 15: "the per-request cost is what remains: name where it goes").
// The telegate-small gateway (otlp → batch → otlp, compression none, requests of 50 spans) runs under
// `node --cpu-prof` beside the node:http2 floor (the sink as the process under test: receive, count, answer,
// nothing forwarded), each on CPU 1 under the same load; each main thread's samples in the window are put in
// categories (bench/load/profile-categories.ts) and shown as CPU-µs per request.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Child, ask, canConnect, spawnPinned, stopChild, waitForEvent } from './children.ts';
import { collectorConfig, freePort } from './collector-config.ts';
import { LOAD_CPU, MIDDLE_CPU } from './middles.ts';
import { CATEGORIES, type Category, type CpuProfile, breakdown, shares } from './profile-categories.ts';
import { clockTicks, cpuTicks, mainThreadTicks } from './proc.ts';
import type { Suite, SuiteResult } from '../suite.ts';

const SPANS = 50;
const EVENT_TIMEOUT_MS = 15_000;
const seconds = (name: string, fallback: number): number => {
  const v = Number(process.env[name] ?? fallback);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};

/** One profiled process under load. */
export interface Profiled {
  readonly name: string;
  readonly requests: number;
  readonly cpuS: number;
  readonly loopCpuS: number;
  readonly windowS: number;
  readonly shares: [Category, number][];
  readonly commands: string[];
}

/** Starts the process under test with the profiler on; resolves with its receiver port. */
async function startProfiled(which: 'telegate' | 'floor', dir: string, repo: string, tmp: string, children: Child[]) {
  const prof = ['--cpu-prof', '--cpu-prof-dir', dir];
  if (which === 'floor') {
    const child = spawnPinned('receive-small', MIDDLE_CPU, [...prof, '--import', 'tsx', 'bench/load/sink.ts'], repo);
    children.push(child);
    return { child, port: Number((await waitForEvent(child, 'ready', EVENT_TIMEOUT_MS)).port) };
  }
  const sink = spawnPinned('sink', LOAD_CPU, ['--import', 'tsx', 'bench/load/sink.ts'], repo);
  children.push(sink);
  const sinkPort = Number((await waitForEvent(sink, 'ready', EVENT_TIMEOUT_MS)).port);
  const [port, metricsPort] = [await freePort(), await freePort()];
  const file = join(tmp, 'small-profile.yaml');
  writeFileSync(file, collectorConfig({ receiverPort: port, sinkPort, metricsPort, compression: 'none' }));
  const child = spawnPinned('telegate-small', MIDDLE_CPU, [...prof, 'dist/cli/main.js', '--config', file], repo);
  children.push(child);
  for (let i = 0; i < 150 && !(await canConnect(port)); i++) {
    if (child.exited) throw new Error(`telegate exited: ${child.tail.join('\n')}`);
    await sleep(200);
  }
  return { child, port };
}

/** Sends "stop" (the bench children's clean exit) and waits for the exit; SIGKILL after 10 s. */
function exitOnStop(child: Child): Promise<void> {
  if (child.exited) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.proc.kill('SIGKILL'), 10_000);
    child.proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.proc.stdin?.write('stop\n');
  });
}

/** The main thread's profile (thread 0) the process wrote at exit. */
function readProfile(dir: string): CpuProfile {
  const file = readdirSync(dir).find((f) => /\.0\.\d+\.cpuprofile$/.test(f));
  if (file === undefined) throw new Error(`no main-thread .cpuprofile in ${dir}`);
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
}

async function profile(which: 'telegate' | 'floor', repo: string, tmp: string): Promise<Profiled> {
  const children: Child[] = [];
  const dir = join(tmp, `profile-${which}`);
  const [warmupS, windowS] = [seconds('BENCH_WARMUP', 3), seconds('BENCH_SECONDS', 8)];
  try {
    const spawnedAt = performance.now();
    const { child, port } = await startProfiled(which, dir, repo, tmp, children);
    const args = [
      '--target',
      `127.0.0.1:${port}`,
      '--spans',
      String(SPANS),
      '--seconds',
      String(warmupS + windowS + 10),
    ];
    const client = spawnPinned('client', LOAD_CPU, ['--import', 'tsx', 'bench/load/client.ts', ...args], repo);
    children.push(client);
    await waitForEvent(client, 'ready', EVENT_TIMEOUT_MS);
    await sleep(warmupS * 1000);
    const a = { t: performance.now(), cpu: cpuTicks(child.pid), loop: mainThreadTicks(child.pid) };
    const okA = Number((await ask(client, 'snap', 'snap', EVENT_TIMEOUT_MS)).ok);
    await sleep(windowS * 1000);
    const b = { t: performance.now(), cpu: cpuTicks(child.pid), loop: mainThreadTicks(child.pid) };
    const okB = Number((await ask(client, 'snap', 'snap', EVENT_TIMEOUT_MS)).ok);
    await ask(client, 'stop', 'final', EVENT_TIMEOUT_MS);
    // The profile is written at a clean exit: the sink exits on "stop", telegate on SIGTERM.
    await (which === 'floor' ? exitOnStop(child) : stopChild(child, 10_000));
    // The profile's clock starts when node does, a few ms after the spawn: the window, relative to it.
    const window = breakdown(readProfile(dir), (a.t - spawnedAt) * 1000, (b.t - spawnedAt) * 1000);
    const ticks = clockTicks();
    return {
      name: which === 'floor' ? 'receive-small (node:http2 floor)' : 'telegate-small',
      requests: okB - okA,
      cpuS: (b.cpu - a.cpu) / ticks,
      loopCpuS: (b.loop - a.loop) / ticks,
      windowS: (b.t - a.t) / 1000,
      shares: shares(window),
      commands: children.map((c) => c.command),
    };
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
  }
}

const perRequest = (p: Profiled, cpuS: number): string =>
  p.requests > 0 ? ((cpuS / p.requests) * 1e6).toFixed(1) : '–';

/** What telegate-small spends per request over the floor, the largest categories first. */
function aboveFloor(list: readonly Profiled[]): string[] {
  const [t, floor] = list;
  if (t === undefined || floor === undefined || t.requests === 0 || floor.requests === 0) return [];
  const us = (p: Profiled, cpuS: number): number => (cpuS / p.requests) * 1e6;
  const part = (p: Profiled, c: Category): number => us(p, (p.shares.find(([k]) => k === c)?.[1] ?? 0) * p.loopCpuS);
  const diffs = (Object.keys(CATEGORIES) as Category[])
    .map((c) => [c, part(t, c) - part(floor, c)] as const)
    .sort((a, b) => b[1] - a[1]);
  const sign = (x: number): string => (x >= 0 ? `+${x.toFixed(1)}` : x.toFixed(1));
  const threads = us(t, t.cpuS - t.loopCpuS) - us(floor, floor.cpuS - floor.loopCpuS);
  return [
    `Above the floor, ${t.name} spends ${sign(us(t, t.cpuS) - us(floor, floor.cpuS))} CPU-µs per request: other threads ${sign(threads)}, main thread ${diffs
      .filter(([, d]) => Math.abs(d) >= 0.5)
      .map(([c, d]) => `${c} ${sign(d)}`)
      .join(', ')}.`,
  ];
}

/** The markdown section: per-request CPU of each process, then its main thread by category. */
export function smallProfileMarkdown(list: readonly Profiled[]): string {
  const share = (p: Profiled, c: Category): number => p.shares.find(([k]) => k === c)?.[1] ?? 0;
  const cell = (p: Profiled, c: Category): string =>
    share(p, c) === 0 ? '' : `${perRequest(p, share(p, c) * p.loopCpuS)} (${(share(p, c) * 100).toFixed(1)} %)`;
  const used = (Object.keys(CATEGORIES) as Category[]).filter((c) => list.some((p) => share(p, c) > 0));
  return [
    `Requests of ${SPANS} spans (~15 KB), 16 calls in flight over 4 connections, each process on CPU 1 under \`node --cpu-prof\` (the profiler adds a few % of CPU). CPU-µs per request over the window; the categories split the **main thread's** CPU by the profile's samples in the window (node's own frames go to the telegate code that called them).`,
    '',
    `| figure | ${list.map((p) => p.name).join(' | ')} |`,
    `| --- | ${list.map(() => '---').join(' | ')} |`,
    `| requests/s | ${list.map((p) => (p.requests / p.windowS).toFixed(0)).join(' | ')} |`,
    `| CPU-s per M spans (all threads) | ${list.map((p) => (p.requests > 0 ? ((p.cpuS / (p.requests * SPANS)) * 1e6).toFixed(3) : '–')).join(' | ')} |`,
    `| CPU-µs per request, all threads | ${list.map((p) => perRequest(p, p.cpuS)).join(' | ')} |`,
    `| … of which other threads (GC helpers, libuv pool, JIT) | ${list.map((p) => perRequest(p, p.cpuS - p.loopCpuS)).join(' | ')} |`,
    `| … main thread | ${list.map((p) => perRequest(p, p.loopCpuS)).join(' | ')} |`,
    ...used.map((c) => `| main thread: ${CATEGORIES[c]} | ${list.map((p) => cell(p, c)).join(' | ')} |`),
    '',
    ...aboveFloor(list),
    '',
    `Reproduce: \`BENCH_ONLY=small-profile BENCH_MICRO=0 npm run bench\` (children: ${list.flatMap((p) => p.commands.map((c) => `\`${c}\``)).join(', ')}).`,
  ].join('\n');
}

/** `BENCH_ONLY=small-profile npm run bench`. */
export const smallProfileSuite: Suite = {
  name: 'small-profile',
  async run(ctx): Promise<SuiteResult> {
    const list = [await profile('telegate', ctx.repo, ctx.tmp), await profile('floor', ctx.repo, ctx.tmp)];
    for (const p of list)
      console.log(
        `  ${p.name}: ${perRequest(p, p.cpuS)} CPU-µs per request (${perRequest(p, p.loopCpuS)} main thread); ${p.shares.map(([c, s]) => `${c} ${(s * 100).toFixed(1)}%`).join(', ')}`,
      );
    return { title: 'Where a small request goes (profile)', markdown: smallProfileMarkdown(list), verdicts: [] };
  },
};
