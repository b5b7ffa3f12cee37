// Issue 17's figures, measured from the parent against the store worker's collector: OTLP/HTTP ingest
// p99 and /api/services p99 while 20 clients run heavy searches (limit=1000 over two days, each asked
// again as soon as it is answered, 100 ms after a 503), beside the same without searches; then the
// worker's peak RSS while 200 concurrent `limit=0` searches are in flight, beside its steady RSS.
import { Agent, request } from 'node:http';
import { RequestGenerator, TRACES_PER_REQUEST } from './gen.ts';

/** Clients running heavy searches during the loaded window. */
export const HEAVY_SEARCHES = 20;
/** Concurrent `limit=0` searches of the RSS measurement. */
export const RSS_SEARCHES = 200;

interface Reply {
  readonly ms: number;
  readonly status: number;
}

function call(agent: Agent, url: string, body?: Buffer): Promise<Reply> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { 'content-type': 'application/x-protobuf' };
    const req = request(url, { agent, method: body === undefined ? 'GET' : 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => {
        resolve({ ms: performance.now() - t0, status: res.statusCode ?? 0 });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Latencies of one window. */
export interface WindowFigures {
  readonly ingestP50: number;
  readonly ingestP99: number;
  readonly ingests: number;
  readonly ingestFailures: number;
  readonly servicesP99: number;
  readonly services: number;
  readonly searchesAnswered: number;
  readonly searchesRefused: number;
}

/** Runs ingest and /api/services loops for `windowMs`, with `heavy` search clients beside them. */
export async function measureWindow(
  ports: { query: number; otlp: number },
  services: readonly string[],
  windowMs: number,
  heavy: number,
): Promise<WindowFigures> {
  const query = `http://127.0.0.1:${ports.query}`;
  const end = performance.now() + windowMs;
  const gen = new RequestGenerator();
  const ingestAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const servicesAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const searchAgent = new Agent({ keepAlive: true, maxSockets: heavy + 1 });
  const ingest: number[] = [];
  const svc: number[] = [];
  let ingestFailures = 0;
  let answered = 0;
  let refused = 0;
  const ingestLoop = async (): Promise<void> => {
    for (let t = 10_000_000; performance.now() < end; t += TRACES_PER_REQUEST) {
      const { request: body } = gen.next(t, Date.now() * 1000);
      const r = await call(ingestAgent, `http://127.0.0.1:${ports.otlp}/v1/traces`, body);
      ingest.push(r.ms);
      if (r.status !== 200) ingestFailures++;
    }
  };
  const servicesLoop = async (): Promise<void> => {
    while (performance.now() < end) svc.push((await call(servicesAgent, `${query}/api/services`)).ms);
  };
  const searchLoop = async (i: number): Promise<void> => {
    const service = encodeURIComponent(services[i % services.length] ?? '');
    while (performance.now() < end) {
      const r = await call(searchAgent, `${query}/api/traces?service=${service}&limit=1000&lookback=2d`);
      if (r.status === 200) answered++;
      else {
        refused++;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  await Promise.all([ingestLoop(), servicesLoop(), ...Array.from({ length: heavy }, (_, i) => searchLoop(i))]);
  for (const a of [ingestAgent, servicesAgent, searchAgent]) a.destroy();
  return {
    ingestP50: percentile(ingest, 50),
    ingestP99: percentile(ingest, 99),
    ingests: ingest.length,
    ingestFailures,
    servicesP99: percentile(svc, 99),
    services: svc.length,
    searchesAnswered: answered,
    searchesRefused: refused,
  };
}

/** Statuses of RSS_SEARCHES concurrent `limit=0` searches, sent at once over as many connections. */
export async function concurrentSearches(queryPort: number, service: string): Promise<Map<number, number>> {
  const agent = new Agent({ keepAlive: false, maxSockets: RSS_SEARCHES });
  const url = `http://127.0.0.1:${queryPort}/api/traces?service=${encodeURIComponent(service)}&limit=0&lookback=2d`;
  const replies = await Promise.all(Array.from({ length: RSS_SEARCHES }, () => call(agent, url)));
  agent.destroy();
  const statuses = new Map<number, number>();
  for (const r of replies) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  return statuses;
}

/** The worker's RSS before and during the concurrent searches, and how they were answered. */
export interface RssFigures {
  readonly steady: number;
  readonly peak: number;
  readonly statuses: Map<number, number>;
}

const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const mb = (n: number): string => `${fmt(n / 1048576, 0)} MiB`;

/** Targets of issue 17 with their figures, and the rows of the markdown table. */
export function underLoadReport(
  idle: WindowFigures,
  loaded: WindowFigures,
  rss: RssFigures,
): { verdicts: { target: string; actual: string; pass: boolean }[]; rows: [string, string, string][] } {
  const ratio = loaded.ingestP99 / idle.ingestP99;
  const rssRatio = rss.peak / rss.steady;
  const statuses = [...rss.statuses].map(([s, n]) => `${n}× ${s}`).join(', ');
  return {
    verdicts: [
      {
        target: `OTLP ingest p99 with ${HEAVY_SEARCHES} heavy searches running ≤ 2× its idle p99`,
        actual: `${fmt(loaded.ingestP99)} ms vs ${fmt(idle.ingestP99)} ms idle (${fmt(ratio, 2)}×)`,
        pass: ratio <= 2 && loaded.ingestFailures === 0 && idle.ingestFailures === 0,
      },
      {
        target: `peak RSS during ${RSS_SEARCHES} concurrent limit=0 searches ≤ 1.5× steady RSS`,
        actual: `${mb(rss.peak)} vs ${mb(rss.steady)} steady (${fmt(rssRatio, 2)}×)`,
        pass: rssRatio <= 1.5,
      },
    ],
    rows: [
      [
        'OTLP/HTTP ingest (500 spans a request) p50 / p99, idle',
        `${fmt(idle.ingestP50, 2)} / ${fmt(idle.ingestP99, 2)} ms (${idle.ingests} requests)`,
        '',
      ],
      [
        `… with ${HEAVY_SEARCHES} clients running \`limit=1000\` searches`,
        `${fmt(loaded.ingestP50, 2)} / ${fmt(loaded.ingestP99, 2)} ms (${loaded.ingests} requests; ${loaded.searchesAnswered} searches answered, ${loaded.searchesRefused} refused 503)`,
        'p99 ≤ 2× idle',
      ],
      [
        '`/api/services` p99, idle / with heavy searches',
        `${fmt(idle.servicesP99, 2)} / ${fmt(loaded.servicesP99, 2)} ms`,
        '',
      ],
      [
        `RSS steady / peak during ${RSS_SEARCHES} concurrent \`limit=0\` searches`,
        `${mb(rss.steady)} / ${mb(rss.peak)} (${fmt(rssRatio, 2)}×; answers: ${statuses})`,
        '≤ 1.5×',
      ],
    ],
  };
}
