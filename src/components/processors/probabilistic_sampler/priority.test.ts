import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyValue } from '../../../../test/helpers/otlp-proto.ts';
import { WireReader } from '../../../pdata/wire.ts';
import { parseGoFloat, priorityOfAttribute } from './priority.ts';
import { PRIORITY_DEFER, PRIORITY_DO_NOT_SAMPLE, PRIORITY_MUST_SAMPLE } from './span-decision.ts';

const kv = (key: string, value: Record<string, unknown>) =>
  Buffer.from(KeyValue.encode(KeyValue.fromObject({ key, value })).finish());

test("Go's Test_parseSpanSamplingPriority table", () => {
  const rows: [value: Record<string, unknown>, priority: number][] = [
    [{ boolValue: true }, PRIORITY_DEFER],
    [{ intValue: 0 }, PRIORITY_DO_NOT_SAMPLE],
    [{ intValue: 1 }, PRIORITY_MUST_SAMPLE],
    [{ intValue: -1 }, PRIORITY_DEFER],
    [{ doubleValue: 0 }, PRIORITY_DO_NOT_SAMPLE],
    [{ doubleValue: 1 }, PRIORITY_MUST_SAMPLE],
    [{ doubleValue: -1 }, PRIORITY_DEFER],
    [{ stringValue: '0.0' }, PRIORITY_DO_NOT_SAMPLE],
    [{ stringValue: '0.5' }, PRIORITY_MUST_SAMPLE],
    [{ stringValue: '-0.5' }, PRIORITY_DEFER],
    [{ stringValue: 'NaN' }, PRIORITY_DEFER],
    [{ stringValue: 'high' }, PRIORITY_DEFER],
    [{}, PRIORITY_DEFER],
  ];
  for (const [value, priority] of rows) {
    const b = kv('sampling.priority', value);
    assert.equal(priorityOfAttribute(new WireReader(b), b, 0, b.length), priority, JSON.stringify(value));
  }
  const other = kv('sampling.priorityx', { intValue: 1 });
  assert.equal(priorityOfAttribute(new WireReader(other), other, 0, other.length), undefined);
});

test("strings are read as Go's strconv.ParseFloat reads them", () => {
  const rows: [s: string, v: number][] = [
    ['1', 1],
    ['+2.5e1', 25],
    ['.5', 0.5],
    ['0x1p-2', 0.25],
    ['-0x.8p1', -1],
    ['Inf', Infinity],
    ['-infinity', -Infinity],
    ['1e-400', 0],
  ];
  for (const [s, v] of rows) assert.equal(parseGoFloat(s), v, s);
  for (const s of ['', '1e400', '0x1', '1_0', 'nan', ' 1', '0xp1']) assert.ok(Number.isNaN(parseGoFloat(s)), s);
});
