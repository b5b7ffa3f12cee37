// grpc-timeout values beyond what a Node timer can hold (2^31 − 1 ms, about 24.8 days) are deadlines far
// away, not expired ones: setTimeout clamps a larger delay to 1 ms, which answered DEADLINE_EXCEEDED to any
// call that took over a millisecond (found by test/fuzz: a client's deadline weeks away is legitimate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect, type ClientHttp2Session } from 'node:http2';
import { RecordingLogger } from '../../test/helpers/fakes.ts';
import { frameMessage } from './grpc-framing.ts';
import { GrpcServer, type GrpcHandler } from './grpc-server.ts';
import { parseEndpoint, type ListenTarget } from './http-server-listen.ts';

/** Answers OK after `ms`, as a pipeline that takes its time. */
const slowOk =
  (ms: number): GrpcHandler =>
  () =>
    new Promise((resolve) =>
      setTimeout(() => {
        resolve({ code: 0, response: Buffer.alloc(0) });
      }, ms),
    );

/** The grpc-status of one call with `timeout` as its grpc-timeout. */
function callStatus(session: ClientHttp2Session, timeout: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = session.request({
      ':method': 'POST',
      ':path': '/pkg.Svc/Export',
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-timeout': timeout,
    });
    let status: number | undefined;
    const read = (h: Record<string, unknown>): void => {
      if (typeof h['grpc-status'] === 'string') status = Number(h['grpc-status']);
    };
    req.on('response', read);
    req.on('trailers', read);
    req.on('data', () => undefined);
    req.on('error', reject);
    req.on('close', () => {
      if (status === undefined) reject(new Error('no grpc-status'));
      else resolve(status);
    });
    req.end(frameMessage(Buffer.from('x'), false));
  });
}

test('a grpc-timeout beyond the range of a Node timer is no deadline at all', async () => {
  const server = new GrpcServer({
    owner: 'receivers.test',
    target: parseEndpoint('127.0.0.1:0') as ListenTarget,
    methods: new Map([['/pkg.Svc/Export', slowOk(50)]]),
    maxRecvMsgBytes: 1024,
    maxConcurrentStreams: 0,
    logger: new RecordingLogger(),
  });
  const session = connect(`http://${await server.start()}`);
  await once(session, 'remoteSettings');
  try {
    // 2147484S is the first whole-second value past 2^31 − 1 ms; 99999999H is the largest grpc-timeout.
    for (const timeout of ['2147484S', '99999999S', '99999999M', '99999999H'])
      assert.equal(await callStatus(session, timeout), 0, `grpc-timeout ${timeout}`);
    // A deadline within range still expires.
    assert.equal(await callStatus(session, '10m'), 4);
  } finally {
    session.destroy();
    await server.shutdown();
  }
});
