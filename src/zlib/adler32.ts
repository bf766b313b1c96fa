/** Adler-32 checksum (RFC 1950, section 8.2), as used in the zlib stream trailer. */

const BASE = 65521;
/*
 * Largest n such that 255*n*(n+1)/2 + (n+1)*(BASE-1) < 2^31: the sums stay small
 * integers (V8 Smis) between the modulo reductions.
 */
const NMAX = 3854;

/**
 * Adler-32 of `data[start, end)`, as an unsigned 32-bit number.
 * `start` defaults to 0 and `end` to `data.length`.
 */
export function adler32(data: Uint8Array, start = 0, end: number = data.length): number {
  if (!(start >= 0 && end <= data.length && start <= end) || start % 1 !== 0 || end % 1 !== 0) {
    throw new RangeError(`adler32: invalid range [${start}, ${end}) for ${data.length} bytes`);
  }
  let a = 1;
  let b = 0;
  let i = start;
  while (i < end) {
    const stop = end - i > NMAX ? i + NMAX : end;
    for (; i < stop; i++) {
      a += data[i];
      b += a;
    }
    a %= BASE;
    b %= BASE;
  }
  return (b * 65536 + a) >>> 0;
}
