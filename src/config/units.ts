// Parsers for the two unit-bearing config values: Go durations (time.ParseDuration syntax) and
// byte sizes. Both return a number or an error message for the validator to report.

/** A parse result: the value, or a message saying what is wrong. */
export type UnitResult =
  { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

const DURATION_UNITS_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const DURATION_PART = /([0-9]*(?:\.[0-9]*)?)([a-zµμ]+)/y;

/** Parses a Go duration (`200ms`, `1h2m3.5s`, `-1s`, `0`) into milliseconds. */
export function parseDuration(text: string): UnitResult {
  const bad = (why: string): UnitResult => ({
    ok: false,
    message: `${JSON.stringify(text)} is not a duration: ${why}`,
  });
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return { ok: true, value: 0 };
  if (rest === '') return bad('it is empty');
  let total = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < rest.length) {
    const m = DURATION_PART.exec(rest);
    if (m === null) return bad('expected a number followed by a unit (ns, us, ms, s, m, h)');
    const [, num = '', unit = ''] = m;
    const factor = DURATION_UNITS_MS[unit];
    if (num === '' || num === '.') return bad(`a number must come before "${unit}"`);
    if (factor === undefined) return bad(`unknown unit "${unit}" (use ns, us, ms, s, m or h)`);
    total += Number(num) * factor;
  }
  return { ok: true, value: sign * total };
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  ki: 2 ** 10,
  kib: 2 ** 10,
  mi: 2 ** 20,
  mib: 2 ** 20,
  gi: 2 ** 30,
  gib: 2 ** 30,
  ti: 2 ** 40,
  tib: 2 ** 40,
};

const SIZE = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*$/;

/**
 * Parses a size into bytes: an integer, or a number with a unit. Decimal units are powers of 1000
 * (`KB`/`K`, `MB`/`M`, `GB`/`G`, `TB`), binary units powers of 1024 (`KiB`/`Ki`, `MiB`, `GiB`, `TiB`);
 * units are case-insensitive; a fractional result is rounded down to whole bytes.
 */
export function parseBytes(text: string): UnitResult {
  const m = SIZE.exec(text);
  const unit = (m?.[2] ?? '').toLowerCase();
  const factor = unit === '' ? 1 : SIZE_UNITS[unit];
  if (m === null || factor === undefined) {
    return {
      ok: false,
      message: `${JSON.stringify(text)} is not a size: write a number of bytes or a number with a unit (B, KB, MB, GB, KiB, MiB, GiB)`,
    };
  }
  return { ok: true, value: Math.floor(Number(m[1]) * factor) };
}
