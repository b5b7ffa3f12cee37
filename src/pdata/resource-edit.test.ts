import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { arbSignalRequest } from '../../test/helpers/otlp-arbitrary.ts';
import { RESOURCE_FIELD, decodeRequest, encodeRequest } from '../../test/helpers/otlp-proto.ts';
import { applyActions } from '../components/attraction/apply.ts';
import { compileActions, type CompiledAction } from '../components/attraction/compile.ts';
import type { ActionConfig } from '../components/attraction/config.ts';
import { kvsFromProto, kvsToProto, stripRaw } from '../components/attraction/proto-model.test-helper.ts';
import type { RequestContext } from '../contracts/payload.ts';
import type { KeyValue } from './attributes.ts';
import { editResourceChunks, editResources } from './resource-edit.ts';
import { WireError } from './wire.ts';

const KEYS = ['env', 'host', 'k1', 'k2'];
const arbKey = fc.constantFrom(...KEYS);
const arbRawValue = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
);
const arbAction: fc.Arbitrary<ActionConfig> = fc.oneof(
  fc.record({ action: fc.constantFrom('insert', 'update', 'UPSERT'), key: arbKey, value: arbRawValue }),
  fc.record({
    action: fc.constantFrom('insert', 'update', 'upsert'),
    key: arbKey,
    from_attribute: fc.constantFrom('env', 'host', 'k1'),
  }),
  fc.record({
    action: fc.constantFrom('insert', 'upsert'),
    key: arbKey,
    from_context: fc.constantFrom('metadata.tenant', 'auth.username', 'client.address', 'tenant', 'auth.missing'),
  }),
  fc.record({ action: fc.constantFrom('delete', 'hash'), key: arbKey }),
  fc.record({ action: fc.constantFrom('delete', 'hash'), pattern: fc.constantFrom('^k', '.', 'v$') }),
  fc.record({ action: fc.constant('extract'), key: arbKey, pattern: fc.constant('^(?P<k1>[a-z]*)-(?P<k2>.*)$') }),
  fc.record({
    action: fc.constant('convert'),
    key: arbKey,
    converted_type: fc.constantFrom('string', 'int', 'double'),
  }),
);
const arbExtra = fc.array(
  fc.record({
    key: fc.constantFrom(...KEYS, ''),
    value: fc.oneof(fc.constantFrom('a-b', '12', '1.5', 'x'), fc.integer()),
  }),
  { maxLength: 4 },
);
const CTX: RequestContext = {
  clientAddress: '10.1.2.3:4567',
  auth: { username: 'alice' },
  metadata: new Map([['tenant', ['t1', 't2']]]),
};

function compile(configs: ActionConfig[]): readonly CompiledAction[] {
  const r = compileActions(configs);
  assert.ok(r.ok);
  return r.actions;
}

/** Adds attributes with keys the actions use to every resource that has one. */
function withExtra(
  req: Record<string, any>,
  field: string,
  extra: { key: string; value: string | number }[],
): Record<string, any> {
  const attrs = extra.map((e) => ({
    key: e.key,
    value: typeof e.value === 'string' ? { stringValue: e.value } : { intValue: String(e.value) },
  }));
  for (const entry of req[field] ?? []) {
    if (entry.resource) entry.resource.attributes = [...(entry.resource.attributes ?? []), ...attrs];
  }
  return req;
}

/** The entry without its Resource attributes; an absent Resource reads as an empty one. */
function rest(entry: Record<string, any>): Record<string, any> {
  const { attributes: _a, ...resource } = entry.resource ?? {};
  return { ...entry, resource };
}

test('editing Resource bytes equals editing the decoded request, for every signal', () => {
  fc.assert(
    fc.property(
      arbSignalRequest,
      arbExtra,
      fc.array(arbAction, { minLength: 1, maxLength: 4 }),
      ({ signal, request }, extra, configs) => {
        const field = RESOURCE_FIELD[signal];
        const bytes = encodeRequest(signal, withExtra(request, field, extra));
        const actions = compile(configs);
        let anyChange = false;
        const out = editResources(bytes, (attrs) => {
          const changed = applyActions(actions, attrs, CTX);
          anyChange ||= changed;
          return changed;
        });
        const before = decodeRequest(signal, bytes);
        const after = decodeRequest(signal, out);
        assert.equal(out === bytes, !anyChange);
        const entries: Record<string, any>[] = before[field] ?? [];
        assert.equal((after[field] ?? []).length, entries.length);
        entries.forEach((entry, i) => {
          const expected: KeyValue[] = kvsFromProto(entry.resource?.attributes);
          applyActions(actions, expected, CTX);
          const got = after[field][i];
          assert.deepEqual(stripRaw(kvsFromProto(got.resource?.attributes)), stripRaw(expected));
          assert.deepEqual(rest(got), rest(entry));
        });
      },
    ),
    { numRuns: 150 },
  );
});

