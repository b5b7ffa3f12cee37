// The duration-over-time scatter plot above the search results: one dot per trace (x: start time,
// y: duration, size: span count, red: has errors); clicking a dot opens the trace.
import { s } from './dom.ts';
import { formatDuration, formatTime } from './format.ts';
import { navigate } from './router.ts';
import type { TraceSummary } from './trace-model.ts';

const W = 900;
const H = 170;
const PAD = { left: 64, right: 16, top: 12, bottom: 26 };

/** An SVG scatter plot of the summaries. */
export function renderScatter(list: readonly TraceSummary[]): SVGSVGElement {
  const svg = s('svg', {
    class: 'scatter',
    viewBox: `0 0 ${W} ${H}`,
    role: 'img',
    'aria-label': 'Trace durations over time',
  });
  if (list.length === 0) return svg;
  let t0 = Infinity;
  let t1 = -Infinity;
  let dMax = 1;
  for (const t of list) {
    t0 = Math.min(t0, t.startUs);
    t1 = Math.max(t1, t.startUs);
    dMax = Math.max(dMax, t.durationUs);
  }
  // A single trace (or all at once) still gets a visible time axis.
  if (t1 - t0 < 1000) {
    t0 -= 500_000;
    t1 += 500_000;
  }
  const x = (us: number): number => PAD.left + ((us - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  // Round gridlines: up to five steps of 1, 2 or 5 × 10^k.
  const step = niceStep(dMax / 5);
  const steps = Math.max(1, Math.ceil(dMax / step));
  dMax = step * steps;
  const y = (us: number): number => H - PAD.bottom - (us / dMax) * (H - PAD.top - PAD.bottom);
  drawAxes(svg, t0, t1, step, steps, x, y);
  for (const t of list) {
    const r = 3.5 + Math.min(6, Math.log2(Math.max(1, t.spanCount)));
    const dot = s(
      'circle',
      {
        cx: x(t.startUs).toFixed(1),
        cy: y(t.durationUs).toFixed(1),
        r: r.toFixed(1),
        class: t.errorCount > 0 ? 'dot err' : 'dot',
        'data-trace-id': t.traceID,
        tabindex: 0,
      },
      s('title', {}, `${t.name}\n${formatDuration(t.durationUs)} · ${t.spanCount} spans\n${formatTime(t.startUs)}`),
    );
    const open = (): void => {
      navigate(`/trace/${t.traceID}`);
    };
    dot.addEventListener('click', open);
    dot.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') open();
    });
    svg.append(dot);
  }
  return svg;
}

function drawAxes(
  svg: SVGSVGElement,
  t0: number,
  t1: number,
  step: number,
  steps: number,
  x: (us: number) => number,
  y: (us: number) => number,
): void {
  for (let i = 0; i <= steps; i++) {
    const d = step * i;
    const yy = y(d).toFixed(1);
    svg.append(s('line', { x1: PAD.left, x2: W - PAD.right, y1: yy, y2: yy, class: 'grid' }));
    svg.append(
      s(
        'text',
        { x: PAD.left - 8, y: yy, class: 'axis', 'text-anchor': 'end', 'dominant-baseline': 'middle' },
        d === 0 ? '0' : formatDuration(d),
      ),
    );
  }
  for (let i = 0; i <= 4; i++) {
    const t = t0 + ((t1 - t0) * i) / 4;
    const anchor = i === 0 ? 'start' : i === 4 ? 'end' : 'middle';
    svg.append(
      s('text', { x: x(t).toFixed(1), y: H - 6, class: 'axis', 'text-anchor': anchor }, timeLabel(t, t1 - t0)),
    );
  }
}

/** The smallest 1, 2 or 5 × 10^k at or above `raw`, so axis labels are round numbers. */
export function niceStep(raw: number): number {
  const pow = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

/** A time label precise enough to tell the ticks of a `spanUs` wide axis apart. */
function timeLabel(us: number, spanUs: number): string {
  const full = formatTime(us);
  if (spanUs < 10_000_000) return full.slice(11, 23);
  if (spanUs < 86_400_000_000) return full.slice(11, 19);
  return full.slice(5, 16);
}
