// Request bodies for the receiver fuzz test, as fast-check arbitraries: valid OTLP requests (random ones
// from otlp-arbitrary.ts and a fixed corpus), the corpus mutated (proto-mutate.ts), deep nesting, many
// tiny items, random bytes; and OTLP/JSON texts truncated, with wrong types, huge numbers, deep nesting.
import fc from 'fast-check';
import type { Signal } from '../../src/contracts/signal.ts';
import { protobufToJson } from '../../src/pdata/json.ts';
import { zstdAsync } from '../../src/transport/compression.ts';
import { arbRequest } from '../helpers/otlp-arbitrary.ts';
import { encodeRequest, sampleTracesRequest } from '../helpers/otlp-proto.ts';
import { sid, tid, traceRequest } from '../helpers/traces.ts';
import { deepRequest, manyItemsRequest, mutate, type Mutation } from './proto-mutate.ts';

/** A body and what it is, for the report. */
export interface Body {
  readonly label: string;
  readonly bytes: Buffer;
}

/** Valid requests of each signal, protobuf and OTLP/JSON, the mutations start from. */
export interface Corpus {
  readonly proto: Readonly<Record<Signal, readonly Buffer[]>>;
  readonly json: Readonly<Record<Signal, readonly string[]>>;
  /** The protobuf requests zstd-compressed (zstd has no synchronous codec to compress per input). */
  readonly zstd: Readonly<Record<Signal, readonly Buffer[]>>;
  /** 16 MiB of zeros in a few hundred bytes of zstd. */
  readonly zstdBomb: Buffer;
}

const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

/** Builds the corpus: a few hand-made requests plus `perSignal` random valid ones (fixed `seed`). */
export async function buildCorpus(seed: number, perSignal: number): Promise<Corpus> {
  const proto = {} as Record<Signal, Buffer[]>;
  const json = {} as Record<Signal, string[]>;
  const zstd = {} as Record<Signal, Buffer[]>;
  for (const signal of SIGNALS) {
    const random = fc.sample(arbRequest(signal), { seed, numRuns: perSignal }).map((r) => encodeRequest(signal, r));
    proto[signal] = random.filter((b) => b.length > 0);
  }
  proto.traces.push(
    encodeRequest('traces', sampleTracesRequest(3)),
    traceRequest([{ traceId: tid(1), spanId: sid(1), name: 'root', attributes: { a: 'b', n: 3 } }]),
  );
  for (const signal of SIGNALS) {
    json[signal] = proto[signal].map((b) => protobufToJson(signal, b));
    zstd[signal] = await Promise.all(proto[signal].map((b) => zstdAsync(b, 3)));
  }
  return { proto, json, zstd, zstdBomb: await zstdAsync(Buffer.alloc(16 * 1024 * 1024), 3) };
}

/** Any one mutation of proto-mutate.ts. */
export const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), bits: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('wire-type' as const), field: fc.nat(), wireType: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('huge-length' as const), field: fc.nat(), length: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), field: fc.nat(), times: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), other: fc.nat(), from: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 32 }) }),
);

const DEPTHS = [8, 31, 32, 33, 63, 64, 65, 100, 128, 1000, 5000] as const;

/** Building deep or huge bodies costs O(size²) or more: each distinct one is built once. */
const built = new Map<string, Buffer>();
function once(key: string, build: () => Buffer): Buffer {
  let b = built.get(key);
  if (b === undefined) built.set(key, (b = build()));
  return b;
}

/** Protobuf bodies of `signal`: mostly the corpus mutated. */
export function arbProtoBody(corpus: Corpus, signal: Signal): fc.Arbitrary<Body> {
  const bases = corpus.proto[signal];
  const base = fc.nat().map((i) => bases[i % bases.length] as Buffer);
  return fc.oneof(
    { weight: 2, arbitrary: base.map((bytes) => ({ label: 'proto:valid', bytes })) },
    {
      weight: 16,
      arbitrary: fc
        .tuple(base, arbMutation)
        .map(([b, m]) => ({ label: `proto:${m.kind}`, bytes: mutate(b, m, bases) })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...DEPTHS), fc.boolean()).map(([d, kv]) => ({
        label: 'proto:deep',
        bytes: once(`p${signal}${d}${kv}`, () => deepRequest(signal, d, kv)),
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(1000, 10_000, 50_000)
        .map((n) => ({ label: 'proto:many-items', bytes: once(`m${signal}${n}`, () => manyItemsRequest(signal, n)) })),
    },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => ({ label: 'proto:random', bytes: Buffer.from(a) })),
    },
  );
}

