// The `file_storage` extension factory (the contrib collector's name): a directory where exporters'
// persistent sending queues (`sending_queue.storage: file_storage/NAME`) keep their data.
import type { ExtensionFactory } from '../../../contracts/component.ts';
import { FileStorageConfigSchema, validateFileStorageConfig, type FileStorageConfig } from './config.ts';
import { FileStorage } from './file-storage.ts';

/** `extensions: file_storage:` */
export const fileStorageFactory: ExtensionFactory<FileStorageConfig> = {
  kind: 'extension',
  type: 'file_storage',
  stability: { extension: 'alpha' },
  description: 'Local file system storage for persistent sending queues: a checksummed write-ahead segment log.',
  configSchema: FileStorageConfigSchema,
  validate: validateFileStorageConfig,
  create: (settings, config) => new FileStorage(settings, config),
};
