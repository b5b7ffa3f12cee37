// The parts of doctor that need no peer: the padded probe is a valid, empty export of exactly the
// size asked; the batch estimate follows the batch processor; answers a proxy makes up are named;
// the printout marks each step.
import { test } from 'node:test';
import { createServer, type AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { validateRequest } from '../pdata/validate.ts';
import { proxyAnswerFailure, describeAnswer } from './answer.ts';
import { fromItems, SPAN_BYTES } from './batch-bytes.ts';
import type { ProbeAnswer } from './grpc-probe.ts';
import { EMPTY_EXPORT, paddedExport } from './probe-body.ts';
import { formatReport, formatSummary } from './print.ts';
import { checkTcp } from './tcp.ts';
import { fail, pass, skip, type TargetReport } from './result.ts';
import type { DoctorTarget } from './target.ts';
import { tlsClientSettings } from '../transport/grpc-client-tls.ts';

const target: DoctorTarget = {
  name: 'otlp',
  signal: 'traces',
  protocol: 'grpc',
  host: 'gateway.example.com',
  port: 443,
  authority: 'gateway.example.com:443',
  useTls: true,
  tls: tlsClientSettings(),
  plaintextSetting: 'exporters.otlp.tls.insecure: true',
  headers: {},
  probeBytes: 1024,
  probeReason: 'test',
};

function answer(over: Partial<ProbeAnswer>): ProbeAnswer {
  return {
    ok: true,
    httpStatus: 200,
    contentType: '',
    grpcStatus: undefined,
    grpcMessage: '',
    text: '',
    headers: {},
    ...over,
  };
}

test('a padded export has exactly the size asked, holds no span and passes the receiver check', () => {
  for (const bytes of [8, 100, 127, 128, 129, 16_384, 16_385, 150_000, 2 * 1024 * 1024]) {
    const body = paddedExport(bytes);
    assert.equal(body.length, bytes, `size ${bytes}`);
    assert.equal(validateRequest('traces', body), 0, `size ${bytes} holds no item`);
  }
  assert.equal(validateRequest('traces', EMPTY_EXPORT), 0);
});

test('the batch estimate: items × span size, divided by the gzip ratio when compressing', () => {
  assert.equal(fromItems(1000, false, false).bytes, 1000 * SPAN_BYTES);
  assert.equal(fromItems(1000, true, false).bytes, (1000 * SPAN_BYTES) / 4);
  assert.match(fromItems(8192, true, true).reason, /send_batch_max_size is 0: batches can be larger/);
});

test('a proxy relaying a backend reply without status line, a 502 and a plain 404 each get their finding', () => {
  const table: [Partial<ProbeAnswer>, string, RegExp][] = [
    [{ httpStatus: 0, headers: { server: 'nginx/1.22.1' } }, 'http1-upstream', /proxy \(nginx\) passed the call/],
    [{ httpStatus: 502, contentType: 'text/html', text: '<center>nginx</center>' }, 'bad-gateway', /answered HTTP 502/],
    [{ httpStatus: 404, contentType: 'text/plain' }, 'not-grpc', /HTTP 404 \(text\/plain\) without a gRPC status/],
  ];
  for (const [over, finding, detail] of table) {
    const failure = proxyAnswerFailure(target, answer(over));
    assert.equal(failure.finding, finding);
    assert.match(failure.detail, detail);
    assert.match(failure.fix, /backend-protocol: GRPC/);
  }
  assert.doesNotMatch(proxyAnswerFailure({ ...target, protocol: 'http' }, answer({ httpStatus: 503 })).fix, /GRPC/);
  assert.equal(describeAnswer(answer({ grpcStatus: 16 })), 'gRPC status UNAUTHENTICATED');
});

test('the printout: ✔, ✘ with cause and fix, – for skipped; the summary counts passing endpoints', () => {
  const report: TargetReport = {
    name: 'otlp',
    endpoint: 'gateway.example.com:443',
    steps: [
      pass('dns', 'resolves'),
      fail('tcp', { finding: 'refused', detail: 'nothing listens', cause: 'down', fix: 'start it' }),
      skip('tls', 'not run'),
    ],
  };
  assert.equal(
    formatReport(report),
    [
      'otlp → gateway.example.com:443',
      '  ✔ DNS       resolves',
      '  ✘ TCP       nothing listens',
      '      cause: down',
      '      fix:   start it',
      '  – TLS       not run',
    ].join('\n'),
  );
  assert.equal(formatSummary([report]), '0 of 1 endpoint pass');
  assert.equal(formatSummary([{ ...report, steps: [pass('dns', 'ok')] }]), 'all 1 endpoint pass');
});

test('TCP falls back to the next address, as a client does (localhost may resolve to ::1 first)', async (t) => {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  const closed = await new Promise<number>((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const p = (probe.address() as AddressInfo).port;
      probe.close(() => {
        resolve(p);
      });
    });
  });
  const local = { ...target, host: 'localhost', port };
  const found = await checkTcp(local, ['::1', '127.0.0.1'], 2000);
  assert.equal(found.result.outcome, 'pass');
  assert.equal(found.address, '127.0.0.1');
  const refused = await checkTcp({ ...local, port: closed }, ['127.0.0.1'], 2000);
  assert.equal(refused.result.finding, 'refused');
  assert.equal(refused.address, undefined);
});
