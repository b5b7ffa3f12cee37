import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InternTable, type InternEntry } from './intern-table.ts';

function add(t: InternTable<InternEntry>, key: string): InternEntry {
  return t.find(key) ?? t.insert({ id: t.nextId(), key, refs: 0 });
}

test('an entry lives while referenced; its id is reused once it is gone', () => {
  const t = new InternTable<InternEntry>();
  const a = add(t, 'a');
  const b = add(t, 'b');
  assert.deepEqual([a.id, b.id, t.size], [0, 1, 2]);
  assert.equal(add(t, 'a'), a);
  t.retain(a);
  t.retain(a);
  assert.equal(t.release(a), false);
  assert.equal(t.at(0), a);
  assert.equal(t.release(a), true);
  assert.equal(t.find('a'), undefined);
  assert.equal(t.get(0), undefined);
  assert.equal(add(t, 'c').id, 0);
  t.drop(b);
  assert.deepEqual([...t.keys()], ['c']);
  assert.equal(add(t, 'd').id, 1);
  assert.equal(add(t, 'e').id, 2);
});
