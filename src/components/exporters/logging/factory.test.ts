// The logging exporter: Go's loglevel → verbosity mapping, its config errors, and that it runs the
// debug exporter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../../config/validate.ts';
import { fromPlain } from '../../../config/node.ts';
import { testHost, testSettings } from '../../../../test/helpers/fakes.ts';
import { resolveVerbosity, type LoggingExporterConfig } from './config.ts';
import { loggingExporterFactory } from './factory.ts';

function parse(yaml: Record<string, unknown>): LoggingExporterConfig {
  const result = validateConfig(
    loggingExporterFactory.configSchema,
    fromPlain(yaml, undefined),
    'exporters.logging',
    undefined,
  );
  assert.deepEqual(result.issues, []);
  return result.value as LoggingExporterConfig;
}

test('loglevel maps to verbosity as Go did; the default is normal', () => {
  assert.equal(resolveVerbosity(parse({})), 'normal');
  assert.equal(resolveVerbosity(parse({ loglevel: 'debug' })), 'detailed');
  assert.equal(resolveVerbosity(parse({ loglevel: 'info' })), 'normal');
  assert.equal(resolveVerbosity(parse({ loglevel: 'WARN' })), 'basic');
  assert.equal(resolveVerbosity(parse({ verbosity: 'detailed' })), 'detailed');
  assert.equal(parse({}).sampling_thereafter, 500);
});

test('loglevel with verbosity, or an unknown level, is a config error', () => {
  assert.match(
    loggingExporterFactory.validate?.(parse({ loglevel: 'info', verbosity: 'basic' }))[0]?.[1] ?? '',
    /'loglevel' and 'verbosity' are incompatible/,
  );
  assert.match(
    loggingExporterFactory.validate?.(parse({ loglevel: 'verbose' }))[0]?.[1] ?? '',
    /log level "verbose" is not supported/,
  );
});

test('the factory is a deprecated alias that runs the debug exporter', async () => {
  assert.match(loggingExporterFactory.deprecation ?? '', /use the debug exporter/);
  const settings = testSettings('exporter', 'logging');
  const exporter = loggingExporterFactory.create(settings, parse({ verbosity: 'basic' }), 'logs');
  await exporter.start(testHost());
  assert.equal(
    (await exporter.consume({ signal: 'logs', bytes: Buffer.alloc(0), items: 0, context: {} })).status,
    'success',
  );
  await exporter.shutdown();
  assert.deepEqual(
    settings.logger.lines.map((l) => l.msg),
    ['Logs'],
  );
});
