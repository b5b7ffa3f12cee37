// The file_storage extension instance: checks (or creates) its directory at start and opens one
// segment log per persistent queue, in a subdirectory named after the queue's owner.
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Component, CreateSettings } from '../../../contracts/component.ts';
import type { QueueLog, QueueStorage } from '../../../contracts/queue-storage.ts';
import { TelegateError } from '../../../errors/catalogue.ts';
import { errorMessage } from '../../../errors/thrown.ts';
import type { FileStorageConfig } from './config.ts';
import { SegmentLog } from './segment-log.ts';

/** `exporter_otlp/edge_traces` → a file name: characters other than [A-Za-z0-9._-] become ~ and their hex code. */
export function sanitizeName(name: string): string {
  return name.replace(
    /[^A-Za-z0-9._-]/g,
    (c) => `~${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

/** The extension. */
export class FileStorage implements Component, QueueStorage {
  private readonly cfg: FileStorageConfig;
  private readonly logs = new Set<QueueLog>();

  constructor(settings: CreateSettings, cfg: FileStorageConfig) {
    this.cfg = cfg;
    settings.telemetry.observe(
      'telegate_file_storage_disk_bytes',
      'Bytes the persistent queues of this extension hold on disk (segments and ack journals).',
      { extension: settings.id.id },
      () => {
        let n = 0;
        for (const l of this.logs) n += l.diskBytes();
        return n;
      },
    );
  }

  start(): Promise<void> {
    const dir = this.cfg.directory;
    try {
      if (this.cfg.create_directory) mkdirSync(dir, { recursive: true, mode: this.dirMode() });
      if (!statSync(dir).isDirectory()) throw new Error('not a directory');
      accessSync(dir, constants.W_OK | constants.R_OK);
    } catch (err) {
      const hint = this.cfg.create_directory ? '' : ' (set create_directory: true to create it)';
      return Promise.reject(
        new TelegateError(
          'TG_STORAGE_UNAVAILABLE',
          `file_storage directory ${dir} is not usable: ${errorMessage(err)}${hint}`,
        ),
      );
    }
    return Promise.resolve();
  }

  async openQueueLog(name: string): Promise<QueueLog> {
    const log = await SegmentLog.open({
      dir: join(this.cfg.directory, sanitizeName(name)),
      fsync: this.cfg.fsync,
      lockTimeoutMs: this.cfg.timeout,
      compactOnStart: this.cfg.compaction.on_start,
      dirMode: this.dirMode(),
    });
    this.logs.add(log);
    return log;
  }

  /** Closes logs their queue did not close (an exporter that failed to start). */
  async shutdown(): Promise<void> {
    for (const l of this.logs) await l.close();
    this.logs.clear();
  }

  private dirMode(): number {
    return Number.parseInt(this.cfg.directory_permissions, 8);
  }
}
