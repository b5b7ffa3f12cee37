// The service map (/dependencies): services as boxes in columns by call depth, calls as arrows labelled
// with their count, from the query API's /api/dependencies; a table of the same links below it.
import { fetchDependencies, type DependencyLink } from './api.ts';
import { errorBox, h, mount, s } from './dom.ts';
import { serviceColor } from './colors.ts';
import { navigate } from './router.ts';

const RANGES: readonly (readonly [string, number])[] = [
  ['Last hour', 3_600_000],
  ['Last 6 hours', 21_600_000],
  ['Last 24 hours', 86_400_000],
  ['Last 7 days', 604_800_000],
];

/** Renders the service map page. */
export function renderDependencies(app: HTMLElement): void {
  document.title = 'Service map · telegate traces';
  const range = h('select', { 'aria-label': 'Time range' });
  for (const [label, ms] of RANGES)
    range.append(h('option', { value: String(ms), selected: ms === 86_400_000 }, label));
  const body = h('div', { class: 'deps-body' });
  const load = (): void => {
    mount(body, h('p', { class: 'muted' }, 'Loading dependencies…'));
    fetchDependencies(Date.now(), Number(range.value)).then(
      (links) => {
        mount(body, ...drawMap(links));
      },
      (err: unknown) => {
        mount(body, errorBox('Could not load dependencies', err));
      },
    );
  };
  range.addEventListener('change', load);
  mount(
    app,
    h('div', { class: 'deps-page' }, h('div', { class: 'results-head' }, h('h1', {}, 'Service map'), range), body),
  );
  load();
}