test('an entry without a Resource gets one when an action inserts', () => {
  const bytes = encodeRequest('logs', { resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityText: 'x' }] }] }] });
  const out = editResources(bytes, (attrs) =>
    applyActions(compile([{ action: 'insert', key: 'env', value: 'prod' }]), attrs, {}),
  );
  const got = decodeRequest('logs', out);
  assert.deepEqual(got.resourceLogs[0].resource.attributes, [{ key: 'env', value: { stringValue: 'prod' } }]);
  assert.equal(got.resourceLogs[0].scopeLogs[0].logRecords[0].severityText, 'x');
});

test('a repeated Resource field is merged as protobuf does, and written once', () => {
  const r1 = encodeRequest('traces', {
    resourceSpans: [{ resource: { attributes: kvsToProto([{ key: 'a', value: { type: 'string', value: '1' } }]) } }],
  });
  // The same entry with a second Resource field appended inside it (dropped_attributes_count = 7).
  const body = Buffer.concat([r1.subarray(2), Buffer.from([0x0a, 0x02, 0x10, 0x07])]);
  const req = Buffer.concat([Buffer.from([0x0a, body.length]), body]);
  let seen: KeyValue[] = [];
  const out = editResources(req, (attrs) => {
    seen = [...attrs];
    attrs.push({ key: 'b', value: { type: 'bool', value: true } });
    return true;
  });
  assert.deepEqual(stripRaw(seen), [{ key: 'a', value: { type: 'string', value: '1' } }]);
  const got = decodeRequest('traces', out);
  assert.equal(got.resourceSpans[0].resource.droppedAttributesCount, 7);
  assert.deepEqual(
    kvsFromProto(got.resourceSpans[0].resource.attributes).map((a) => a.key),
    ['a', 'b'],
  );
});

test('malformed input throws WireError', () => {
  assert.throws(() => editResources(Buffer.from([0x0a, 0x05, 0x0a]), () => true), WireError);
});

test('an edit allocates only the edited Resources: everything else is a view of the input', () => {
  const spans = Array.from({ length: 200 }, (_, i) => ({
    traceId: Buffer.alloc(16, 1),
    spanId: Buffer.alloc(8, 2),
    name: `operation-${i}-${'x'.repeat(200)}`,
  }));
  const entry = (svc: string): unknown => ({
    resource: { attributes: [{ key: 'service.name', value: { stringValue: svc } }] },
    scopeSpans: [{ spans }],
  });
  const input = encodeRequest('traces', { resourceSpans: [entry('a'), entry('b')] });
  const chunks = editResourceChunks(input, (attrs) => {
    attrs.push({ key: 'k8s.pod.ip', value: { type: 'string', value: '10.0.0.1' } });
    return true;
  });
  assert.ok(chunks !== null);
  const fresh = chunks.filter((c) => c.buffer !== input.buffer).reduce((n, c) => n + c.length, 0);
  assert.ok(fresh < 200, `${fresh} new bytes for a ${input.length}-byte request`);
  const out = decodeRequest('traces', Buffer.concat(chunks)) as {
    resourceSpans: { resource: { attributes: { key: string }[] }; scopeSpans: { spans: unknown[] }[] }[];
  };
  assert.deepEqual(
    out.resourceSpans.map((rs) => rs.resource.attributes.map((a) => a.key)),
    [
      ['service.name', 'k8s.pod.ip'],
      ['service.name', 'k8s.pod.ip'],
    ],
  );
  assert.equal(out.resourceSpans[1]?.scopeSpans[0]?.spans.length, 200);
  assert.equal(
    editResourceChunks(input, () => false),
    null,
    'nothing changed: no chunks',
  );
});
