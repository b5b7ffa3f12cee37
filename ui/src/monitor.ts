// The Monitor tab (/monitor?service=&lookback=&spanKind=): request rate, error rate and latency
// percentiles per service, and per operation of a chosen service, as Jaeger's Monitor tab shows them,
// but computed by telegate from the stored spans (GET /api/monitor), so no metrics store is needed.
import { appUrl } from './base.ts';
import { fetchMonitor, type MonitorData, type MonitorRow } from './api.ts';
import { serviceColor } from './colors.ts';
import { errorBox, h, mount } from './dom.ts';
import { formatDuration } from './format.ts';
import { navigate } from './router.ts';

const LOOKBACKS = [
  ['900000', 'Last 15 minutes'],
  ['3600000', 'Last hour'],
  ['21600000', 'Last 6 hours'],
  ['86400000', 'Last 24 hours'],
] as const;
const KINDS = [
  ['server', 'Server spans'],
  ['consumer', 'Consumer spans'],
  ['client', 'Client spans'],
  ['producer', 'Producer spans'],
  ['internal', 'Internal spans'],
  ['', 'All spans'],
] as const;

/** Renders the Monitor page for the URL's parameters. */
export function renderMonitor(app: HTMLElement, params: URLSearchParams): void {
  const service = params.get('service') ?? '';
  const lookback = params.get('lookback') ?? '3600000';
  const spanKind = params.get('spanKind') ?? 'server';
  const body = h('div', { class: 'monitor-body', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Computing…'));
  mount(app, h('div', { class: 'monitor-page pad' }, controls(service, lookback, spanKind), body));
  document.title = `Monitor${service ? ` ${service}` : ''} · telegate traces`;
  fetchMonitor(service, spanKind, Number(lookback) || 3600000).then(
    (data) => {
      mount(body, summaryNote(data), table(data, service, lookback, spanKind));
    },
    (err: unknown) => {
      mount(body, errorBox('Could not compute the service figures', err));
    },
  );
}

function controls(service: string, lookback: string, spanKind: string): HTMLElement {
  const choose = (name: string, options: readonly (readonly [string, string])[], value: string): HTMLSelectElement => {
    const el = h('select', { name, id: `m-${name}` });
    for (const [v, text] of options) el.append(h('option', { value: v, selected: v === value }, text));
    el.addEventListener('change', () => {
      const p = new URLSearchParams({ lookback: lb.value, spanKind: kind.value });
      if (service !== '') p.set('service', service);
      navigate(`/monitor?${p.toString()}`);
    });
    return el;
  };
  const lb = choose('lookback', LOOKBACKS, lookback);
  const kind = choose('spanKind', KINDS, spanKind);
  return h(
    'div',
    { class: 'results-head monitor-head' },
    h(
      'h2',
      {},
      service === ''
        ? 'Services'
        : h(
            'span',
            {},
            h(
              'a',
              { href: appUrl(`/monitor?lookback=${lookback}&spanKind=${spanKind}`), 'data-link': true },
              'Services',
            ),
            ` › ${service}`,
          ),
    ),
    h('label', { class: 'inline' }, lb),
    h('label', { class: 'inline' }, kind),
  );
}

function summaryNote(d: MonitorData): HTMLElement {
  // Each service reads its own traces, so a trace spanning several services is counted once per service.
  const reads = `${d.scannedTraces} trace read${d.scannedTraces === 1 ? '' : 's'} (one per service of each trace)`;
  const text = d.truncated
    ? `From ${reads}, the most recent ones (the bound per request), covering the last ${formatDuration(d.coveredUs)}.`
    : `From ${reads}.`;
  return h('p', { class: 'muted monitor-note' }, text);
}

function table(d: MonitorData, service: string, lookback: string, spanKind: string): HTMLElement {
  if (d.rows.length === 0)
    return h(
      'div',
      { class: 'empty' },
      h('h2', {}, 'No spans in this window'),
      h('p', {}, 'Widen the time range or choose another span kind.'),
    );
  const maxP95 = Math.max(1, ...d.rows.map((r) => r.p95Us));
  const head = [
    service === '' ? 'Service' : 'Operation',
    'Requests/s',
    'Error rate',
    'P50',
    'P75',
    'P95',
    'P99',
    'Calls',
    '',
  ];
  return h(
    'div',
    { class: 'panel-scroll' },
    h(
      'table',
      { class: 'kv monitor-table' },
      h('thead', {}, h('tr', {}, ...head.map((t) => h('th', {}, t)))),
      h('tbody', {}, ...d.rows.map((r) => monitorRow(r, service, lookback, spanKind, maxP95))),
    ),
  );
}

function monitorRow(r: MonitorRow, service: string, lookback: string, spanKind: string, maxP95: number): HTMLElement {
  const num = (v: string, cls = ''): HTMLElement => h('td', { class: `num ${cls}` }, v);
  const name =
    service === ''
      ? h(
          'a',
          {
            href: appUrl(`/monitor?service=${encodeURIComponent(r.service)}&lookback=${lookback}&spanKind=${spanKind}`),
            'data-link': true,
          },
          h('span', { class: 'svc-mark', style: `background:${serviceColor(r.service)}` }),
          r.service,
        )
      : h(
          'a',
          {
            href: appUrl(
              `/search?service=${encodeURIComponent(r.service)}&operation=${encodeURIComponent(r.operation)}`,
            ),
            'data-link': true,
          },
          r.operation,
        );
  return h(
    'tr',
    { 'data-service': r.service, 'data-operation': r.operation },
    h('th', {}, name),
    num(r.ratePerSec >= 10 ? r.ratePerSec.toFixed(0) : r.ratePerSec.toFixed(2)),
    num(`${(r.errorRate * 100).toFixed(1)}%`, r.errors > 0 ? 'err' : ''),
    num(formatDuration(r.p50Us)),
    num(formatDuration(r.p75Us)),
    num(formatDuration(r.p95Us)),
    num(formatDuration(r.p99Us)),
    num(String(r.calls)),
    h('td', { class: 'p95-cell' }, h('div', { class: 'p95-bar', style: `width:${(r.p95Us / maxP95) * 100}%` })),
  );
}