/** Literals a JSON number field may meet: out of range, negative, fractional, exponent forms. */
const HUGE_NUMBERS = [
  '1e400',
  '-1e400',
  '123456789012345678901234567890',
  '18446744073709551616',
  '-9223372036854775809',
  '-1',
  '1.5',
  '0.1e-400',
  '1E+2',
  '"NaN"',
  '"Infinity"',
  '"0x10"',
  '"12a"',
] as const;
const WRONG_VALUES = ['0', '"x"', '{}', '[]', 'null', 'true', '[[]]', '{"a":1}', '""'] as const;
const PLACEHOLDER_VALUE = '@@fuzz-placeholder@@';

type Slot = [Record<string | number, unknown>, string | number];
const parsed = new Map<string, { root: unknown; slots: Slot[] }>();

/** The object tree of `text` and every value slot in it, parsed once per corpus text. */
function tree(text: string): { root: unknown; slots: Slot[] } {
  let t = parsed.get(text);
  if (t !== undefined) return t;
  const slots: Slot[] = [];
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return;
    for (const [k, el] of Object.entries(v)) {
      slots.push([v as Record<string, unknown>, Array.isArray(v) ? Number(k) : k]);
      walk(el);
    }
  };
  const root = JSON.parse(text) as unknown;
  walk(root);
  parsed.set(text, (t = { root, slots }));
  return t;
}

/** `text` with its `n`th value replaced by `literal`. */
function replaceValue(text: string, n: number, literal: string): string {
  const { root, slots } = tree(text);
  const slot = slots[n % Math.max(1, slots.length)];
  if (slot === undefined) return literal;
  const [parent, key] = slot;
  const kept = parent[key];
  parent[key] = PLACEHOLDER_VALUE;
  const out = JSON.stringify(root).replace(`"${PLACEHOLDER_VALUE}"`, literal);
  parent[key] = kept;
  return out;
}

function deepJson(signal: Signal, depth: number, bare: boolean): string {
  if (bare) return '['.repeat(depth) + ']'.repeat(depth);
  const any = '{"arrayValue":{"values":['.repeat(depth) + '{"stringValue":"x"}' + ']}}'.repeat(depth);
  const field = signal === 'traces' ? 'resourceSpans' : signal === 'metrics' ? 'resourceMetrics' : 'resourceLogs';
  return `{"${field}":[{"resource":{"attributes":[{"key":"deep","value":${any}}]}}]}`;
}

/** OTLP/JSON bodies of `signal`: valid, truncated, mangled, wrong types, huge numbers, deep, random. */
export function arbJsonBody(corpus: Corpus, signal: Signal): fc.Arbitrary<Body> {
  const texts = corpus.json[signal];
  const text = fc.nat().map((i) => texts[i % texts.length] as string);
  const body = (label: string) => (s: string) => ({ label: `json:${label}`, bytes: Buffer.from(s) });
  return fc.oneof(
    { weight: 2, arbitrary: text.map(body('valid')) },
    { weight: 3, arbitrary: fc.tuple(text, fc.nat()).map(([t, k]) => body('truncate')(t.slice(0, k % t.length))) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(text, fc.nat(), fc.constantFrom(...'{}[]",:0-9e.\\ '.split('')))
        .map(([t, k, c]) => body('char')(t.slice(0, k % t.length) + c + t.slice((k % t.length) + 1))),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(text, fc.nat(), fc.constantFrom(...WRONG_VALUES))
        .map(([t, n, v]) => body('wrong-type')(replaceValue(t, n, v))),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(text, fc.nat(), fc.constantFrom(...HUGE_NUMBERS))
        .map(([t, n, v]) => body('huge-number')(replaceValue(t, n, v))),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(64, 65, 100, 513, 5000, 20_000), fc.boolean()).map(([d, bare]) => ({
        label: 'json:deep',
        bytes: once(`j${signal}${d}${bare}`, () => Buffer.from(deepJson(signal, d, bare))),
      })),
    },
    { weight: 1, arbitrary: fc.json({ depthSize: 'small' }).map(body('random-json')) },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 200 }).map((a) => ({ label: 'json:bytes', bytes: Buffer.from(a) })),
    },
  );
}

/** A zstd body of `signal`: a valid one, one mutated (bit flips, truncation…), or the bomb. */
export function arbZstdBody(
  corpus: Corpus,
  signal: Signal,
): fc.Arbitrary<Body & { kind: 'valid' | 'mutated' | 'bomb' }> {
  const bases = corpus.zstd[signal];
  const base = fc.nat().map((i) => bases[i % bases.length] as Buffer);
  return fc.oneof(
    base.map((bytes) => ({ label: 'zstd:valid', bytes, kind: 'valid' as const })),
    fc
      .tuple(base, arbMutation)
      .map(([b, m]) => ({ label: `zstd:${m.kind}`, bytes: mutate(b, m, bases), kind: 'mutated' as const })),
    fc.constant({ label: 'zstd:bomb', bytes: corpus.zstdBomb, kind: 'bomb' as const }),
  );
}
