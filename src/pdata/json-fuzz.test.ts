// Fuzz: random and mutated OTLP/JSON text fed to jsonToProtobuf. It may only return bytes that
// validate, or throw JsonError — never another error, never hang.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Signal } from '../contracts/signal.ts';
import { jsonToProtobuf, protobufToJson, JsonError } from './json.ts';
import { validateRequest } from './validate.ts';
import * as proto from '../../test/helpers/otlp-proto.ts';
import { arbSignal, arbSignalRequest } from '../../test/helpers/otlp-arbitrary.ts';

function check(signal: Signal, text: string): void {
  let bytes: Buffer;
  try {
    bytes = jsonToProtobuf(signal, text);
  } catch (e) {
    if (!(e instanceof JsonError)) throw e;
    return;
  }
  validateRequest(signal, bytes);
}

test('random JSON values only ever convert or throw JsonError', () => {
  fc.assert(
    fc.property(arbSignal, fc.json({ depthSize: 'small' }), (signal, text) => {
      check(signal, text);
    }),
    { numRuns: 1000 },
  );
});

test('request-shaped JSON with random leaves only ever converts or throws JsonError', () => {
  const leaf = fc.oneof(
    fc.jsonValue({ maxDepth: 1 }),
    fc.constantFrom('NaN', '0a0b', 'AQI=', 'SPAN_KIND_CLIENT', '18446744073709551616'),
  );
  fc.assert(
    fc.property(
      arbSignalRequest,
      fc.array(fc.tuple(fc.nat(), leaf), { maxLength: 4 }),
      ({ signal, request }, swaps) => {
        const json = JSON.parse(protobufToJson(signal, proto.encodeRequest(signal, request))) as unknown;
        const slots: [Record<string, unknown>, string][] = [];
        const visit = (v: unknown): void => {
          if (v === null || typeof v !== 'object') return;
          for (const [k, child] of Object.entries(v)) {
            slots.push([v as Record<string, unknown>, k]);
            visit(child);
          }
        };
        visit(json);
        for (const [at, value] of swaps) {
          const slot = slots[at % Math.max(1, slots.length)];
          if (slot !== undefined) slot[0][slot[1]] = value;
        }
        check(signal, JSON.stringify(json));
      },
    ),
    { numRuns: 400 },
  );
});

test('mutated JSON text (deleted, inserted and replaced characters) only ever converts or throws JsonError', () => {
  const edit = fc.record({
    at: fc.nat(),
    len: fc.nat({ max: 4 }),
    text: fc.constantFrom('', '{', '}', '[', '"', ',', ':', '1', '-', 'e', '\\', 'null', '99999999999999999999'),
  });
  fc.assert(
    fc.property(arbSignalRequest, fc.array(edit, { minLength: 1, maxLength: 3 }), ({ signal, request }, edits) => {
      let text = protobufToJson(signal, proto.encodeRequest(signal, request));
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.text + text.slice(at + e.len);
      }
      check(signal, text);
    }),
    { numRuns: 400 },
  );
});

test('deeply nested JSON is refused, not a stack overflow', () => {
  const deep =
    '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":' +
    '{"arrayValue":{"values":['.repeat(5000) +
    ']}}'.repeat(5000) +
    '}]}]}]}';
  assert.throws(() => jsonToProtobuf('logs', deep), JsonError);
  const deepBig = '[1234567890123456789,' + '['.repeat(10000) + ']'.repeat(10000) + ']';
  assert.throws(() => jsonToProtobuf('logs', deepBig), JsonError);
});
