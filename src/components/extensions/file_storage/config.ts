// The `file_storage` extension's config, key for key as the contrib filestorage extension's (same
// names and defaults). bbolt-specific settings (compaction transaction size, rebound thresholds) are
// accepted for compatibility and documented as having no effect: telegate's segment log reclaims
// space by deleting whole segments as soon as their records are acknowledged.
import Type, { type Static } from 'typebox';
import { Duration } from '../../../config/blocks/primitives.ts';

/** Go's default directory on Linux. */
export const DEFAULT_DIRECTORY = '/var/lib/otelcol/file_storage';

const Compaction = Type.Object(
  {
    on_start: Type.Boolean({
      default: false,
      description:
        'At start, rewrite the records left to send into one fresh segment (drops acknowledged and damaged bytes).',
    }),
    on_rebound: Type.Boolean({
      default: false,
      description:
        'Accepted for compatibility; always on in telegate: a segment is deleted once all its records are acknowledged.',
    }),
    directory: Type.String({
      default: '',
      description:
        'Accepted for compatibility; the on_start rewrite uses a temp file in the queue directory itself (a rename must not cross filesystems).',
    }),
    max_transaction_size: Type.Integer({
      default: 65536,
      description: 'Accepted for compatibility (a bbolt setting); no effect.',
    }),
    rebound_needed_threshold_mib: Type.Integer({
      default: 100,
      description: 'Accepted for compatibility (a bbolt setting); no effect.',
    }),
    rebound_trigger_threshold_mib: Type.Integer({
      default: 10,
      description: 'Accepted for compatibility (a bbolt setting); no effect.',
    }),
    check_interval: Duration({
      default: '5s',
      description: 'Accepted for compatibility (a bbolt setting); no effect.',
    }),
    cleanup_on_start: Type.Boolean({
      default: false,
      description: 'Accepted for compatibility: leftover temp files (`*.tmp`) are always removed at open.',
    }),
  },
  { default: {}, additionalProperties: false, description: "When to reclaim disk space (Go's compaction block)." },
);

/** The file_storage config schema. */
export const FileStorageConfigSchema = Type.Object(
  {
    directory: Type.String({
      default: DEFAULT_DIRECTORY,
      description:
        'Directory holding the data (one subdirectory per persistent queue). Must exist unless create_directory.',
    }),
    timeout: Duration({
      default: '1s',
      description: 'How long to wait for a queue directory locked by another process before failing.',
    }),
    fsync: Type.Boolean({
      default: false,
      description:
        'fdatasync each record before the sender is answered: survives power loss, not only a process crash; costs a disk flush (shared by concurrent requests).',
    }),
    create_directory: Type.Boolean({
      default: false,
      description: 'Create `directory` (and parents) at start when it does not exist.',
    }),
    directory_permissions: Type.String({
      default: '0750',
      description: 'Octal permissions of directories this extension creates (minus the umask).',
    }),
    compaction: Compaction,
  },
  { additionalProperties: false, description: "Persists exporters' sending queues to the local file system." },
);

/** The parsed config. */
export type FileStorageConfig = Static<typeof FileStorageConfigSchema>;

/** Rules across fields, as [path, message]. */
export function validateFileStorageConfig(config: unknown): [string, string][] {
  const cfg = config as FileStorageConfig;
  const problems: [string, string][] = [];
  if (cfg.directory === '') problems.push(['directory', '`directory` must not be empty']);
  if (!/^0?[0-7]{3}$/.test(cfg.directory_permissions)) {
    problems.push(['directory_permissions', `"${cfg.directory_permissions}" is not octal permissions such as 0750`]);
  }
  if (cfg.timeout < 0) problems.push(['timeout', '`timeout` must not be negative']);
  return problems;
}
