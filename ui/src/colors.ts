// Service colours: a stable preferred colour per service name, and an assignment that gives every
// service of one trace its own colour (two services of a trace never share one).

// A palette readable on white, distinct for neighbouring indexes.
const PALETTE = [
  '#1f77b4',
  '#e0872a',
  '#2ca02c',
  '#9467bd',
  '#17becf',
  '#8c564b',
  '#e377c2',
  '#5c7cfa',
  '#ae3ec9',
  '#3b5bdb',
  '#c2255c',
  '#0b7285',
  '#d9480f',
  '#5f3dc4',
  '#2b8a3e',
  '#a61e4d',
  '#1864ab',
  '#e67700',
  '#087f5b',
  '#862e9c',
];

function paletteIndex(name: string): number {
  // FNV-1a, then mixed so similar names land apart.
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  hash ^= hash >>> 15;
  hash = Math.imul(hash, 0x2c1b3c6d) >>> 0;
  hash ^= hash >>> 12;
  return (hash >>> 0) % PALETTE.length;
}

/** A stable colour per service name (the same name has the same colour on every page). */
export function serviceColor(name: string): string {
  return PALETTE[paletteIndex(name)] ?? '#1f77b4';
}

/**
 * Colours for the services of one trace, all different: each takes its preferred palette colour unless
 * an earlier one (in name order, so the result does not depend on span order) has it, then the next free
 * one; past the palette, hues spaced by the golden angle.
 */
export function assignColors(services: Iterable<string>): Map<string, string> {
  const names = [...new Set(services)].sort();
  const used = new Set<number>();
  const out = new Map<string, string>();
  let extra = 0;
  for (const name of names) {
    let i = paletteIndex(name);
    for (let step = 0; step < PALETTE.length && used.has(i); step++) i = (i + 1) % PALETTE.length;
    if (!used.has(i)) {
      used.add(i);
      out.set(name, PALETTE[i] ?? '#1f77b4');
    } else {
      out.set(name, `hsl(${Math.round((extra++ * 137.508) % 360)} 62% 42%)`);
    }
  }
  return out;
}
