// Log severity numbers as a config may name them: 1–24, or the OTLP short names (TRACE … FATAL4,
// case-insensitive), as Go's plog.SeverityNumber reads them.

const BASES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** The severity number of `v`, or an error message. */
export function severityNumberOf(v: unknown): number | string {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 24) return v;
  if (typeof v === 'string') {
    const m = /^([A-Za-z]+)([234]?)$/.exec(v.trim());
    const base = m === null ? -1 : BASES.indexOf((m[1] as string).toUpperCase());
    if (m !== null && base >= 0) return base * 4 + (m[2] === '' ? 1 : Number(m[2]));
    if (/^unspecified$/i.test(v.trim())) return 0;
  }
  return `invalid log severity number ${JSON.stringify(v)}: use 0–24 or a name such as INFO, WARN2, ERROR`;
}
