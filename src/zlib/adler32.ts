/** Adler-32 checksum (RFC 1950, section 8.2), as used in the zlib stream trailer. */

const BASE = 65521;
/*
 * Largest n such that 255*n*(n+1)/2 + (n+1)*(BASE-1) < 2^31: the sums stay small
 * integers (V8 Smis) between the modulo reductions.
 */
const NMAX = 3854;
/** NMAX rounded down to the 8-byte steps of the main loop. */
const NMAX8 = NMAX & ~7;

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
    const stop = end - i > NMAX8 ? i + NMAX8 : end;
    // 8 bytes a step, without the byte-to-byte dependency: b gains 8 a and the bytes weighted
    // 8..1, a their sum (the same sums as byte by byte).
    const stop8 = stop - ((stop - i) & 7);
    for (; i < stop8; i += 8) {
      const x0 = data[i];
      const x1 = data[i + 1];
      const x2 = data[i + 2];
      const x3 = data[i + 3];
      const x4 = data[i + 4];
      const x5 = data[i + 5];
      const x6 = data[i + 6];
      const x7 = data[i + 7];
      b += 8 * (a + x0) + 7 * x1 + 6 * x2 + 5 * x3 + 4 * x4 + 3 * x5 + 2 * x6 + x7;
      a += x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7;
    }
    for (; i < stop; i++) {
      a += data[i];
      b += a;
    }
    a %= BASE;
    b %= BASE;
  }
  return (b * 65536 + a) >>> 0;
}
