// The debug exporter's `normal` verbosity, as Go's internal/normal marshalers: one line per resource,
// scope, span, data point or log record.
import type { PMessage } from '../../../pdata/decode.ts';
import type { Signal } from '../../../contracts/signal.ts';
import { asString, attributePairs, goFloatF, goFloatV, hexId, int, list, msg, num, str } from './text-values.ts';
import { exponentialBuckets } from './exponential-buckets.ts';

const NAMES: Record<Signal, { resources: string; resource: string; scopes: string; scope: string }> = {
  traces: { resources: 'resourceSpans', resource: 'ResourceTraces', scopes: 'scopeSpans', scope: 'ScopeTraces' },
  metrics: { resources: 'resourceMetrics', resource: 'ResourceMetrics', scopes: 'scopeMetrics', scope: 'ScopeMetrics' },
  logs: { resources: 'resourceLogs', resource: 'ResourceLog', scopes: 'scopeLogs', scope: 'ScopeLog' },
};

/** The normal text of a decoded Export*ServiceRequest. */
export function formatNormal(signal: Signal, request: PMessage): string {
  const n = NAMES[signal];
  let out = '';
  list(request[n.resources]).forEach((rs, i) => {
    const resourceAttrs = attributePairs(msg(rs.resource).attributes);
    out += `${n.resource} #${i}${bracket(str(rs.schemaUrl))}${resourceAttrs.length > 0 ? ` ${resourceAttrs.join(' ')}` : ''}\n`;
    list(rs[n.scopes]).forEach((ss, j) => {
      const scope = msg(ss.scope);
      const scopeAttrs = attributePairs(scope.attributes);
      out += `${n.scope} #${j}${scopeDetails(str(scope.name), str(scope.version), str(ss.schemaUrl))}${scopeAttrs.length > 0 ? ` ${scopeAttrs.join(' ')}` : ''}\n`;
      out += items(signal, ss);
    });
  });
  return out;
}

function items(signal: Signal, scope: PMessage): string {
  if (signal === 'traces') return list(scope.spans).map(spanLine).join('');
  if (signal === 'logs')
    return list(scope.logRecords)
      .map((r) => `${asString(r.body)} ${attributePairs(r.attributes).join(' ')}\n`)
      .join('');
  return list(scope.metrics).map(metricLines).join('');
}

function spanLine(span: PMessage): string {
  const attrs = attributePairs(span.attributes);
  return `${str(span.name)} ${hexId(span.traceId)} ${hexId(span.spanId)}${attrs.length > 0 ? ` ${attrs.join(' ')}` : ''}\n`;
}

function metricLines(metric: PMessage): string {
  const name = str(metric.name);
  const line = (point: PMessage, value: string): string =>
    `${name}{${attributePairs(point.attributes).join(',')}} ${value}\n`;
  if (metric.gauge !== undefined || metric.sum !== undefined) {
    const data = msg(metric.gauge ?? metric.sum);
    return list(data.dataPoints)
      .map((p) =>
        line(p, p.asInt !== undefined ? int(p.asInt) : p.asDouble !== undefined ? goFloatV(num(p.asDouble)) : ''),
      )
      .join('');
  }
  if (metric.histogram !== undefined)
    return list(msg(metric.histogram).dataPoints)
      .map((p) => line(p, histogramValue(p)))
      .join('');
  if (metric.exponentialHistogram !== undefined)
    return list(msg(metric.exponentialHistogram).dataPoints)
      .map((p) => line(p, expHistogramValue(p)))
      .join('');
  if (metric.summary !== undefined)
    return list(msg(metric.summary).dataPoints)
      .map((p) => line(p, summaryValue(p)))
      .join('');
  return '';
}

function stats(p: PMessage): string {
  let v = `count=${int(p.count)}`;
  if (p.sum !== undefined) v += ` sum=${goFloatV(num(p.sum))}`;
  if (p.min !== undefined) v += ` min=${goFloatV(num(p.min))}`;
  if (p.max !== undefined) v += ` max=${goFloatV(num(p.max))}`;
  return v;
}

function histogramValue(p: PMessage): string {
  const bounds = Array.isArray(p.explicitBounds) ? (p.explicitBounds as number[]) : [];
  const counts = Array.isArray(p.bucketCounts) ? (p.bucketCounts as string[]) : [];
  return stats(p) + counts.map((c, i) => ` ${i < bounds.length ? `le${goFloatV(bounds[i] ?? 0)}=` : ''}${c}`).join('');
}

function expHistogramValue(p: PMessage): string {
  let v = stats(p);
  const b = exponentialBuckets(p);
  for (const bucket of b.negative) v += ` le${goFloatV(-bucket.lower)}=${bucket.count}`;
  if (int(p.zeroCount) !== '0') v += ` zero=${int(p.zeroCount)}`;
  for (const bucket of b.positive) v += ` le${goFloatV(bucket.upper)}=${bucket.count}`;
  return v;
}

function summaryValue(p: PMessage): string {
  const quantiles = list(p.quantileValues).map((q) => ` q${goFloatV(num(q.quantile))}=${goFloatV(num(q.value))}`);
  return `count=${int(p.count)} sum=${goFloatF(num(p.sum))}${quantiles.join('')}`;
}

function bracket(schemaUrl: string): string {
  return schemaUrl === '' ? '' : ` [${schemaUrl}]`;
}

function scopeDetails(name: string, version: string, schemaUrl: string): string {
  let d = name;
  if (version !== '') d += `@${version}`;
  if (schemaUrl !== '') d += `${d === '' ? '' : ' '}[${schemaUrl}]`;
  return d === '' ? '' : ` ${d}`;
}
