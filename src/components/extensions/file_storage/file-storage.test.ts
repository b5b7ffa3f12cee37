import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from 'typebox/value';
import { testSettings } from '../../../../test/helpers/fakes.ts';
import { FileStorageConfigSchema, validateFileStorageConfig, type FileStorageConfig } from './config.ts';
import { FileStorage, sanitizeName } from './file-storage.ts';

function config(extra: Partial<FileStorageConfig>): FileStorageConfig {
  const cfg = Value.Default(FileStorageConfigSchema, {}) as FileStorageConfig;
  return { ...cfg, timeout: 100, compaction: { ...cfg.compaction, check_interval: 5000 }, ...extra };
}

test("defaults are the contrib extension's", () => {
  const cfg = Value.Default(FileStorageConfigSchema, {}) as Record<string, unknown>;
  assert.equal(cfg.directory, '/var/lib/otelcol/file_storage');
  assert.equal(cfg.timeout, '1s');
  assert.equal(cfg.fsync, false);
  assert.equal(cfg.create_directory, false);
  assert.equal(cfg.directory_permissions, '0750');
  assert.deepEqual(
    { ...(cfg.compaction as object), check_interval: undefined },
    {
      on_start: false,
      on_rebound: false,
      directory: '',
      max_transaction_size: 65536,
      rebound_needed_threshold_mib: 100,
      rebound_trigger_threshold_mib: 10,
      check_interval: undefined,
      cleanup_on_start: false,
    },
  );
});

test('validate reports an empty directory, bad permissions and a negative timeout', () => {
  assert.deepEqual(validateFileStorageConfig(config({ directory: '/x' })), []);
  assert.deepEqual(
    validateFileStorageConfig(config({ directory: '', directory_permissions: 'rwx', timeout: -1 })).map(([p]) => p),
    ['directory', 'directory_permissions', 'timeout'],
  );
});

test('names are made safe for a file name, unambiguously', () => {
  assert.equal(sanitizeName('exporter_otlp/edge_traces'), 'exporter_otlp~002Fedge_traces');
  assert.equal(sanitizeName('a~b'), 'a~007Eb');
  assert.equal(sanitizeName('ok.name-1'), 'ok.name-1');
});

test('start: a missing directory fails with a hint unless create_directory; a file is not a directory', async () => {
  const root = mkdtempSync(join(tmpdir(), 'telegate-fs-'));
  const missing = join(root, 'a/b');
  const settings = testSettings('extension', 'file_storage');
  await assert.rejects(
    new FileStorage(settings, config({ directory: missing })).start(),
    /file_storage directory .* is not usable: .*\(set create_directory: true to create it\)/,
  );
  await new FileStorage(settings, config({ directory: missing, create_directory: true })).start();
  assert.ok(statSync(missing).isDirectory());
  const file = join(root, 'f');
  writeFileSync(file, '');
  await assert.rejects(new FileStorage(settings, config({ directory: file })).start(), /not a directory/);
});

test('opens one log per queue, reports disk bytes, and closes them at shutdown', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'telegate-fs-'));
  const settings = testSettings('extension', 'file_storage/q');
  const storage = new FileStorage(
    settings,
    config({ directory: dir, compaction: { ...config({}).compaction, on_start: true } }),
  );
  await storage.start();
  const log = await storage.openQueueLog('exporter_otlp_traces');
  await log.append([Buffer.from('abc')], 1);
  assert.equal(settings.telemetry.get('telegate_file_storage_disk_bytes', { extension: 'file_storage/q' }), 24 + 3);
  await storage.shutdown();
  assert.equal(existsSync(join(dir, 'exporter_otlp_traces', 'LOCK')), false);
  await storage.shutdown();
});

test('a queue directory removed under a running log: appends are refused with a storage error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'telegate-fs-'));
  const storage = new FileStorage(testSettings('extension', 'file_storage'), config({ directory: dir }));
  const log = await storage.openQueueLog('q');
  rmSync(join(dir, 'q'), { recursive: true });
  await assert.rejects(log.append([Buffer.from('x')], 1), { code: 'TG_STORAGE_UNAVAILABLE' });
  await storage.shutdown();
});
