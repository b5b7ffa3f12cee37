// JSON text → JS values, exact for 64-bit integers. JSON.parse turns 18446744073709551615 into a
// rounded double, but OTLP/JSON senders may write int64/uint64 as bare numbers (the Go collector reads
// them exactly), so text holding an integer literal too long for a double takes this slower parser,
// which keeps such literals as BigNumber. Everything else goes through JSON.parse.
import { errorMessage } from '../errors/thrown.ts';

/** An integer literal beyond 2^53 kept as its text. */
export class BigNumber {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** Malformed OTLP/JSON: bad syntax, or a value that does not fit its field (the message names the path). */
export class JsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonError';
  }
}

/** A parsed JSON value; integer literals beyond 2^53 are BigNumber. */
export type JsonValue = null | boolean | number | string | BigNumber | JsonValue[] | { [key: string]: JsonValue };

// A bare integer of 16+ digits after `:`, `[` or `,` (a false hit inside a string only costs speed).
const LONG_INTEGER = /[:[,]\s*-?\d{16,}/;

/** Parses JSON text; throws JsonError on a syntax error. */
export function parseJson(text: string): JsonValue {
  if (!LONG_INTEGER.test(text)) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch (e) {
      throw new JsonError(`invalid JSON: ${errorMessage(e)}`);
    }
  }
  const p = new Parser(text);
  const value = p.value(0);
  p.space();
  if (p.pos !== text.length) p.fail('unexpected text after the value');
  return value;
}

const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// JSON forbids raw control characters inside strings, hence the \u0000-\u001f class.
// eslint-disable-next-line no-control-regex
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

class Parser {
  readonly text: string;
  pos = 0;

  constructor(text: string) {
    this.text = text;
  }

  fail(what: string): never {
    throw new JsonError(`invalid JSON at offset ${this.pos}: ${what}`);
  }

  space(): void {
    while (this.pos < this.text.length && isSpace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  value(depth: number): JsonValue {
    if (depth > MAX_DEPTH) this.fail('nested too deeply');
    this.space();
    const c = this.text[this.pos];
    if (c === '{') return this.object(depth);
    if (c === '[') return this.array(depth);
    if (c === '"') return this.string();
    for (const [word, v] of WORDS) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    return this.number();
  }

  private object(depth: number): JsonValue {
    const out: { [key: string]: JsonValue } = {};
    this.pos++;
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return out;
    }
    for (;;) {
      this.space();
      if (this.text[this.pos] !== '"') this.fail('expected a key');
      const key = this.string();
      this.space();
      if (this.text[this.pos++] !== ':') this.fail('expected ":"');
      Object.defineProperty(out, key, {
        value: this.value(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.space();
      const c = this.text[this.pos++];
      if (c === '}') return out;
      if (c !== ',') this.fail('expected "," or "}"');
    }
  }

  private array(depth: number): JsonValue {
    const out: JsonValue[] = [];
    this.pos++;
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.space();
      const c = this.text[this.pos++];
      if (c === ']') return out;
      if (c !== ',') this.fail('expected "," or "]"');
    }
  }

  private string(): string {
    STRING.lastIndex = this.pos;
    const m = STRING.exec(this.text);
    if (m === null) this.fail('bad string');
    this.pos += m[0].length;
    return JSON.parse(m[0]) as string;
  }

  private number(): JsonValue {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) this.fail('unexpected character');
    this.pos += m[0].length;
    const n = Number(m[0]);
    return Number.isSafeInteger(n) || !/^-?\d+$/.test(m[0]) ? n : new BigNumber(m[0]);
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

const WORDS: readonly (readonly [string, JsonValue])[] = [
  ['true', true],
  ['false', false],
  ['null', null],
];
