// Fuzz: random bytes and mutated valid requests (bit flips, truncations, corrupted lengths) fed to
// validateRequest, countItems and decodeRequest. They may only return or throw WireError, and when
// validation accepts the bytes, the other routines must agree with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Signal } from '../contracts/signal.ts';
import { validateRequest } from './validate.ts';
import { countItems } from './count.ts';
import { decodeRequest } from './decode.ts';
import { encodeRequest } from './encode.ts';
import { WireError } from './wire.ts';
import * as proto from '../../test/helpers/otlp-proto.ts';
import { arbSignal, arbSignalRequest } from '../../test/helpers/otlp-arbitrary.ts';

function outcome(fn: () => number): number | 'error' {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    assert.match(e.message, /offset \d+|nested deeper/);
    return 'error';
  }
}

function checkAll(signal: Signal, bytes: Buffer): void {
  const count = outcome(() => validateRequest(signal, bytes));
  const counted = outcome(() => countItems(signal, bytes));
  const decoded = outcome(() => {
    decodeRequest(signal, bytes);
    return 0;
  });
  if (count === 'error') return;
  assert.equal(counted, count, 'countItems agrees with validateRequest on accepted bytes');
  assert.equal(decoded, 0, 'accepted bytes decode');
  const again = encodeRequest(signal, decodeRequest(signal, bytes));
  assert.equal(validateRequest(signal, again), count, 're-encoded bytes keep the count');
}

type Mutation = { kind: 'flip' | 'truncate' | 'byte' | 'length'; at: number; value: number };
const arbMutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('flip', 'truncate', 'byte', 'length'),
  at: fc.nat(),
  value: fc.nat({ max: 255 }),
});

function mutate(bytes: Buffer, m: Mutation): Buffer {
  if (bytes.length === 0) return Buffer.from([m.value]);
  const at = m.at % bytes.length;
  const out = Buffer.from(bytes);
  switch (m.kind) {
    case 'flip':
      out[at] = out[at]! ^ (1 << (m.value & 7));
      return out;
    case 'truncate':
      return out.subarray(0, at);
    case 'byte':
      out[at] = m.value;
      return out;
    case 'length':
      // A huge length prefix (2^31 and more) where a length or tag was: must be refused before any allocation.
      return Buffer.concat([out.subarray(0, at), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), out.subarray(at)]);
  }
}

test('random bytes only ever produce a count or a WireError', () => {
  fc.assert(
    fc.property(arbSignal, fc.uint8Array({ maxLength: 200 }), (signal, raw) => {
      checkAll(signal, Buffer.from(raw));
    }),
    { numRuns: 3000 },
  );
});

test('mutated valid requests only ever produce a count or a WireError', () => {
  fc.assert(
    fc.property(arbSignalRequest, fc.array(arbMutation, { minLength: 1, maxLength: 3 }), ({ signal, request }, ms) => {
      let bytes = proto.encodeRequest(signal, request);
      for (const m of ms) bytes = mutate(bytes, m);
      checkAll(signal, bytes);
    }),
    { numRuns: 600 },
  );
});

test('random bytes inside a valid envelope reach the deep walkers', () => {
  // ResourceSpans → ScopeSpans → Span whose body is random or starts with an attribute: exercises the
  // specialised Span/KeyValue walkers.
  const prefix = fc.constantFrom([], [0x4a], [0x4a, 0x10, 0x12], [0x4a, 0x10, 0x0a, 0x01, 0x61, 0x12]);
  fc.assert(
    fc.property(prefix, fc.uint8Array({ maxLength: 120 }), (head, raw) => {
      const body = Buffer.concat([Buffer.from(head), raw]);
      const len = (b: Buffer) =>
        b.length > 0x7f ? Buffer.from([(b.length & 0x7f) | 0x80, b.length >> 7]) : Buffer.from([b.length]);
      const span = Buffer.concat([Buffer.from([0x12]), len(body), body]);
      const rs = Buffer.concat([Buffer.from([0x12]), len(span), span]);
      checkAll('traces', Buffer.concat([Buffer.from([0x0a]), len(rs), rs]));
    }),
    { numRuns: 3000 },
  );
});