/** Column of each service: the longest call chain leading to it (cycles are cut after n passes). */
function columns(links: readonly DependencyLink[]): Map<string, number> {
  const col = new Map<string, number>();
  for (const l of links) {
    col.set(l.parent, 0);
    col.set(l.child, 0);
  }
  for (let pass = 0; pass < col.size; pass++) {
    let changed = false;
    for (const l of links) {
      const want = (col.get(l.parent) ?? 0) + 1;
      if (l.parent !== l.child && (col.get(l.child) ?? 0) < want && want < col.size) {
        col.set(l.child, want);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return col;
}

const BOX_W = 180;
const BOX_H = 40;
const GAP_X = 110;
const GAP_Y = 28;
const BACK_LOOP_PX = 48;
const LANE_PX = 22;

function drawMap(links: readonly DependencyLink[]): HTMLElement[] {
  if (links.length === 0)
    return [
      h(
        'div',
        { class: 'empty' },
        h('h2', {}, 'No dependencies'),
        h('p', {}, 'No calls between services were recorded in this time range.'),
      ),
    ];
  const col = columns(links);
  const byCol = new Map<number, string[]>();
  for (const [name, c] of [...col].sort((a, b) => a[0].localeCompare(b[0])))
    byCol.set(c, [...(byCol.get(c) ?? []), name]);
  const pos = new Map<string, { x: number; y: number }>();
  let rows = 0;
  for (const [c, names] of byCol) {
    names.forEach((n, i) => pos.set(n, { x: 20 + c * (BOX_W + GAP_X), y: 20 + i * (BOX_H + GAP_Y) }));
    rows = Math.max(rows, names.length);
  }
  const width = 40 + byCol.size * BOX_W + (byCol.size - 1) * GAP_X;
  // Calls that skip a column run in their own lane under the boxes instead of through them.
  const lanes = new Map<DependencyLink, number>();
  const rowsBottom = 20 + rows * BOX_H + (rows - 1) * GAP_Y;
  for (const l of links) {
    const a = pos.get(l.parent);
    const b = pos.get(l.child);
    if (a && b && b.x - a.x > BOX_W + GAP_X) lanes.set(l, rowsBottom + 24 + lanes.size * LANE_PX);
  }
  const height = rowsBottom + 20 + BACK_LOOP_PX + lanes.size * LANE_PX;
  const svg = s('svg', {
    class: 'deps-map',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': 'Service map',
  });
  svg.append(
    s(
      'defs',
      {},
      s(
        'marker',
        {
          id: 'arrow',
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 7,
          markerHeight: 7,
          orient: 'auto-start-reverse',
        },
        s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' }),
      ),
    ),
  );
  for (const l of links) svg.append(edge(l, pos, lanes.get(l)));
  for (const [name, p] of pos) svg.append(node(name, p));
  const table = h(
    'table',
    { class: 'kv deps-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Caller'), h('th', {}, 'Callee'), h('th', {}, 'Calls'))),
    h(
      'tbody',
      {},
      ...[...links]
        .sort((a, b) => b.callCount - a.callCount)
        .map((l) =>
          h('tr', {}, h('td', {}, l.parent), h('td', {}, l.child), h('td', { class: 'num' }, String(l.callCount))),
        ),
    ),
  );
  return [h('div', { class: 'deps-scroll' }, svg), table];
}

function edge(l: DependencyLink, pos: ReadonlyMap<string, { x: number; y: number }>, lane?: number): SVGGElement {
  const a = pos.get(l.parent) ?? { x: 0, y: 0 };
  const b = pos.get(l.child) ?? { x: 0, y: 0 };
  const g = s('g', { class: 'edge' });
  let d: string;
  let mx: number;
  let my: number;
  if (l.parent === l.child) {
    d = `M${a.x + BOX_W - 30},${a.y} C${a.x + BOX_W - 30},${a.y - 30} ${a.x + BOX_W + 20},${a.y - 10} ${a.x + BOX_W},${a.y + 10}`;
    mx = a.x + BOX_W;
    my = a.y - 16;
  } else {
    const x1 = a.x + BOX_W;
    const y1 = a.y + BOX_H / 2;
    const x2 = b.x;
    const y2 = b.y + BOX_H / 2;
    if (x2 <= x1) {
      // A call back to an earlier column loops under the boxes, apart from the forward arrows.
      const bx1 = a.x + BOX_W / 2;
      const bx2 = b.x + BOX_W / 2;
      const low = Math.max(a.y, b.y) + BOX_H + BACK_LOOP_PX;
      d = `M${bx1},${a.y + BOX_H} C${bx1},${low} ${bx2},${low} ${bx2},${b.y + BOX_H}`;
      mx = (bx1 + bx2) / 2;
      my = low - 8;
    } else if (lane !== undefined) {
      const q = GAP_X / 3;
      d = `M${x1},${y1} C${x1 + q},${y1} ${x1 + q},${lane} ${x1 + 2 * q},${lane} L${x2 - 2 * q},${lane} C${x2 - q},${lane} ${x2 - q},${y2} ${x2},${y2}`;
      mx = (x1 + x2) / 2;
      my = lane - 5;
    } else {
      const bend = (x2 - x1) / 2;
      d = `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
      // The count sits three quarters along, near its callee, so a fan-out's labels do not pile up.
      const t = 0.75;
      const u = 1 - t;
      mx = u * u * u * x1 + 3 * u * u * t * (x1 + bend) + 3 * u * t * t * (x2 - bend) + t * t * t * x2;
      my = u * u * u * y1 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y2 - 6;
    }
  }
  g.append(
    s('path', { d, 'marker-end': 'url(#arrow)' }, s('title', {}, `${l.parent} → ${l.child}: ${l.callCount} calls`)),
  );
  g.append(s('text', { x: mx, y: my, 'text-anchor': 'middle', class: 'edge-label' }, String(l.callCount)));
  return g;
}

function node(name: string, p: { x: number; y: number }): SVGGElement {
  const label = name.length > 22 ? `${name.slice(0, 21)}…` : name;
  const open = (): void => {
    navigate(`/search?${new URLSearchParams({ service: name }).toString()}`);
  };
  const g = s(
    'g',
    { class: 'node', 'data-service': name, tabindex: 0, role: 'link', 'aria-label': `Search traces of ${name}` },
    s('rect', { x: p.x, y: p.y, width: BOX_W, height: BOX_H, rx: 6 }),
    s('rect', { x: p.x, y: p.y, width: 6, height: BOX_H, rx: 2, fill: serviceColor(name) }),
    s(
      'text',
      { x: p.x + 16, y: p.y + BOX_H / 2, 'dominant-baseline': 'middle' },
      label,
      s('title', {}, `${name}: search its traces`),
    ),
  );
  g.addEventListener('click', open);
  g.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') open();
  });
  return g;
}
