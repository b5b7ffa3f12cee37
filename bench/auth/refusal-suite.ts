// How telegate's basicauth stands up to password guessing: 1,000 Export calls, each with a different
// wrong password for a user whose htpasswd entry is bcrypt cost 10, from one client address, against a
// gateway pinned to CPU 1. With throttling on (the default) exactly `max_failures` guesses pay for
// bcrypt — attempts are reserved before their hash starts, so the 8 in flight cannot slip past — and
// the rest are refused at once; the baseline, throttling off, pays bcrypt for every guess (still
// within the process-wide bound on hash work, which may refuse a guess that waits too long).
import http2 from 'node:http2';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashSync } from '@node-rs/bcrypt';
import { frameMessage } from '../../src/transport/grpc-framing.ts';
import { canConnect, spawnPinned, stopChild, type Child } from '../load/children.ts';
import { freePort } from '../load/collector-config.ts';
import { exportRequestHeaders } from '../load/grpc-h2.ts';
import { buildPayload } from '../load/payload.ts';
import { clockTicks, cpuTicks } from '../load/proc.ts';
import type { Suite, SuiteResult } from '../suite.ts';

const ATTEMPTS = 1000;
/** Throttling off pays ~60 ms of bcrypt per guess: a sample of this many is timed and scaled. */
const BASELINE_ATTEMPTS = 40;
const INFLIGHT = 8;
const TARGET_MS = 5000;

interface Outcome {
  readonly attempts: number;
  readonly wallMs: number;
  readonly cpuS: number;
  /** Password-hash checks the gateway ran (its telegate_auth_verifications_total). */
  readonly hashed: number;
  /** grpc-status → count. */
  readonly statuses: ReadonlyMap<string, number>;
}

function gatewayConfig(port: number, metricsPort: number, entry: string, throttle: boolean): string {
  return `extensions:
  basicauth/server:
    htpasswd:
      inline: |
        ${entry}
    throttle:
      enabled: ${String(throttle)}
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:${port}
        auth:
          authenticator: basicauth/server
exporters:
  debug:
    verbosity: basic
service:
  extensions: [basicauth/server]
  telemetry:
    metrics:
      address: 127.0.0.1:${metricsPort}
    logs:
      level: error
  pipelines:
    traces:
      receivers: [otlp]
      exporters: [debug]
`;
}

/** Sends `attempts` calls, `INFLIGHT` at a time, each with its own wrong password; counts statuses. */
async function guess(port: number, attempts: number, child: Child): Promise<Omit<Outcome, 'hashed'>> {
  const session = http2.connect(`http://127.0.0.1:${port}`);
  session.on('error', () => undefined);
  const body = frameMessage(buildPayload(10).bytes, false);
  const statuses = new Map<string, number>();
  let next = 0;
  const one = (i: number): Promise<void> =>
    new Promise((resolve) => {
      const headers = exportRequestHeaders(`127.0.0.1:${port}`);
      headers.authorization = `Basic ${Buffer.from(`bench:wrong-${i}`).toString('base64')}`;
      const stream = session.request(headers);
      let status = 'no status';
      const record = (s: string | string[] | undefined): void => {
        if (typeof s === 'string') status = s;
      };
      stream.on('response', (h) => {
        record(h['grpc-status']);
      });
      stream.on('trailers', (h) => {
        record(h['grpc-status']);
      });
      stream.on('close', () => {
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        resolve();
      });
      stream.on('error', () => undefined);
      stream.resume();
      stream.end(body);
    });
  const worker = async (): Promise<void> => {
    while (next < attempts) await one(next++);
  };
  const ticks0 = cpuTicks(child.pid);
  const t0 = performance.now();
  await Promise.all(Array.from({ length: INFLIGHT }, worker));
  const wallMs = performance.now() - t0;
  const cpuS = (cpuTicks(child.pid) - ticks0) / clockTicks();
  session.close();
  return { attempts, wallMs, cpuS, statuses };
}

async function measure(ctx: { repo: string; tmp: string }, throttle: boolean, attempts: number): Promise<Outcome> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const entry = `bench:${hashSync('the-right-password', 10)}`;
  const file = join(ctx.tmp, `auth-refusal-${throttle ? 'on' : 'off'}.yaml`);
  writeFileSync(file, gatewayConfig(port, metricsPort, entry, throttle));
  const child = spawnPinned('gateway', 1, ['dist/cli/main.js', '--config', file], ctx.repo);
  try {
    for (let i = 0; i < 300 && !(await canConnect(port)); i++) {
      if (child.exited) throw new Error(`the gateway exited: ${child.tail.join(' | ')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const outcome = await guess(port, attempts, child);
    return { ...outcome, hashed: await hashChecks(metricsPort) };
  } finally {
    await stopChild(child);
  }
}

async function hashChecks(metricsPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('telegate_auth_verifications_total'));
  return line === undefined ? NaN : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const NAMES: Readonly<Record<string, string>> = { '16': 'UNAUTHENTICATED', '8': 'RESOURCE_EXHAUSTED' };

function describe(o: Outcome): string {
  const answers = [...o.statuses].map(([s, n]) => `${n} × ${NAMES[s] ?? `status ${s}`}`).join(', ');
  return `${answers}; ${o.hashed} hash checks`;
}

/** The suite for bench/run.ts (`BENCH_ONLY=auth-refusal`). */
export const authRefusalSuite: Suite = {
  name: 'auth-refusal',
  async run(ctx): Promise<SuiteResult> {
    const on = await measure(ctx, true, ATTEMPTS);
    console.log(`  throttling on: ${ATTEMPTS} wrong passwords refused in ${on.wallMs.toFixed(0)} ms (${describe(on)})`);
    const off = await measure(ctx, false, BASELINE_ATTEMPTS);
    const offPerAttempt = off.wallMs / off.attempts;
    console.log(
      `  throttling off: ${BASELINE_ATTEMPTS} in ${off.wallMs.toFixed(0)} ms (${offPerAttempt.toFixed(1)} ms each; ${describe(off)})`,
    );
    const scaledMs = offPerAttempt * ATTEMPTS;
    const rows = [
      `| throttling on (default: 10 failures / 1 m) | ${ATTEMPTS} | ${on.wallMs.toFixed(0)} ms | ${on.cpuS.toFixed(2)} | ${describe(on)} |`,
      `| throttling off (baseline) | ${BASELINE_ATTEMPTS} (scaled to ${ATTEMPTS}: ${(scaledMs / 1000).toFixed(1)} s) | ${off.wallMs.toFixed(0)} ms | ${off.cpuS.toFixed(2)} | ${describe(off)} |`,
    ];
    const markdown = [
      `Wrong-password Export calls (each a different password, ${INFLIGHT} in flight, one client address) against a gateway`,
      'on CPU 1 whose only htpasswd entry is bcrypt cost 10. Time and gateway CPU-seconds for the whole run.',
      '',
      '| gateway | attempts | wall time | gateway CPU-s | answers |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
      '',
      'Reproduce: `BENCH_ONLY=auth-refusal BENCH_MICRO=0 npm run bench`',
    ].join('\n');
    return {
      title: 'basicauth: refusing 1,000 wrong passwords',
      markdown,
      verdicts: [
        {
          target: `1,000 wrong-password attempts refused in < ${TARGET_MS / 1000} s with throttling on`,
          actual: `${(on.wallMs / 1000).toFixed(2)} s (${(scaledMs / on.wallMs).toFixed(0)}× faster than without throttling)`,
          pass: on.wallMs < TARGET_MS,
        },
      ],
    };
  },
};
