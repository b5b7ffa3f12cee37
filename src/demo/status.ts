// The demo's live status line on a terminal: what the gateway accepted and refused (its own
// self-metrics, as Prometheus text) and how many services the backend holds (the Jaeger API), so a
// user sees data flowing before opening the UI. Read-only; a failed read shows as "?".
import type { DemoPlan } from './plan.ts';

const FETCH_TIMEOUT_MS = 2000;

/** Sum of every sample of `metric` (any labels) in Prometheus text. */
export function sumMetric(text: string, metric: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(metric) || (line[metric.length] !== '{' && line[metric.length] !== ' ')) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

async function text(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

const count = (n: number | undefined): string => (n === undefined ? '?' : n.toLocaleString('en-US'));

/** One status line, e.g. `gateway: 12,345 spans accepted, 0 refused · backend: 7 services`. */
export async function statusLine(plan: DemoPlan): Promise<string> {
  const [metrics, services] = await Promise.all([
    text(`http://127.0.0.1:${plan.gateway.metricsPort}/metrics`),
    text(`http://127.0.0.1:${plan.backend.uiPort}/api/services`),
  ]);
  const accepted = metrics === undefined ? undefined : sumMetric(metrics, 'otelcol_receiver_accepted_spans_total');
  const refused = metrics === undefined ? undefined : sumMetric(metrics, 'otelcol_receiver_refused_spans_total');
  let serviceCount: number | undefined;
  if (services !== undefined) {
    try {
      const body = JSON.parse(services) as { data?: unknown };
      serviceCount = Array.isArray(body.data) ? body.data.length : undefined;
    } catch {
      serviceCount = undefined;
    }
  }
  return `gateway: ${count(accepted)} spans accepted, ${count(refused)} refused · backend: ${count(serviceCount)} services`;
}
