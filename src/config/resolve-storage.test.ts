// The sending_queue.storage check on whole configs: each bad reference is one error with its YAML
// path, line and message; a good one passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { otlpExporterFactory } from '../components/exporters/otlp/factory.ts';
import { otlpReceiverFactory } from '../components/receivers/otlp/factory.ts';
import { fileStorageFactory } from '../components/extensions/file_storage/factory.ts';
import { bearerTokenAuthFactory } from '../components/extensions/bearertokenauth/factory.ts';
import { loadConfig } from './load-config.ts';
import { registryOf } from './types.ts';

const registry = registryOf([otlpReceiverFactory, otlpExporterFactory, fileStorageFactory, bearerTokenAuthFactory]);

async function check(
  storage: string,
  enabled: string,
): Promise<{ path: string; line: number | undefined; message: string }[]> {
  const yaml = `extensions:
  file_storage/q: { directory: /tmp }
  bearertokenauth: { token: t }
receivers:
  otlp: { protocols: { grpc: {} } }
exporters:
  otlp:
    endpoint: gw:4317
    sending_queue:
      storage: ${storage}
service:
  extensions: [${enabled}]
  pipelines: { traces: { receivers: [otlp], exporters: [otlp] } }
`;
  const { issues } = await loadConfig({ configs: [`yaml:${yaml}`], sets: [], env: {}, registry });
  return issues
    .filter((i) => i.path.endsWith('sending_queue.storage'))
    .map((i) => ({ path: i.path, line: i.source?.line, message: i.message }));
}

test('a storage reference must name a configured, enabled storage extension', async () => {
  assert.deepEqual(await check('file_storage/q', 'file_storage/q'), []);
  const at = { path: 'exporters.otlp.sending_queue.storage', line: 10 };
  assert.deepEqual(await check('file_storage/r', 'file_storage/q'), [
    { ...at, message: '"file_storage/r" is not configured under extensions; did you mean `file_storage/q`?' },
  ]);
  assert.deepEqual(await check('file_storage/q', 'bearertokenauth'), [
    { ...at, message: '"file_storage/q" is not in service.extensions' },
  ]);
  assert.deepEqual(await check('bearertokenauth', 'bearertokenauth'), [
    { ...at, message: '"bearertokenauth" is not a storage extension' },
  ]);
});
