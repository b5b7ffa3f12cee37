// Schema primitives every component config uses. They are TypeBox schemas with a telegate marker
// (`x-tg`) that the config validator (src/config/validate.ts) understands: it parses the YAML value
// into the static type (a duration string into milliseconds, a size into bytes) and reports bad
// values with their YAML path. Defaults are written as the Go collector writes them ('5s').
import Type, { type Static, type TSchema, type TUnsafe } from 'typebox';
import type { Secret } from '../../util/secret.ts';

/** What the validator does with a marked schema. */
export type TgKind = 'duration' | 'bytes' | 'optional' | 'secret' | 'any' | 'secretMap';

interface Doc {
  readonly description: string;
}

/**
 * A Go `time.Duration`: a string such as `200ms`, `1m30s` (units ns, us/µs, ms, s, m, h), or an
 * integer number of nanoseconds as mapstructure accepts. Static type: milliseconds.
 */
export function Duration(doc: Doc & { readonly default?: string }): TUnsafe<number> {
  return Type.Unsafe<number>({ ...doc, 'x-tg': 'duration' });
}

/** A size: an integer number of bytes, or a string with a unit (`512KiB`, `4MiB`, `1GB`). Static type: bytes. */
export function Bytes(doc: Doc & { readonly default?: number | string }): TUnsafe<number> {
  return Type.Unsafe<number>({ ...doc, 'x-tg': 'bytes' });
}

/**
 * A sub-block that is off unless its key is present, like Go's `configoptional.Optional`: absent →
 * undefined; present but empty (`grpc:`) → the block's defaults.
 */
export function OptionalBlock<T extends TSchema>(block: T): TUnsafe<Static<T> | undefined> {
  return Type.Unsafe<Static<T> | undefined>({ ...block, 'x-tg': 'optional' });
}

/**
 * A secret string (password, token, key material; Go's configopaque.String): validated as a string,
 * parsed into a `Secret` that prints `[REDACTED]`; the component calls `reveal()` where it sends or uses it.
 */
export function SecretString(doc: Doc & { readonly default?: string }): TUnsafe<Secret> {
  return Type.Unsafe<Secret>({ type: 'string', ...doc, 'x-tg': 'secret' });
}

/** Any YAML value (an attribute value may be a string, number, bool, list or map). */
export function AnyValue(doc: Doc): TUnsafe {
  return Type.Unsafe({ ...doc, 'x-tg': 'any' });
}

/** A map of string to secret string (headers, as Go's `map[string]configopaque.String`): values are `Secret`s. */
export function SecretMap(doc: Doc): TUnsafe<Record<string, Secret>> {
  return Type.Unsafe<Record<string, Secret>>({ ...doc, 'x-tg': 'secretMap' });
}
