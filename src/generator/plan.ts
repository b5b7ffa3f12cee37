// How many units go in one request, and the templates for each size: traces (telemetrygen's or the
// scenario's) are sent as whole traces; metrics and logs as single items.
import { buildLogTemplate } from './logs.ts';
import { buildMetricTemplate } from './metrics.ts';
import type { GenOptions } from './options.ts';
import { buildScenarioTemplate, scenarioSpansPerTrace, SCENARIO_VARIANTS } from './scenario.ts';
import type { Template } from './template.ts';
import { buildTracePartTemplate, buildTraceTemplate, spansPerTrace } from './traces.ts';
import type { RequestPlan } from './worker.ts';

// With a rate, a request holds about this much of a second's items, so the rate is met smoothly.
const REQUESTS_PER_SECOND_AT_RATE = 10;

/** The request plan for `o`; templates are built on first use and cached by size. */
export function requestPlan(o: GenOptions): RequestPlan {
  const itemsPerUnit = o.signal !== 'traces' ? 1 : o.scenario !== '' ? scenarioSpansPerTrace(o) : spansPerTrace(o);
  const cache = new Map<number, readonly Template[]>();
  const build = (units: number): readonly Template[] => {
    if (o.signal === 'metrics') return [buildMetricTemplate(o, units)];
    if (o.signal === 'logs') return [buildLogTemplate(o, units)];
    if (o.scenario === '') return [buildTraceTemplate(o, units)];
    return Array.from({ length: SCENARIO_VARIANTS }, (_, v) => buildScenarioTemplate(o, units, v));
  };
  return {
    unitsPerRequest: unitsPerRequest(o, itemsPerUnit),
    itemsPerUnit,
    parts: splitTrace(o, itemsPerUnit),
    templates(units) {
      let t = cache.get(units);
      if (t === undefined) cache.set(units, (t = build(units)));
      return t;
    },
  };
}

function unitsPerRequest(o: GenOptions, itemsPerUnit: number): number {
  // --batch=false: one trace per request (telemetrygen's simple span processor sends one span per request).
  let units = o.batch ? Math.max(1, Math.floor(o.batchSize / itemsPerUnit)) : 1;
  if (o.rate > 0) units = Math.min(units, Math.max(1, Math.floor(o.rate / REQUESTS_PER_SECOND_AT_RATE / itemsPerUnit)));
  return units;
}

/**
 * With --batch, a telemetrygen trace of more spans than --batch-size goes out in parts of at most
 * --batch-size spans (as an SDK's batch span processor sends them), so that no request outgrows a
 * server's message limit (gRPC: 4 MiB); undefined when a trace fits in one request.
 */
function splitTrace(o: GenOptions, spans: number): readonly Template[] | undefined {
  if (o.signal !== 'traces' || o.scenario !== '' || !o.batch || spans <= o.batchSize) return undefined;
  const parts: Template[] = [];
  for (let first = 0; first < spans; first += o.batchSize)
    parts.push(buildTracePartTemplate(o, first, Math.min(o.batchSize, spans - first)));
  return parts;
}
