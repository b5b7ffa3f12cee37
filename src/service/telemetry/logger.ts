// The collector's own structured log, shaped like the Go collector's zap output: console encoding
// (`<time>\t<level>\t<message>\t{fields}`) or JSON lines, on stderr, filtered by
// service.telemetry.logs.level. Debug calls are guarded by a level check and cost nothing when off.
import type { Logger } from '../../contracts/component.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogEncoding = 'console' | 'json';

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Where log lines go; stderr by default, replaceable in tests. */
export type LogSink = (line: string) => void;

const stderrSink: LogSink = (line) => {
  process.stderr.write(line + '\n');
};

/** Renders a field value so that Errors show their message (never a stack) and nothing throws. */
function plain(v: unknown): unknown {
  if (v instanceof Error) return v.message;
  if (typeof v === 'bigint') return v.toString();
  return v;
}

function renderFields(fields: Record<string, unknown>): string {
  const keys = Object.keys(fields);
  if (keys.length === 0) return '';
  const obj: Record<string, unknown> = {};
  for (const k of keys) obj[k] = plain(fields[k]);
  try {
    return JSON.stringify(obj).replace(/":/g, '": ').replace(/,"/g, ', "');
  } catch {
    return '{"fields": "unprintable"}';
  }
}

/** A logger writing to a sink at a minimum level. */
export class ServiceLogger implements Logger {
  private readonly min: number;
  private readonly encoding: LogEncoding;
  private readonly fields: Record<string, unknown>;
  private readonly sink: LogSink;

  constructor(
    level: LogLevel = 'info',
    encoding: LogEncoding = 'console',
    sink: LogSink = stderrSink,
    fields: Record<string, unknown> = {},
  ) {
    this.min = RANK[level];
    this.encoding = encoding;
    this.sink = sink;
    this.fields = fields;
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    if (this.min <= 0) this.write('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    if (this.min <= 1) this.write('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    if (this.min <= 2) this.write('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.write('error', msg, fields);
  }
  isDebugEnabled(): boolean {
    return this.min === 0;
  }
  child(fields: Record<string, unknown>): Logger {
    const level = (Object.keys(RANK) as LogLevel[]).find((l) => RANK[l] === this.min) ?? 'info';
    return new ServiceLogger(level, this.encoding, this.sink, { ...this.fields, ...fields });
  }

  private write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    const all = fields ? { ...this.fields, ...fields } : this.fields;
    const ts = new Date().toISOString();
    if (this.encoding === 'json') {
      const obj: Record<string, unknown> = { level, ts, msg };
      for (const k of Object.keys(all)) obj[k] = plain(all[k]);
      this.sink(JSON.stringify(obj));
      return;
    }
    const rendered = renderFields(all);
    this.sink(`${ts}\t${level}\t${msg}${rendered === '' ? '' : '\t' + rendered}`);
  }
}
