// "Open JSON file" on the search page (Jaeger UI's JSON File tab): traces saved by "Download JSON" (or
// by Jaeger) are read in the browser, kept for the trace page (uploaded.ts) and listed like results.
import type { Trace } from './api.ts';
import { errorBox, h, mount } from './dom.ts';
import { keepUploaded, parseTraceJson } from './uploaded.ts';

/** The upload box; `show` lists the traces read. */
export function uploadPanel(show: (list: readonly Trace[], note?: string) => void): HTMLElement {
  const input = h('input', { type: 'file', accept: '.json,application/json', multiple: true, class: 'upload-input' });
  const status = h('div', { class: 'upload-status', 'aria-live': 'polite' });
  input.addEventListener('change', () => {
    void readFiles([...(input.files ?? [])], status, show);
  });
  return h(
    'section',
    { class: 'upload stack', 'aria-label': 'Open a JSON file' },
    h('h3', {}, 'Open JSON file'),
    h('small', { class: 'muted' }, 'Traces saved with “Download JSON” or by Jaeger; read here, never uploaded.'),
    input,
    status,
  );
}

async function readFiles(
  files: readonly File[],
  status: HTMLElement,
  show: (list: readonly Trace[], note?: string) => void,
): Promise<void> {
  const traces: Trace[] = [];
  for (const file of files) {
    try {
      traces.push(...parseTraceJson(await file.text()));
    } catch (err) {
      mount(status, errorBox(`Could not read ${file.name}`, err));
      return;
    }
  }
  keepUploaded(traces);
  mount(status, h('span', { class: 'muted' }, `${traces.length} trace${traces.length === 1 ? '' : 's'} read`));
  show(traces, `From ${files.map((f) => f.name).join(', ')}`);
}
