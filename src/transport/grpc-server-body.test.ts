// The unary framing state machine: any split of a valid frame yields the message; limits and
// protocol violations are detected as early as possible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { frameMessage } from './grpc-framing.ts';
import { UnaryReader } from './grpc-server-body.ts';

function feed(reader: UnaryReader, bytes: Buffer, cuts: number[]): ReturnType<UnaryReader['push']> {
  let pos = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b).concat(bytes.length)) {
    const err = reader.push(bytes.subarray(pos, cut));
    pos = cut;
    if (err !== undefined) return err;
  }
  return undefined;
}

test('property: any chunking of one frame yields exactly the message', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 300 }),
      fc.array(fc.nat(310), { maxLength: 8 }),
      fc.boolean(),
      (msg, cuts, compressed) => {
        const r = new UnaryReader(1000);
        assert.equal(feed(r, frameMessage(Buffer.from(msg), compressed), cuts), undefined);
        const out = r.end();
        assert.ok(out.ok);
        assert.deepEqual(out.message, Buffer.from(msg));
        assert.equal(out.compressed, compressed);
      },
    ),
  );
});

test('a frame declaring more than the limit is refused from its header alone', () => {
  const r = new UnaryReader(10);
  const header = frameMessage(Buffer.alloc(11), false).subarray(0, 5);
  assert.deepEqual(r.push(header), { kind: 'too-large', declared: 11 });
});

test('extra bytes after the message are a protocol violation (unary calls carry one message)', () => {
  const two = Buffer.concat([frameMessage(Buffer.from('ab'), false), frameMessage(Buffer.from('c'), false)]);
  assert.equal(feed(new UnaryReader(100), two, [])?.kind, 'protocol');
  assert.equal(feed(new UnaryReader(100), two, [7])?.kind, 'protocol');
});

test('end before the message is complete, or with no message, is a protocol error', () => {
  const r = new UnaryReader(100);
  r.push(frameMessage(Buffer.from('hello'), false).subarray(0, 7));
  const out = r.end();
  assert.ok(!out.ok && out.kind === 'protocol' && /got 2 of 5/.test(out.message));
  const none = new UnaryReader(100).end();
  assert.ok(!none.ok && none.kind === 'protocol' && /no request message/.test(none.message));
});

test('a compressed-flag byte other than 0 or 1 is refused', () => {
  const bad = frameMessage(Buffer.from('x'), false);
  bad[0] = 7;
  assert.equal(new UnaryReader(100).push(bad)?.kind, 'protocol');
});

test('an empty message is valid', () => {
  const r = new UnaryReader(100);
  r.push(frameMessage(Buffer.alloc(0), false));
  const out = r.end();
  assert.ok(out.ok && out.message.length === 0);
});
