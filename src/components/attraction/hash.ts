// The `hash` action: SHA-256 of the value, hex-encoded, as Go's attraction sha2Hasher (SHA-1 was
// removed with the coreinternal.attraction.hash.sha256 feature gate).
import { createHash } from 'node:crypto';
import type { AnyValue } from '../../pdata/attributes.ts';

const TRUE = Buffer.from([1]);
const FALSE = Buffer.from([0]);

/**
 * The hashed value: the SHA-256 (lower-case hex) of a string's UTF-8 bytes, a bool as one byte, an
 * int or double as 8 little-endian bytes. Other types and the empty string become "" (Go hashes only
 * a non-empty byte string).
 */
export function hashValue(v: AnyValue): AnyValue {
  const bytes = hashInput(v);
  const hex = bytes.length > 0 ? createHash('sha256').update(bytes).digest('hex') : '';
  return { type: 'string', value: hex };
}

function hashInput(v: AnyValue): Buffer {
  switch (v.type) {
    case 'string':
      return Buffer.from(v.value, 'utf8');
    case 'bool':
      return v.value ? TRUE : FALSE;
    case 'int': {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(BigInt.asUintN(64, v.value));
      return b;
    }
    case 'double': {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(v.value);
      return b;
    }
    default:
      return Buffer.alloc(0);
  }
}
