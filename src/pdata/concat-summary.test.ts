// concatRequests and summarizeRequest against protobufjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { concatRequests } from './concat.ts';
import { summarizeRequest } from './summary.ts';
import { validateRequest } from './validate.ts';
import * as proto from '../../test/helpers/otlp-proto.ts';
import { arbRequest, arbSignal } from '../../test/helpers/otlp-arbitrary.ts';

const totalLength = (parts: readonly Buffer[]): number => parts.reduce((n, p) => n + p.length, 0);

test("decode(concat(a, b)) holds a's resource entries followed by b's", () => {
  fc.assert(
    fc.property(
      arbSignal.chain((s) => fc.tuple(fc.constant(s), fc.array(arbRequest(s), { minLength: 1, maxLength: 3 }))),
      ([signal, requests]) => {
        const parts = requests.map((r) => proto.encodeRequest(signal, r));
        const joined = concatRequests(parts, totalLength(parts));
        const field = proto.RESOURCE_FIELD[signal];
        const expected = requests.flatMap((r) => (r[field] as unknown[] | undefined) ?? []);
        assert.deepEqual(proto.decodeRequest(signal, joined)[field] ?? [], expected);
        assert.equal(
          validateRequest(signal, joined),
          parts.reduce((n, p) => n + validateRequest(signal, p), 0),
        );
      },
    ),
    { numRuns: 100 },
  );
});

test('a single part is returned as is, without a copy', () => {
  const one = proto.encodeRequest('logs', {});
  assert.equal(concatRequests([one], one.length), one);
  assert.equal(concatRequests([], 0).length, 0);
});

test('summarizeRequest counts resource entries, scopes, metrics and items like the decoded request', () => {
  fc.assert(
    fc.property(
      arbSignal.chain((s) => fc.tuple(fc.constant(s), arbRequest(s))),
      ([signal, request]) => {
        const bytes = proto.encodeRequest(signal, request);
        const decoded = proto.decodeRequest(signal, bytes);
        const resources = (decoded[proto.RESOURCE_FIELD[signal]] ?? []) as Record<string, any>[];
        const scopes = resources.flatMap(
          (rs) => (rs.scopeSpans ?? rs.scopeMetrics ?? rs.scopeLogs ?? []) as Record<string, any>[],
        );
        const metrics = scopes.reduce((n, ss) => n + ((ss.metrics ?? []) as unknown[]).length, 0);
        assert.deepEqual(summarizeRequest(signal, bytes), {
          resources: resources.length,
          scopes: scopes.length,
          metrics,
          items: validateRequest(signal, bytes),
        });
      },
    ),
    { numRuns: 150 },
  );
});
