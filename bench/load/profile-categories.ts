// Where a process's main-thread CPU goes, from a V8 .cpuprofile (`node --cpu-prof`): each sample in a time
// window is put in one category by its innermost frame, and node's own work (http2, streams, events) by the
// innermost telegate frame that called it. Frames of the bundled dist/ are mapped back to src/ through its
// source maps, so the categories read the same from `node dist/cli/main.js` and `node --import tsx`.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The parts of a V8 CPU profile read here. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  readonly children?: readonly number[];
}

/** The categories, in the order they are shown, with what each holds. */
export const CATEGORIES = {
  gc: 'garbage collection (main thread)',
  native: '(program): native code outside JS: nghttp2, socket reads and writes, libuv, V8 runtime',
  'h2-server': 'node:http2 / streams / events called by the receiver: stream read, respond, trailers',
  'h2-other':
    'node:http2 / streams / events / timers with no telegate frame: session callbacks, stream creation, teardown',
  receiver: 'receiver JS: gRPC framing and call checks, admission, the OTLP service',
  validate: 'span validation (or the sink’s span count): per span, not per request',
  auth: 'authentication',
  batch: 'batch processor',
  exporter: 'exporter JS and the node:http2 client it drives (queue, gRPC client call)',
  other: 'other (telemetry, runtime, module loading)',
} as const;

/** A category key. */
export type Category = keyof typeof CATEGORIES;

/** Main-thread samples per category, in microseconds of the window. */
export type Breakdown = Map<Category, number>;

/** The category of a frame's own code, from its source path; undefined for node's own and V8's frames. */
function codeCategory(path: string): Category | undefined {
  if (/\/src\/pdata\/validate|\/bench\/load\/span-count/.test(path)) return 'validate';
  if (/\/src\/components\/(extensions\/(basicauth|oidc)|authhelper)/.test(path)) return 'auth';
  if (path.includes('/src/components/processors/batch/')) return 'batch';
  if (/\/src\/components\/(exporters|exporterhelper)\/|\/src\/transport\/grpc-client/.test(path)) return 'exporter';
  if (/\/src\/(transport|components\/receivers)\/|\/bench\/load\/sink/.test(path)) return 'receiver';
  if (path.includes('/src/') || path.includes('/bench/') || path.includes('node_modules')) return 'other';
  return undefined;
}

/** Source paths of frames in the bundle, through its source maps (cached per file). */
class SourcePaths {
  private readonly maps = new Map<string, SourceMap | undefined>();

  of(frame: ProfileNode['callFrame']): string {
    if (!frame.url.startsWith('file://') || !frame.url.includes('/dist/')) return frame.url;
    const file = `${fileURLToPath(frame.url)}.map`;
    if (!this.maps.has(file))
      this.maps.set(
        file,
        existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as never) : undefined,
      );
    const entry = this.maps.get(file)?.findEntry(frame.lineNumber, frame.columnNumber);
    const source = entry !== undefined && 'originalSource' in entry ? entry.originalSource : undefined;
    return source === undefined ? frame.url : `/${source.replace(/^(\.\.\/)+/, '')}`;
  }
}

/** The category of each profile node: its own code's, or for node's frames its nearest telegate caller's. */
function nodeCategories(profile: CpuProfile): Map<number, Category | 'idle'> {
  const paths = new SourcePaths();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = new Map<number, Category | 'idle'>();
  for (const n of profile.nodes) {
    const name = n.callFrame.functionName;
    if (name === '(idle)' || name === '(root)') out.set(n.id, 'idle');
    else if (name === '(garbage collector)') out.set(n.id, 'gc');
    else if (name === '(program)') out.set(n.id, 'native');
    else out.set(n.id, codeCategory(paths.of(n.callFrame)) ?? callerCategory(n.id, byId, parent, paths));
  }
  return out;
}

/** Node's own frame: the category of the nearest caller with code of ours on the stack. */
function callerCategory(
  id: number,
  byId: ReadonlyMap<number, ProfileNode>,
  parent: ReadonlyMap<number, number>,
  paths: SourcePaths,
): Category {
  for (let up = parent.get(id); up !== undefined; up = parent.get(up)) {
    const frame = byId.get(up)?.callFrame;
    const c = frame === undefined ? undefined : codeCategory(paths.of(frame));
    if (c === 'receiver') return 'h2-server';
    if (c !== undefined) return c;
  }
  return 'h2-other';
}

/** Microseconds of main-thread samples per category between `fromUs` and `toUs` after the profile's start. */
export function breakdown(profile: CpuProfile, fromUs = 0, toUs = Infinity): Breakdown {
  const categories = nodeCategories(profile);
  const out: Breakdown = new Map();
  let t = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (t < fromUs || t > toUs) continue;
    const c = categories.get(profile.samples[i] ?? -1);
    if (c === undefined || c === 'idle') continue;
    out.set(c, (out.get(c) ?? 0) + dt);
  }
  return out;
}

/** Each category's share of the busy samples (0–1), in CATEGORIES order, zero ones left out. */
export function shares(b: Breakdown): [Category, number][] {
  const busy = [...b.values()].reduce((a, v) => a + v, 0);
  return (Object.keys(CATEGORIES) as Category[])
    .filter((c) => (b.get(c) ?? 0) > 0)
    .map((c) => [c, busy > 0 ? (b.get(c) ?? 0) / busy : 0]);
}
