import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { arbSignalRequest } from '../../test/helpers/otlp-arbitrary.ts';
import { RESOURCE_FIELD, decodeRequest, encodeRequest } from '../../test/helpers/otlp-proto.ts';
import { applyActions } from '../components/attraction/apply.ts';
import { compileActions, type CompiledAction } from '../components/attraction/compile.ts';
import type { ActionConfig } from '../components/attraction/config.ts';
import { kvsFromProto, stripRaw } from '../components/attraction/proto-model.test-helper.ts';
import type { RequestContext } from '../contracts/payload.ts';
import type { Signal } from '../contracts/signal.ts';
import type { KeyValue } from './attributes.ts';
import { editItemAttributes, type ItemAttributesEditor } from './item-edit.ts';
import { WireError } from './wire.ts';

const KEYS = ['env', 'host', 'k1', 'k2'];
const arbKey = fc.constantFrom(...KEYS);
const arbAction: fc.Arbitrary<ActionConfig> = fc.oneof(
  fc.record({
    action: fc.constantFrom('insert', 'update', 'upsert'),
    key: arbKey,
    value: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
  }),
  fc.record({ action: fc.constantFrom('insert', 'upsert'), key: arbKey, from_attribute: arbKey }),
  fc.record({
    action: fc.constant('upsert'),
    key: arbKey,
    from_context: fc.constantFrom('auth.username', 'metadata.tenant'),
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
  fc.record({ key: fc.constantFrom(...KEYS), value: fc.oneof(fc.constantFrom('a-b', '12', '1.5'), fc.integer()) }),
  { maxLength: 3 },
);
const CTX: RequestContext = { auth: { username: 'alice' }, metadata: new Map([['tenant', ['t1']]]) };

function compile(configs: ActionConfig[]): readonly CompiledAction[] {
  const r = compileActions(configs);
  assert.ok(r.ok);
  return r.actions;
}

type Obj = Record<string, any>;

/** Every attribute holder of a decoded request in wire order, with the ordinal of its selection unit. */
function holders(signal: Signal, req: Obj): [number, Obj][] {
  const out: [number, Obj][] = [];
  let unit = -1;
  const scopesField = { traces: 'scopeSpans', metrics: 'scopeMetrics', logs: 'scopeLogs' }[signal];
  const itemsField = { traces: 'spans', metrics: 'metrics', logs: 'logRecords' }[signal];
  for (const entry of req[RESOURCE_FIELD[signal]] ?? [])
    for (const scope of entry[scopesField] ?? [])
      for (const item of scope[itemsField] ?? []) {
        unit++;
        if (signal !== 'metrics') {
          out.push([unit, item]);
          continue;
        }
        for (const member of ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'])
          for (const point of item[member]?.dataPoints ?? []) out.push([unit, point]);
      }
  return out;
}

function withExtra(signal: Signal, req: Obj, extra: { key: string; value: string | number }[]): Obj {
  const attrs = extra.map((e) => ({
    key: e.key,
    value: typeof e.value === 'string' ? { stringValue: e.value } : { intValue: String(e.value) },
  }));
  for (const [, h] of holders(signal, req)) h.attributes = [...(h.attributes ?? []), ...attrs];
  return req;
}

/** Selects every `every`-th selection unit (0: none), counting in wire order. */
function selector(every: number): (n: number) => boolean {
  return (n) => every !== 0 && n % every === 0;
}

test('editing item attributes on the wire equals editing the decoded request, for every signal', () => {
  fc.assert(
    fc.property(
      arbSignalRequest,
      arbExtra,
      fc.array(arbAction, { minLength: 1, maxLength: 3 }),
      fc.constantFrom(0, 1, 2, 3),
      ({ signal, request }, extra, configs, every) => {
        const bytes = encodeRequest(signal, withExtra(signal, request, extra));
        const actions = compile(configs);
        const picks = selector(every);
        let units = 0;
        let anyChange = false;
        const editor: ItemAttributesEditor = {
          selects: () => picks(units++),
          edit: (attrs) => {
            const changed = applyActions(actions, attrs, CTX);
            anyChange ||= changed;
            return changed;
          },
        };
        const out = editItemAttributes(bytes, signal, editor);
        assert.equal(out === bytes, !anyChange);
        const before = decodeRequest(signal, bytes);
        const after = decodeRequest(signal, out);
        const got = holders(signal, after);
        holders(signal, before).forEach(([unit, h], i) => {
          const expected: KeyValue[] = kvsFromProto(h.attributes);
          if (picks(unit)) applyActions(actions, expected, CTX);
          assert.deepEqual(stripRaw(kvsFromProto(got[i]![1].attributes)), stripRaw(expected));
          delete h.attributes;
          delete got[i]![1].attributes;
        });
        assert.deepEqual(after, before);
      },
    ),
    { numRuns: 200 },
  );
});

test('an item without attributes gets them appended; other fields keep their bytes and order', () => {
  const bytes = encodeRequest('logs', {
    resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityText: 'x', body: { stringValue: 'b' } }] }] }],
  });
  const editor: ItemAttributesEditor = {
    selects: () => true,
    edit: (attrs) => {
      attrs.push({ key: 'k', value: { type: 'bool', value: true } });
      return true;
    },
  };
  const got = decodeRequest('logs', editItemAttributes(bytes, 'logs', editor));
  assert.deepEqual(got.resourceLogs[0].scopeLogs[0].logRecords[0], {
    severityText: 'x',
    body: { stringValue: 'b' },
    attributes: [{ key: 'k', value: { boolValue: true } }],
  });
});

test('a split attributes field is merged in its first place', () => {
  // A span body: attributes a=1, name "n", attributes b=2 (legal protobuf: a repeated field may be split).
  const kv = (k: string, v: number) => Buffer.from([0x4a, 0x07, 0x0a, 0x01, k.charCodeAt(0), 0x12, 0x02, 0x18, v]);
  const span = Buffer.concat([kv('a', 1), Buffer.from([0x2a, 0x01, 0x6e]), kv('b', 2)]);
  const scope = Buffer.concat([Buffer.from([0x12, span.length]), span]);
  const entry = Buffer.concat([Buffer.from([0x12, scope.length]), scope]);
  const req = Buffer.concat([Buffer.from([0x0a, entry.length]), entry]);
  let seen: string[] = [];
  const out = editItemAttributes(req, 'traces', {
    selects: () => true,
    edit: (attrs) => {
      seen = attrs.map((a) => a.key);
      attrs.reverse();
      return true;
    },
  });
  assert.deepEqual(seen, ['a', 'b']);
  const s = decodeRequest('traces', out).resourceSpans[0].scopeSpans[0].spans[0];
  assert.equal(s.name, 'n');
  assert.deepEqual(
    s.attributes.map((a: Obj) => String(a.key)),
    ['b', 'a'],
  );
  assert.equal(out.indexOf(Buffer.from([0x2a, 0x01, 0x6e])) > out.indexOf(Buffer.from('b')), true);
});

test('malformed input throws WireError', () => {
  const editor: ItemAttributesEditor = { selects: () => true, edit: () => true };
  assert.throws(() => editItemAttributes(Buffer.from([0x0a, 0x05, 0x12]), 'traces', editor), WireError);
});
