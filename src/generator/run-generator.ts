// The generator as a library: runGenerator(options, { signal, onProgress }) runs the workers against
// one exporter until the duration passes, the counts are sent, an export fails (unless
// --allow-export-failures) or the signal aborts, and returns the summary. `telegate gen` and
// `telegate demo` both call it.
import { grpcExporter } from './exporter-grpc.ts';
import { httpExporter } from './exporter-http.ts';
import type { Exporter } from './exporter.ts';
import type { GenOptions } from './options.ts';
import { withOAuth2Token } from './oauth2-token.ts';
import { requestPlan } from './plan.ts';
import { Stats, type GenProgress } from './stats.ts';
import { Patcher } from './template.ts';
import { runWorker, type RunControl } from './worker.ts';

export type { GenProgress } from './stats.ts';

/** What a run did. */
export interface GenSummary extends GenProgress {
  readonly signal: GenOptions['signal'];
  /** 'spans', 'data points' or 'log records'. */
  readonly unit: string;
  /** Failure reasons and how many requests each failed (at most 20 distinct). */
  readonly failures: readonly { readonly reason: string; readonly requests: number }[];
  /** Stopped by the abort signal before its end. */
  readonly interrupted: boolean;
  /** Stopped early because an export failed. */
  readonly stoppedOnFailure: boolean;
  /** CPU time of this process during the run. */
  readonly cpuMs: number;
}

/** Hooks for a caller. */
export interface RunHooks {
  readonly signal?: AbortSignal;
  /** Called every `o.intervalMs` while running. */
  readonly onProgress?: (p: GenProgress) => void;
  /** For tests: an exporter instead of the one the options describe. */
  readonly exporter?: Exporter;
}

const UNITS = { traces: 'spans', metrics: 'data points', logs: 'log records' } as const;

/** Runs the generator; rejects only on bad options (an endpoint that cannot be parsed, an unreadable file) or when no OAuth2 token can be had. */
export async function runGenerator(options: GenOptions, hooks: RunHooks = {}): Promise<GenSummary> {
  const o = await withOAuth2Token(options);
  const plan = requestPlan(o);
  const exporter = hooks.exporter ?? (o.http ? httpExporter(o, o.workers * o.inflight) : grpcExporter(o));
  const stats = new Stats();
  const cpuStart = process.cpuUsage();
  let stoppedOnFailure = false;
  const control: RunControl = {
    stopped: false,
    patcher: new Patcher(),
    stats,
    onFailure: () => {
      if (o.allowExportFailures || control.stopped) return;
      stoppedOnFailure = true;
      control.stopped = true;
    },
  };
  const stop = (): void => {
    control.stopped = true;
  };
  hooks.signal?.addEventListener('abort', stop, { once: true });
  const timers = startTimers(o, stop, hooks.onProgress, stats);
  const units = o.durationMs > 0 ? Infinity : o.count;
  try {
    await Promise.all(
      Array.from({ length: o.workers }, () =>
        runWorker({ plan, exporter, rate: o.rate, units, inflight: o.inflight }, control),
      ),
    );
  } finally {
    for (const t of timers) clearTimeout(t);
    hooks.signal?.removeEventListener('abort', stop);
    await exporter.close();
  }
  const cpu = process.cpuUsage(cpuStart);
  return {
    ...stats.snapshot(),
    signal: o.signal,
    unit: UNITS[o.signal],
    failures: [...stats.reasons].map(([reason, requests]) => ({ reason, requests })),
    interrupted: hooks.signal?.aborted === true,
    stoppedOnFailure,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

function startTimers(
  o: GenOptions,
  stop: () => void,
  onProgress: ((p: GenProgress) => void) | undefined,
  stats: Stats,
): NodeJS.Timeout[] {
  const timers: NodeJS.Timeout[] = [];
  if (o.durationMs > 0 && Number.isFinite(o.durationMs)) timers.push(setTimeout(stop, o.durationMs));
  if (onProgress !== undefined)
    timers.push(
      setInterval(() => {
        onProgress(stats.snapshot());
      }, o.intervalMs),
    );
  return timers;
}
