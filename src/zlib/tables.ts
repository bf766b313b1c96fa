/*
 * DEFLATE's constants (RFC 1951 §3.2.5–3.2.7) and zlib's parameters as this package compresses,
 * the one copy that inflate.ts and the deflate side (deflate.ts, trees.ts, scratch.ts) share. The
 * tables are built once at load from the two extra-bits rows: about two thousand array writes, no
 * allocation after load. Nothing here changes afterwards.
 *
 * The numbers come first and this module imports nothing: that is what lets the bundler write
 * them into the code that uses them. A module-level constant it leaves as a variable is a load
 * from the module's scope on every use in V8, in every iteration of the LZ77 and inflate loops
 * (~10% of a 64 KiB deflate).
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

/*
 * zlib's parameters: windowBits 15, memLevel 8 (deflateInit's defaults) and level 6.
 */
/** zlib's w_size: a 32 KiB window. */
export const W_SIZE = 1 << 15;
export const W_MASK = W_SIZE - 1;
/** zlib's window_size: the window array holds two windows. */
export const WINDOW_SIZE = 2 * W_SIZE;
/** zlib's MIN_LOOKAHEAD and MAX_DIST: the lookahead fill_window keeps, and the farthest match. */
export const MIN_LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1;
export const MAX_DIST = W_SIZE - MIN_LOOKAHEAD;
/** zlib's hash_bits for memLevel 8, and its hash_shift: (HASH_BITS + MIN_MATCH - 1) / MIN_MATCH. */
export const HASH_BITS = 8 + 7;
export const HASH_MASK = (1 << HASH_BITS) - 1;
export const HASH_SHIFT = 5;
/** Symbols per block: zlib's lit_bufsize for memLevel 8; a block is flushed at sym_end = lit_bufsize - 1. */
export const LIT_BUFSIZE = 1 << (8 + 6);
export const SYM_END = LIT_BUFSIZE - 1;
/** configuration_table[6], and TOO_FAR: a length-3 match farther than this is not worth it. */
export const GOOD_LENGTH = 8;
export const MAX_LAZY = 16;
export const NICE_LENGTH = 128;
export const MAX_CHAIN = 128;
export const TOO_FAR = 4096;

/** Extra bits of length codes 0..28 (symbols 257..285). */
export const LENGTH_EXTRA = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0);
/** Extra bits of distance codes 0..29. */
export const DIST_EXTRA = Uint8Array.of(0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13);
/** Order in which the code-length code lengths are sent (§3.2.7). */
export const CL_ORDER = Uint8Array.of(16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15);

/** Byte bit reversal: Huffman codes go out most significant bit first in an LSB-first stream. */
export const REV8 = reversedBytes();
/** Match length of each length code's first value (3..258). */
export const LENGTH_BASE = new Uint16Array(LENGTH_CODES);
/** match length - 3 (0..255) -> length code 0..28 (zlib's _length_code). */
export const LENGTH_CODE = lengthCodes(LENGTH_BASE);
/** Distance of each distance code's first value (1..24577). */
export const DIST_BASE = new Uint16Array(D_CODES);
/** distance - 1: entries 0..255 direct, 256..511 indexed by 256 + ((distance - 1) >>> 7) (zlib's _dist_code). */
export const DIST_CODE = distCodes(DIST_BASE);
/** Fixed literal/length code lengths, symbols 0..287 (§3.2.6). */
export const FIXED_LIT_LENGTHS = new Uint8Array(288).fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
/** Fixed literal/length codes, bit-reversed, ready to send LSB first (zlib's static_ltree). */
export const FIXED_LIT_CODES = canonicalCodes(FIXED_LIT_LENGTHS);
/** Fixed distance codes (all 5 bits), bit-reversed. */
export const FIXED_DIST_CODES = Uint16Array.from({ length: D_CODES }, (_, code) => reverseBits(code, 5));

/** `code`'s low `length` bits, reversed (zlib's bi_reverse). */
export function reverseBits(code: number, length: number): number {
  return ((REV8[code & 0xff] << 8) | REV8[(code >>> 8) & 0xff]) >>> (16 - length);
}

/*
 * The tables are built by the functions below, each called once at load, rather than by loops at
 * module level (see docs/design.md, "Load time").
 */

function reversedBytes(): Uint8Array {
  const rev = new Uint8Array(256);
  // i's reversal is that of i >> 1, shifted down, with i's low bit on top.
  for (let i = 1; i < 256; i++) rev[i] = (rev[i >>> 1] >>> 1) | ((i & 1) << 7);
  return rev;
}

/** LENGTH_CODE, and each code's base into `base`. */
function lengthCodes(base: Uint16Array): Uint8Array {
  const codes = new Uint8Array(256);
  let length = 0;
  let code = 0;
  for (; code < LENGTH_CODES - 1; code++) {
    base[code] = length + MIN_MATCH;
    for (let n = 0; n < 1 << LENGTH_EXTRA[code]; n++) codes[length++] = code;
  }
  // Length 258 could be code 284 with 5 extra bits; DEFLATE (and zlib) use code 285.
  codes[length - 1] = code;
  base[code] = MAX_MATCH;
  return codes;
}

/** DIST_CODE, and each code's base into `base`. */
function distCodes(base: Uint16Array): Uint8Array {
  const codes = new Uint8Array(512);
  let dist = 0;
  let code = 0;
  for (; code < 16; code++) {
    base[code] = dist + 1;
    for (let n = 0; n < 1 << DIST_EXTRA[code]; n++) codes[dist++] = code;
  }
  dist >>= 7;
  for (; code < D_CODES; code++) {
    base[code] = (dist << 7) + 1;
    for (let n = 0; n < 1 << (DIST_EXTRA[code] - 7); n++) codes[256 + dist++] = code;
  }
  return codes;
}

/** Canonical codes of code lengths, bit-reversed (zlib's gen_codes). */
function canonicalCodes(lengths: Uint8Array): Uint16Array {
  const count = new Uint16Array(MAX_BITS + 1);
  for (let n = 0; n < lengths.length; n++) count[lengths[n]]++;
  const next = new Uint16Array(MAX_BITS + 1);
  for (let bits = 1, c = 0; bits <= MAX_BITS; bits++) next[bits] = c = (c + count[bits - 1]) << 1;
  // All 288 fixed lengths take part (286 and 287 too), so the code is complete.
  const codes = new Uint16Array(lengths.length);
  for (let n = 0; n < lengths.length; n++) codes[n] = reverseBits(next[lengths[n]]++, lengths[n]);
  return codes;
}

/** Distance code of distance - 1 (zlib's d_code). */
export function distCode(distMinus1: number): number {
  return distMinus1 < 256 ? DIST_CODE[distMinus1] : DIST_CODE[256 + (distMinus1 >>> 7)];
}
