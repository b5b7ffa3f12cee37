// `telegate doctor`'s flags: one of --config and --endpoint, endpoint flags only with --endpoint, units
// parsed; a bad command line is refused before anything is dialled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDoctorArgs } from './doctor.ts';

test('the command line: one of --config and --endpoint; endpoint flags only with --endpoint', () => {
  const bad: [string[], RegExp][] = [
    [[], /either --config FILE or --endpoint/],
    [['--config', 'a.yaml', '--endpoint', 'h:1'], /either --config FILE or --endpoint/],
    [['--config', 'a.yaml', '--user', 'u'], /--user goes with --endpoint/],
    [['--endpoint', 'h:1', '--user', 'u'], /--user and --password-file go together/],
    [['--endpoint', 'h:1', '--protocol', 'udp'], /--protocol must be grpc or http/],
    [['--endpoint', 'h:1', '--body-size', 'lots'], /--body-size/],
    [['--endpoint', 'h:1', '--timeout', '0s'], /--timeout must be positive/],
    [['--frob'], /Unknown option '--frob'/],
  ];
  for (const [argv, message] of bad) assert.throws(() => parseDoctorArgs(argv), message, argv.join(' '));
  const ok = parseDoctorArgs(['--endpoint', 'h:1', '--protocol', 'http', '--body-size', '64KiB', '--insecure']);
  assert.equal(ok.endpoint?.bodyBytes, 64 * 1024);
  assert.equal(ok.endpoint.protocol, 'http');
  assert.equal(parseDoctorArgs(['--config', 'a.yaml', '--timeout', '2s']).timeoutMs, 2000);
});
