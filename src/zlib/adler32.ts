/** Adler-32 checksum (RFC 1950, section 8.2), as used in the zlib stream trailer. */

const BASE = 65521;
/*
 * Largest n such that 255*n*(n+1)/2 + (n+1)*(BASE-1) < 2^31: the sums stay small
 * integers (V8 Smis) between the modulo reductions.
 */
const NMAX = 3854;
/** NMAX rounded down to the 8-byte steps of the byte loop. */
const NMAX8 = NMAX & ~7;
/**
 * Words (4 bytes) a packed step sums before it unpacks: its running sums of sums reach
 * 255 * 22 * 23 / 2 = 64,515 per byte lane, the most a 16-bit lane holds for 22.
 */
const LANE_WORDS = 22;
const LANE_BYTES = LANE_WORDS * 4;
/** From this many bytes on, reading words through a DataView pays for making it. */
const WORDS_MIN = 256;

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
  const view = end - start >= WORDS_MIN ? new DataView(data.buffer, data.byteOffset, data.byteLength) : undefined;
  while (i < end) {
    const stop = end - i > NMAX8 ? i + NMAX8 : end;
    if (view !== undefined) {
      // Four bytes a load (a little-endian word), summed two at a time: the even bytes of the
      // words in the two 16-bit lanes of `even` (w & 0xff00ff), the odd ones in `odd`, and the
      // running totals of those sums in evenP and oddP, which weigh each byte by how many words
      // come after it. Over k words, byte m of word j (from 1) weighs 4 (k - j + 1) - m in b:
      // four times its lane's total, less m times its lane's sum. Unpacked every 22 words,
      // before a lane can overflow. About twice as fast as the byte loop below (a 64 KB token
      // payload: ~15 against ~33 us); the step's body is written out for two words because one
      // word a step took ~19 us.
      for (; stop - i >= LANE_BYTES; ) {
        let even = 0;
        let odd = 0;
        let evenP = 0;
        let oddP = 0;
        for (let k = 0; k < LANE_WORDS; k += 2, i += 8) {
          const w = view.getInt32(i, true);
          const v = view.getInt32(i + 4, true);
          even = (even + (w & 0xff00ff)) | 0;
          odd = (odd + ((w >>> 8) & 0xff00ff)) | 0;
          evenP = (evenP + even) | 0;
          oddP = (oddP + odd) | 0;
          even = (even + (v & 0xff00ff)) | 0;
          odd = (odd + ((v >>> 8) & 0xff00ff)) | 0;
          evenP = (evenP + even) | 0;
          oddP = (oddP + odd) | 0;
        }
        const s1 = odd & 0xffff;
        const s2 = even >>> 16;
        const s3 = odd >>> 16;
        b += LANE_BYTES * a + 4 * ((evenP & 0xffff) + (evenP >>> 16) + (oddP & 0xffff) + (oddP >>> 16)) - s1 - 2 * s2 - 3 * s3;
        a += (even & 0xffff) + s1 + s2 + s3;
      }
    }
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
