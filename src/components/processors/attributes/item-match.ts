// Decides whether an item is processed, from its bytes: include must match (when set) and exclude
// must not, as Go's filterspan / filterlog / filtermetric skip expressions. Reads only what the
// configured properties need, and the resource and scope once per entry and scope list.
import { decodeAnyValue, decodeKeyValue, type KeyValue } from '../../../pdata/attributes.ts';
import { TAG } from '../../../pdata/fields.ts';
import type { ItemView } from '../../../pdata/item-edit.ts';
import { WireReader } from '../../../pdata/wire.ts';
import { findKey } from '../../attraction/apply.ts';
import { asString } from '../../attraction/value.ts';
import { matchAttributes } from './attribute-matcher.ts';
import type { CompiledMatch } from './match-compile.ts';

const KIND_NAMES = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];

/** The fields of one item that matching may read. */
interface ItemFields {
  name: string;
  kind: number;
  severityText: string;
  severityNumber: number;
  bodyStart: number;
  bodyEnd: number;
}

/** Include/exclude evaluation with per-request caches of the resource and scope. */
export class ItemMatcher {
  private readonly include: CompiledMatch | null;
  private readonly exclude: CompiledMatch | null;
  private readonly r = new WireReader(Buffer.alloc(0));
  private resourceBuf: Buffer | null = null;
  private resourceAt = -2;
  private resourceAttrs: KeyValue[] = [];
  private scopeBuf: Buffer | null = null;
  private scopeAt = -2;
  private scopeName = '';
  private scopeVersion = '';
  private readonly item: ItemFields = {
    name: '',
    kind: 0,
    severityText: '',
    severityNumber: 0,
    bodyStart: -1,
    bodyEnd: -1,
  };

  constructor(include: CompiledMatch | null, exclude: CompiledMatch | null) {
    this.include = include;
    this.exclude = exclude;
  }

  /** True when there is nothing to match: every item is processed. */
  get isEmpty(): boolean {
    return this.include === null && this.exclude === null;
  }

  /** Go's order: the include properties first, then the exclude ones. */
  selects(view: ItemView): boolean {
    if (this.isEmpty) return true;
    this.readItem(view);
    if (this.include !== null && !this.matches(this.include, view)) return false;
    return this.exclude === null || !this.matches(this.exclude, view);
  }

  private matches(m: CompiledMatch, v: ItemView): boolean {
    const it = this.item;
    if (m.services !== null && !m.services.matches(this.serviceName(v))) return false;
    if (m.spanNames !== null && !m.spanNames.matches(it.name)) return false;
    if (m.spanKinds !== null && !m.spanKinds.matches(KIND_NAMES[it.kind] ?? '')) return false;
    if (m.metricNames !== null && !m.metricNames.matches(it.name)) return false;
    if (m.logBodies !== null && !m.logBodies.matches(this.bodyString(v))) return false;
    if (m.logSeverityTexts !== null && !m.logSeverityTexts.matches(it.severityText)) return false;
    if (m.severity !== null) {
      const n = it.severityNumber;
      if (n === 0 ? !m.severity.matchUndefined : n < m.severity.min) return false;
    }
    return this.matchesProperties(m, v);
  }

  /** Go's filtermatcher PropertiesMatcher: libraries, resources, then the item's attributes. */
  private matchesProperties(m: CompiledMatch, v: ItemView): boolean {
    if (m.libraries.length > 0) {
      this.readScope(v);
      for (const lib of m.libraries) {
        if (!lib.name.matches(this.scopeName)) return false;
        if (lib.version !== null && !lib.version.matches(this.scopeVersion)) return false;
      }
    }
    if (m.resources !== null && !matchAttributes(m.resources, this.readResource(v))) return false;
    if (m.attributes === null) return true;
    const tag = v.signal === 'traces' ? TAG.Span.attributes : TAG.LogRecord.attributes;
    return matchAttributes(m.attributes, this.decodeAll(v.buf, v.itemStart, v.itemEnd, tag));
  }

  private serviceName(v: ItemView): string {
    const attrs = this.readResource(v);
    const i = findKey(attrs, 'service.name');
    return i < 0 ? '<nil-service-name>' : asString((attrs[i] as KeyValue).value);
  }

  private bodyString(v: ItemView): string {
    const it = this.item;
    return it.bodyStart < 0 ? '' : asString(decodeAnyValue(v.buf, it.bodyStart, it.bodyEnd));
  }

  private readResource(v: ItemView): KeyValue[] {
    if (this.resourceBuf !== v.buf || this.resourceAt !== v.resourceStart) {
      this.resourceBuf = v.buf;
      this.resourceAt = v.resourceStart;
      this.resourceAttrs =
        v.resourceStart < 0 ? [] : this.decodeAll(v.buf, v.resourceStart, v.resourceEnd, TAG.Resource.attributes);
    }
    return this.resourceAttrs;
  }

  private readScope(v: ItemView): void {
    if (this.scopeBuf === v.buf && this.scopeAt === v.scopeStart) return;
    this.scopeBuf = v.buf;
    this.scopeAt = v.scopeStart;
    this.scopeName = '';
    this.scopeVersion = '';
    if (v.scopeStart < 0) return;
    const r = this.reset(v.buf, v.scopeStart, v.scopeEnd);
    while (r.pos < r.end) {
      const tag = r.tag();
      if (tag === TAG.InstrumentationScope.name) this.scopeName = r.string();
      else if (tag === TAG.InstrumentationScope.version) this.scopeVersion = r.string();
      else r.skip(tag & 7);
    }
  }

  /** Reads the item's name, kind, severity and body position (the last occurrence wins). */
  private readItem(v: ItemView): void {
    const it = this.item;
    it.name = '';
    it.kind = 0;
    it.severityText = '';
    it.severityNumber = 0;
    it.bodyStart = -1;
    const nameTag = v.signal === 'traces' ? TAG.Span.name : TAG.Metric.name;
    const r = this.reset(v.buf, v.itemStart, v.itemEnd);
    while (r.pos < r.end) {
      const tag = r.tag();
      if (v.signal === 'logs') this.readLogField(r, tag);
      else if (tag === nameTag) it.name = r.string();
      else if (v.signal === 'traces' && tag === TAG.Span.kind) it.kind = r.uint32();
      else r.skip(tag & 7);
    }
  }

  private readLogField(r: WireReader, tag: number): void {
    const it = this.item;
    if (tag === TAG.LogRecord.severityText) it.severityText = r.string();
    else if (tag === TAG.LogRecord.severityNumber) it.severityNumber = r.uint32() | 0;
    else if (tag === TAG.LogRecord.body) {
      it.bodyEnd = r.lenEnd();
      it.bodyStart = r.pos;
      r.pos = it.bodyEnd;
    } else r.skip(tag & 7);
  }

  /** Every `tag` attribute of the message body `buf[start, end)`, decoded. */
  private decodeAll(buf: Buffer, start: number, end: number, tag: number): KeyValue[] {
    const out: KeyValue[] = [];
    const r = new WireReader(buf, start, end);
    while (r.pos < r.end) {
      const t = r.tag();
      if (t !== tag) {
        r.skip(t & 7);
        continue;
      }
      const kvEnd = r.lenEnd();
      out.push(decodeKeyValue(buf, r.pos, kvEnd));
      r.pos = kvEnd;
    }
    return out;
  }

  private reset(buf: Buffer, start: number, end: number): WireReader {
    const r = this.r;
    r.buf = buf;
    r.pos = start;
    r.end = end;
    return r;
  }
}
