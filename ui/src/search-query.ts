// The search form's state as it lives in the page URL (/search?service=…), and its translation into
// the query API's parameters: logfmt tags to Jaeger's JSON, lookback to a start/end in microseconds.
import type { TraceQuery } from './api.ts';

/** The form's fields, as strings, exactly as in the URL. */
export interface SearchForm {
  service: string;
  operation: string;
  tags: string;
  lookback: string;
  start: string;
  end: string;
  minDuration: string;
  maxDuration: string;
  limit: string;
}

export const LOOKBACKS: readonly (readonly [string, string])[] = [
  ['5m', 'Last 5 minutes'],
  ['15m', 'Last 15 minutes'],
  ['30m', 'Last 30 minutes'],
  ['1h', 'Last hour'],
  ['2h', 'Last 2 hours'],
  ['6h', 'Last 6 hours'],
  ['12h', 'Last 12 hours'],
  ['24h', 'Last 24 hours'],
  ['2d', 'Last 2 days'],
  ['7d', 'Last 7 days'],
  ['custom', 'Custom time range'],
];

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Reads the form from URL parameters, with Jaeger UI's defaults (last hour, 20 results). */
export function formFromParams(p: URLSearchParams): SearchForm {
  return {
    service: p.get('service') ?? '',
    operation: p.get('operation') ?? '',
    tags: p.get('tags') ?? '',
    lookback: p.get('lookback') ?? '1h',
    start: p.get('start') ?? '',
    end: p.get('end') ?? '',
    minDuration: p.get('minDuration') ?? '',
    maxDuration: p.get('maxDuration') ?? '',
    limit: p.get('limit') ?? '20',
  };
}

/** The URL parameters for a form, leaving out empty fields. */
export function formToParams(f: SearchForm): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f) as [string, string][]) if (v !== '') p.set(k, v);
  if (f.lookback !== 'custom') {
    p.delete('start');
    p.delete('end');
  }
  return p;
}

/**
 * Parses logfmt tags (`http.status_code=500 error=true k="a b"`) as Jaeger UI accepts them; a bare
 * JSON object is accepted too. Throws with a message naming the bad part.
 */
export function parseTags(text: string): Record<string, string> {
  const t = text.trim();
  const out: Record<string, string> = {};
  if (t === '') return out;
  if (t.startsWith('{')) return parseJsonTags(t);
  const re = /\s*([^\s=]+)=(?:"((?:[^"\\]|\\.)*)"|(\S*))/y;
  let pos = 0;
  while (pos < t.length) {
    re.lastIndex = pos;
    const m = re.exec(t);
    if (!m?.[1]) throw new Error(`tags: expected key=value at "${t.slice(pos).trim()}"`);
    out[m[1]] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
    pos = re.lastIndex;
    while (t[pos] === ' ') pos++;
  }
  return out;
}

function parseJsonTags(t: string): Record<string, string> {
  const v: unknown = JSON.parse(t);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('tags: expected a JSON object');
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]));
}

/** The query for a form at `nowMs`; throws with a user-facing message on a bad field. */
export function toQuery(f: SearchForm, nowMs: number): TraceQuery {
  if (f.service === '') throw new Error('Choose a service.');
  const limit = Number(f.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new Error('Limit must be a positive whole number.');
  let startUs: number;
  let endUs: number;
  if (f.lookback === 'custom') {
    startUs = Date.parse(f.start) * 1000;
    endUs = f.end === '' ? nowMs * 1000 : Date.parse(f.end) * 1000;
    if (!Number.isFinite(startUs) || !Number.isFinite(endUs)) throw new Error('Enter a start and end time.');
  } else {
    const m = /^(\d+)([mhd])$/.exec(f.lookback);
    const ms = m ? Number(m[1]) * (UNIT_MS[m[2] ?? 'h'] ?? 0) : 3_600_000;
    endUs = nowMs * 1000;
    startUs = endUs - ms * 1000;
  }
  return {
    service: f.service,
    ...(f.operation ? { operation: f.operation } : {}),
    tags: parseTags(f.tags),
    startUs,
    endUs,
    ...(f.lookback !== 'custom' ? { lookback: f.lookback } : {}),
    ...(f.minDuration.trim() ? { minDuration: f.minDuration.trim() } : {}),
    ...(f.maxDuration.trim() ? { maxDuration: f.maxDuration.trim() } : {}),
    limit,
  };
}
