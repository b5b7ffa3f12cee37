// The collector's self-metrics: counters, gauges and histograms with fixed label sets, rendered in
// the Prometheus text format (0.0.4) at service.telemetry.metrics.address. Names follow the Go
// collector's; counters are exposed with the `_total` suffix as the Go collector's Prometheus
// reader does. Instruments are bound to their labels once, so recording is one addition.
import type { Counter, Gauge, Histogram, Telemetry } from '../../contracts/component.ts';

type Labels = Readonly<Record<string, string>>;
type MetricType = 'counter' | 'gauge' | 'histogram';

interface Series {
  readonly labels: string;
  value: number;
  read?: () => number;
  buckets?: readonly number[];
  counts?: number[];
  sum?: number;
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly series: Map<string, Series>;
}

/** Escapes a label value per the Prometheus text format. */
function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function renderLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.map((k) => `${k}="${escapeLabel(labels[k] ?? '')}"`).join(',');
}

function withLabel(labels: string, extra: string): string {
  return labels === '' ? extra : `${labels},${extra}`;
}

function braces(labels: string): string {
  return labels === '' ? '' : `{${labels}}`;
}

/** An in-process metrics registry; one per service. Metric level `none` makes it inert. */
export class MetricsRegistry implements Telemetry {
  private readonly families = new Map<string, Family>();
  private readonly constLabels: string;

  constructor(constLabels: Labels = {}) {
    this.constLabels = renderLabels(constLabels);
  }

  counter(name: string, help: string, labels: Labels): Counter {
    const s = this.series(`${name}_total`, help, 'counter', labels);
    return {
      add(n: number): void {
        s.value += n;
      },
    };
  }

  gauge(name: string, help: string, labels: Labels): Gauge {
    const s = this.series(name, help, 'gauge', labels);
    return {
      set(v: number): void {
        s.value = v;
      },
    };
  }

  observe(name: string, help: string, labels: Labels, read: () => number): void {
    this.series(name, help, 'gauge', labels).read = read;
  }

  histogram(name: string, help: string, labels: Labels, buckets: readonly number[]): Histogram {
    const s = this.series(name, help, 'histogram', labels);
    const bounds = [...buckets].sort((a, b) => a - b);
    const counts = new Array<number>(bounds.length + 1).fill(0);
    s.buckets = bounds;
    s.counts = counts;
    s.sum = 0;
    return {
      record(v: number): void {
        let i = 0;
        while (i < bounds.length && v > (bounds[i] as number)) i++;
        counts[i] = (counts[i] ?? 0) + 1;
        s.sum = (s.sum ?? 0) + v;
      },
    };
  }

  /** The current value of a series (tests, `telegate` status output); undefined when absent. */
  value(name: string, labels: Labels): number | undefined {
    const s = (this.families.get(name) ?? this.families.get(`${name}_total`))?.series.get(this.key(labels));
    if (!s) return undefined;
    return s.read ? s.read() : s.value;
  }

  /** Renders every family in the Prometheus text exposition format. */
  render(): string {
    const out: string[] = [];
    for (const f of [...this.families.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      out.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} ${f.type}`);
      for (const s of f.series.values()) this.renderSeries(out, f, s);
    }
    return out.join('\n') + '\n';
  }

  private renderSeries(out: string[], f: Family, s: Series): void {
    const labels = s.labels;
    if (f.type !== 'histogram') {
      out.push(`${f.name}${braces(labels)} ${formatNumber(s.read ? safeRead(s.read) : s.value)}`);
      return;
    }
    const bounds = s.buckets ?? [];
    const counts = s.counts ?? [];
    let cumulative = 0;
    bounds.forEach((b, i) => {
      cumulative += counts[i] ?? 0;
      out.push(`${f.name}_bucket${braces(withLabel(labels, `le="${formatNumber(b)}"`))} ${cumulative}`);
    });
    cumulative += counts[bounds.length] ?? 0;
    out.push(`${f.name}_bucket${braces(withLabel(labels, 'le="+Inf"'))} ${cumulative}`);
    out.push(
      `${f.name}_sum${braces(labels)} ${formatNumber(s.sum ?? 0)}`,
      `${f.name}_count${braces(labels)} ${cumulative}`,
    );
  }

  private key(labels: Labels): string {
    const rendered = renderLabels(labels);
    if (this.constLabels === '') return rendered;
    return rendered === '' ? this.constLabels : `${rendered},${this.constLabels}`;
  }

  private series(name: string, help: string, type: MetricType, labels: Labels): Series {
    let f = this.families.get(name);
    if (!f) {
      f = { name, help, type, series: new Map() };
      this.families.set(name, f);
    } else if (f.type !== type) {
      throw new Error(`metric ${name} registered as ${f.type} and ${type}`);
    }
    const key = this.key(labels);
    let s = f.series.get(key);
    if (!s) {
      s = { labels: key, value: 0 };
      f.series.set(key, s);
    }
    return s;
  }
}

function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function safeRead(read: () => number): number {
  try {
    return read();
  } catch {
    return NaN;
  }
}
