/*
 * DEFLATE's constant tables (RFC 1951 §3.2.5–3.2.7), the one copy that inflate.ts and the
 * deflate side (deflate.ts, trees.ts) share. Built once at load from the two extra-bits rows:
 * about two thousand array writes, no allocation after load. Nothing here changes afterwards.
 */

/** Length codes 257..285 (0..28 here). */
export const LENGTH_CODES = 29;
/** Distance codes 0..29. */
export const D_CODES = 30;
/** Literal bytes 0..255; 256 is END_BLOCK. */
export const LITERALS = 256;
export const END_BLOCK = 256;
/** Literal/length symbols: 256 literals, END_BLOCK, 29 length codes. */
export const L_CODES = LITERALS + 1 + LENGTH_CODES; // 286
/** Code-length symbols 0..18. */
export const BL_CODES = 19;
export const MAX_BITS = 15;
export const MIN_MATCH = 3;
export const MAX_MATCH = 258;

/** Extra bits of length codes 0..28 (symbols 257..285). */
export const LENGTH_EXTRA = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0);
/** Extra bits of distance codes 0..29. */
export const DIST_EXTRA = Uint8Array.of(0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13);
/** Order in which the code-length code lengths are sent (§3.2.7). */
export const CL_ORDER = Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);

/** Match length of each length code's first value (3..258). */
export const LENGTH_BASE = new Uint16Array(LENGTH_CODES);
/** Distance of each distance code's first value (1..24577). */
export const DIST_BASE = new Uint16Array(D_CODES);
/** match length - 3 (0..255) -> length code 0..28 (zlib's _length_code). */
export const LENGTH_CODE = new Uint8Array(256);
/** distance - 1: entries 0..255 direct, 256..511 indexed by 256 + ((distance - 1) >>> 7) (zlib's _dist_code). */
export const DIST_CODE = new Uint8Array(512);
/** Byte bit reversal: Huffman codes go out most significant bit first in an LSB-first stream. */
export const REV8 = new Uint8Array(256);
/** Fixed literal/length code lengths, symbols 0..287 (§3.2.6). */
export const FIXED_LIT_LENGTHS = new Uint8Array(288);
/** Fixed literal/length codes, bit-reversed, ready to send LSB first (zlib's static_ltree). */
export const FIXED_LIT_CODES = new Uint16Array(288);
/** Fixed distance codes (all 5 bits), bit-reversed. */
export const FIXED_DIST_CODES = new Uint16Array(D_CODES);

/** `code`'s low `length` bits, reversed (zlib's bi_reverse). */
export function reverseBits(code: number, length: number): number {
  return ((REV8[code & 0xff] << 8) | REV8[(code >>> 8) & 0xff]) >>> (16 - length);
}

{
  for (let i = 0; i < 256; i++) {
    let r = 0;
    for (let b = 0; b < 8; b++) r |= ((i >>> b) & 1) << (7 - b);
    REV8[i] = r;
  }
  let length = 0;
  let code = 0;
  for (; code < LENGTH_CODES - 1; code++) {
    LENGTH_BASE[code] = length + MIN_MATCH;
    for (let n = 0; n < 1 << LENGTH_EXTRA[code]; n++) LENGTH_CODE[length++] = code;
  }
  // Length 258 could be code 284 with 5 extra bits; DEFLATE (and zlib) use code 285.
  LENGTH_CODE[length - 1] = code;
  LENGTH_BASE[code] = MAX_MATCH;

  let dist = 0;
  for (code = 0; code < 16; code++) {
    DIST_BASE[code] = dist + 1;
    for (let n = 0; n < 1 << DIST_EXTRA[code]; n++) DIST_CODE[dist++] = code;
  }
  dist >>= 7;
  for (; code < D_CODES; code++) {
    DIST_BASE[code] = (dist << 7) + 1;
    for (let n = 0; n < 1 << (DIST_EXTRA[code] - 7); n++) DIST_CODE[256 + dist++] = code;
  }

  FIXED_LIT_LENGTHS.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
  // Canonical codes (zlib's gen_codes); 286 and 287 take part so the code is complete.
  const count = new Uint16Array(MAX_BITS + 1);
  for (let n = 0; n < 288; n++) count[FIXED_LIT_LENGTHS[n]]++;
  const next = new Uint16Array(MAX_BITS + 1);
  for (let bits = 1, c = 0; bits <= MAX_BITS; bits++) next[bits] = c = (c + count[bits - 1]) << 1;
  for (let n = 0; n < 288; n++) FIXED_LIT_CODES[n] = reverseBits(next[FIXED_LIT_LENGTHS[n]]++, FIXED_LIT_LENGTHS[n]);
  for (let n = 0; n < D_CODES; n++) FIXED_DIST_CODES[n] = reverseBits(n, 5);
}

/** Distance code of distance - 1 (zlib's d_code). */
export function distCode(distMinus1: number): number {
  return distMinus1 < 256 ? DIST_CODE[distMinus1] : DIST_CODE[256 + (distMinus1 >>> 7)];
}
