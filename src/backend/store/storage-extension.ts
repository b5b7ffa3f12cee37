// How components find trace stores: the `jaeger_storage` extension implements TraceStorageExtension,
// and the exporter and the query extension look it up with host.getExtension('jaeger_storage').
import type { Component, Host } from '../../contracts/component.ts';
import { TelegateError } from '../../errors/catalogue.ts';
import type { TraceStore } from './trace-store.ts';

/** The extension id the Jaeger components look the stores up by. */
export const STORAGE_EXTENSION_ID = 'jaeger_storage';

/** An extension that holds named trace stores (Jaeger's `jaeger_storage.backends`). */
export interface TraceStorageExtension extends Component {
  traceStore(name: string): TraceStore | undefined;
  readonly backendNames: readonly string[];
}

function isTraceStorage(c: Component | undefined): c is TraceStorageExtension {
  return c !== undefined && typeof (c as Partial<TraceStorageExtension>).traceStore === 'function';
}

/** The store named `name`; throws TG_START_FAILED naming what is missing. */
export function findTraceStore(host: Host, owner: string, key: string, name: string): TraceStore {
  const ext = host.getExtension(STORAGE_EXTENSION_ID);
  if (!isTraceStorage(ext))
    throw new TelegateError(
      'TG_START_FAILED',
      `${owner}: ${key} "${name}" needs the jaeger_storage extension: configure extensions.jaeger_storage.backends.${name} and list jaeger_storage in service.extensions`,
    );
  const store = ext.traceStore(name);
  if (store === undefined)
    throw new TelegateError(
      'TG_START_FAILED',
      `${owner}: ${key} "${name}" is not a backend of jaeger_storage (backends: ${ext.backendNames.join(', ') || 'none'})`,
    );
  return store;
}
