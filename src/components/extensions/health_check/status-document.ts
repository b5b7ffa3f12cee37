// The JSON body of the health endpoint: Go healthcheckextension's `status` / `upSince` / `uptime`
// (so existing probes and scripts keep working), plus healthcheckv2extension's per-pipeline view
// (`healthy`, `status`, `status_time`, nested `components`) built from the lifecycle events.
import type { ComponentStatus } from '../../../contracts/component.ts';
import type { ComponentState, HealthState } from './health-state.ts';

/** Go's componentstatus names. */
const STATUS_NAMES: Record<ComponentStatus, string> = {
  starting: 'StatusStarting',
  ok: 'StatusOK',
  recoverable_error: 'StatusRecoverableError',
  permanent_error: 'StatusPermanentError',
  fatal_error: 'StatusFatalError',
  stopping: 'StatusStopping',
  stopped: 'StatusStopped',
};

/** Which state wins when a pipeline's components differ (Go's componentstatus aggregation, simplified). */
const PRIORITY: readonly ComponentStatus[] = [
  'fatal_error',
  'permanent_error',
  'stopping',
  'stopped',
  'recoverable_error',
  'starting',
  'ok',
];

/** One node of the status tree. */
export interface StatusNode {
  healthy: boolean;
  status: string;
  status_time: string;
  error?: string;
  components?: Record<string, StatusNode>;
}

/**
 * The whole document. `status` keeps Go v1's meaning ("Server available"); the v2 state of the
 * whole collector is `collector_status`, since both cannot be called `status`.
 */
export interface StatusDocument {
  status: string;
  upSince: string;
  uptime: string;
  healthy: boolean;
  collector_status: string;
  status_time: string;
  components: Record<string, StatusNode>;
}

/** How Go's encoding/json writes a zero time.Time. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

const isHealthy = (s: ComponentStatus): boolean => s !== 'permanent_error' && s !== 'fatal_error';

/** The state a group of components shows: the common one, or the most severe; stopped + other = stopping. */
export function aggregate(statuses: readonly ComponentStatus[]): ComponentStatus {
  const first = statuses[0];
  if (first === undefined) return 'starting';
  if (statuses.every((s) => s === first)) return first;
  const worst = PRIORITY.find((p) => statuses.includes(p)) ?? 'ok';
  return worst === 'stopped' ? 'stopping' : worst;
}

function leaf(c: ComponentState): StatusNode {
  const node: StatusNode = {
    healthy: isHealthy(c.status),
    status: STATUS_NAMES[c.status],
    status_time: new Date(c.timeMs).toISOString(),
  };
  if (c.error !== undefined) node.error = c.error.message;
  return node;
}

function group(members: readonly ComponentState[]): StatusNode {
  const status = aggregate(members.map((m) => m.status));
  const timeMs = Math.max(0, ...members.map((m) => m.timeMs));
  const components: Record<string, StatusNode> = {};
  for (const m of members) components[`${m.instance.kind}:${m.instance.id}`] = leaf(m);
  return {
    healthy: isHealthy(status),
    status: STATUS_NAMES[status],
    status_time: new Date(timeMs).toISOString(),
    components,
  };
}

/** Go's time.Duration text for `ms` (`1h2m3.5s`, `250ms`). */
export function goDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${Number(s.toFixed(3))}s`;
}

/** The status document of `state` at `nowMs`. */
export function statusDocument(state: HealthState, nowMs: number, available: boolean): StatusDocument {
  const byPipeline = new Map<string, ComponentState[]>();
  const extensions: ComponentState[] = [];
  for (const c of state.components()) {
    if (c.instance.kind === 'extension') extensions.push(c);
    for (const p of c.instance.pipelines) byPipeline.set(p, [...(byPipeline.get(p) ?? []), c]);
  }
  const components: Record<string, StatusNode> = {};
  for (const [id, members] of byPipeline) components[`pipeline:${id}`] = group(members);
  if (extensions.length > 0) components['extensions'] = group(extensions);
  // Go's handler fills upSince / uptime only while ready (a zero time.Time otherwise).
  const ready = state.readiness === 'ready';
  return {
    status: available ? 'Server available' : 'Server not available',
    upSince: ready ? new Date(state.readyAtMs).toISOString() : GO_ZERO_TIME,
    uptime: ready ? goDuration(nowMs - state.readyAtMs) : '',
    healthy: available,
    collector_status: STATUS_NAMES[aggregate(state.components().map((c) => c.status))],
    status_time: new Date(nowMs).toISOString(),
    components,
  };
}
