// The text the detailed verbosity builds, line by line, shared by detailed.ts (resources, spans, logs)
// and detailed-metrics.ts (metrics) so neither imports the other.
import type { PValue } from '../../../pdata/decode.ts';
import { list, str, typedValue } from './text-values.ts';

/** Collects lines; `attr` pads names as Go's `%-15s`. */
export class TextBuffer {
  text = '';
  line(s: string): void {
    this.text += `${s}\n`;
  }
  attr(name: string, value: string): void {
    this.line(`    ${name.padEnd(15)}: ${value}`);
  }
  /** `Header:` then `     -> key: Type(value)`; nothing when there are no attributes. */
  attributes(header: string, attrs: PValue | undefined): void {
    const kvs = list(attrs);
    if (kvs.length === 0) return;
    this.line(`${header}:`);
    const arrow = header.split('->');
    const prefix = arrow.length > 1 ? `${arrow[0] ?? ''}     ->` : '     ->';
    for (const kv of kvs) this.line(`${prefix} ${str(kv.key)}: ${typedValue(kv.value)}`);
  }
}
