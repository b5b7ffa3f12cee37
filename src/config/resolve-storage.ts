// The `sending_queue.storage` check: every used exporter whose queue names a storage extension must
// name one that is configured, listed in service.extensions and able to hold a queue (file_storage),
// so the mistake is reported with its line instead of failing at start.
import { joinPath, nodeAt } from './node.ts';
import type { IssueList } from './issues.ts';
import type { SectionResult } from './resolve-components.ts';
import { didYouMean } from './suggest.ts';
import type { ResolvedPipeline } from './types.ts';

/** Extension types that hold persistent queues. */
const STORAGE_TYPES = ['file_storage'];

/** The sections and service parts the check reads. */
export interface StorageCheckInput {
  readonly exporters: SectionResult;
  readonly extensions: SectionResult;
  readonly enabled: readonly string[];
  readonly pipelines: ReadonlyMap<string, ResolvedPipeline>;
}

/** Reports every bad `sending_queue.storage` of the used exporters. */
export function checkStorageRefs(input: StorageCheckInput, issues: IssueList): void {
  const exporters = new Set([...input.pipelines.values()].flatMap((p) => p.exporters));
  for (const id of exporters) {
    const known = input.exporters.known.get(id);
    const queue = (known?.schemaValid as { sending_queue?: { enabled?: boolean; storage?: unknown } } | undefined)
      ?.sending_queue;
    if (known === undefined || queue?.enabled !== true || typeof queue.storage !== 'string' || queue.storage === '')
      continue;
    const message = problem(queue.storage, input);
    if (message === undefined) continue;
    issues.error({
      path: joinPath(joinPath('exporters', id), 'sending_queue.storage'),
      source: nodeAt(known.node, 'sending_queue.storage')?.source ?? known.keySource,
      message,
      hint: 'Configure a file_storage extension (extensions: file_storage/NAME: {directory: …}), list it in service.extensions and name it here.',
      code: 'TG_CONFIG_UNDEFINED_REFERENCE',
    });
  }
}

function problem(ref: string, input: StorageCheckInput): string | undefined {
  const quoted = JSON.stringify(ref);
  const extension = input.extensions.known.get(ref);
  if (extension === undefined) {
    return `${quoted} is not configured under extensions${didYouMean(ref, [...input.extensions.known.keys()])}`;
  }
  if (!input.enabled.includes(ref)) return `${quoted} is not in service.extensions`;
  const type = extension.factory?.type;
  if (type !== undefined && !STORAGE_TYPES.includes(type)) return `${quoted} is not a storage extension`;
  return undefined;
}
