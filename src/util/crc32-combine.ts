// CRC-32 (gzip's, reflected polynomial 0xedb88320) of two byte strings laid end to end, from their CRCs and
// the second's length, without reading the bytes: the CRC of a gzip member made of pieces whose CRCs are
// known (transport/gzip-member.ts). Arithmetic on polynomials over GF(2) modulo the CRC polynomial:
// crc(A‖B) = crc(A)·x^(8·|B|) + crc(B), with x^(2^k) precomputed, so a combine costs ~32 steps per set bit
// of the length instead of a pass over the bytes.

const POLY = 0xedb88320;
const X0 = 0x80000000; // the polynomial 1, in the reflected bit order

/** a(x)·b(x) modulo the CRC polynomial (both reflected, as CRC-32 values are). */
function multiplyModP(a: number, b: number): number {
  let product = 0;
  let factor = b;
  for (let bit = X0; bit !== 0; bit >>>= 1) {
    if ((a & bit) !== 0) product ^= factor;
    factor = (factor & 1) !== 0 ? (factor >>> 1) ^ POLY : factor >>> 1;
  }
  return product >>> 0;
}

/** x^(2^k) modulo the CRC polynomial, k = 0…31. */
const X_POW_2K = ((): Uint32Array => {
  const table = new Uint32Array(32);
  let p = X0 >>> 1; // x^1
  for (let k = 0; k < 32; k++) {
    table[k] = p;
    p = multiplyModP(p, p);
  }
  return table;
})();

/** x^(n·2^k) modulo the CRC polynomial. */
function xPowModP(n: number, k: number): number {
  let p = X0;
  let rest = n;
  for (let i = k; rest > 0; i++, rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) p = multiplyModP(X_POW_2K[i % 32] as number, p);
  }
  return p;
}

/** The CRC-32 of A‖B from crc(A), crc(B) and |B| in bytes. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  if (lengthB <= 0) return crcA >>> 0;
  return (multiplyModP(xPowModP(lengthB, 3), crcA) ^ crcB) >>> 0;
}
