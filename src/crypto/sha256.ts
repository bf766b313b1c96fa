/**
 * SHA-256 (FIPS 180-4) over byte ranges, with all working state preallocated: tokens sign
 * tiny messages, so per-call allocation would cost more than the compression function.
 * Besides bytes, blocks can be given as 16 big-endian words (`compressWords`): HMAC feeds
 * digests and padded keys that way, without a round trip through bytes.
 */

/** The SHA-256 initial hash value H(0), as words: the state before the first block. */
export const SHA256_INITIAL = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

/**
 * Scratch (listed in test/module-state.test.ts): a block as 16 big-endian words, filled by compressBlock
 * and absorbFinal. It can hold secret message words (the 007 signing chain hashes the app
 * certificate), so absorbFinal zeroes it before returning.
 */
const W = new Int32Array(16);

/**
 * The compression function (FIPS 180-4 §6.2.2) on the block `w[0..15]`: reads the chaining
 * value from `from` and writes the new one to `to` (the same array to update in place; `to`
 * may also be `w`, which is read first). Taking both saves HMAC the copies of its precomputed
 * states. Sixteen rounds written out, everything in locals: the first sixteen, then the same
 * sixteen with the message schedule three times in a loop. In V8 that is ~2.2× as fast as the
 * rounds in a loop of one (compressLoop, ~157 vs ~350 ns a block here), and SHA-256 is a third
 * of a token build and of a verify. All 64 rounds written out ran at ~141 ns a block alone,
 * but their ~14 KB of machine code (this function's: ~8 KB) took 1.5–1.7× as long in over half
 * of the processes that also ran the rest of the package (identical code; where V8 placed it
 * decided), so 64 KB verifies went from ~360 to ~470 µs at random; this one took the same time
 * in every process, and is also ~10% faster in JavaScriptCore. The layout, so that it can be
 * checked line by line:
 *  - Round i is three lines. With the working variables renamed instead of shifted, round i
 *    uses (a..h) rotated right by i mod 8, so round 0 reads
 *      h += Σ1(e) + Ch(e, f, g) + K[0] + W[0];  d += h;  h += Σ0(a) + Maj(a, b, c)
 *    and round 1 the same with (h, a, b, c, d, e, f, g) in the places of (a, ..., h). Sixteen
 *    rounds bring the names back to where they started, so the loop's body is the same each time.
 *  - Ch(e, f, g) = g ^ (e & (f ^ g)) and Maj(a, b, c) = (a & b) | (c & (a | b)), the
 *    three-operation forms of §4.1.2.
 *  - The schedule is a rolling window: from round 16 on, w[i mod 16] becomes
 *    W[i] = σ1(W[i-2]) + W[i-7] + σ0(W[i-15]) + W[i-16] just before round i uses it.
 *  - K[i] are the §4.2.2 constants: in hex in the first sixteen rounds (`| 0` keeps the ones
 *    ≥ 2^31 small integers; as doubles they make V8 add in floating point, 3× slower), from
 *    the table K in the loop.
 *  - Rotations are written out: a helper function stops being inlined at this size.
 */
export function compressUnrolled(from: Int32Array, to: Int32Array, w: Int32Array): void {
  let a = from[0], b = from[1], c = from[2], d = from[3];
  let e = from[4], f = from[5], g = from[6], h = from[7];
  let w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5], w6 = w[6], w7 = w[7];
  let w8 = w[8], w9 = w[9], w10 = w[10], w11 = w[11], w12 = w[12], w13 = w[13], w14 = w[14], w15 = w[15];
  // Rounds 0..7
  h = (h + 0x428a2f98 + w0 + (g ^ (e & (f ^ g))) + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))) | 0;
  d = (d + h) | 0;
  h = (h + ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b))))) | 0;
  g = (g + 0x71374491 + w1 + (f ^ (d & (e ^ f))) + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))) | 0;
  c = (c + g) | 0;
  g = (g + ((((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a))))) | 0;
  f = (f + (0xb5c0fbcf | 0) + w2 + (e ^ (c & (d ^ e))) + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))) | 0;
  b = (b + f) | 0;
  f = (f + ((((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h))))) | 0;
  e = (e + (0xe9b5dba5 | 0) + w3 + (d ^ (b & (c ^ d))) + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))) | 0;
  a = (a + e) | 0;
  e = (e + ((((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g))))) | 0;
  d = (d + 0x3956c25b + w4 + (c ^ (a & (b ^ c))) + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))) | 0;
  h = (h + d) | 0;
  d = (d + ((((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f))))) | 0;
  c = (c + 0x59f111f1 + w5 + (b ^ (h & (a ^ b))) + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))) | 0;
  g = (g + c) | 0;
  c = (c + ((((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e))))) | 0;
  b = (b + (0x923f82a4 | 0) + w6 + (a ^ (g & (h ^ a))) + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))) | 0;
  f = (f + b) | 0;
  b = (b + ((((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d))))) | 0;
  a = (a + (0xab1c5ed5 | 0) + w7 + (h ^ (f & (g ^ h))) + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))) | 0;
  e = (e + a) | 0;
  a = (a + ((((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c))))) | 0;
  // Rounds 8..15
  h = (h + (0xd807aa98 | 0) + w8 + (g ^ (e & (f ^ g))) + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))) | 0;
  d = (d + h) | 0;
  h = (h + ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b))))) | 0;
  g = (g + 0x12835b01 + w9 + (f ^ (d & (e ^ f))) + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))) | 0;
  c = (c + g) | 0;
  g = (g + ((((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a))))) | 0;
  f = (f + 0x243185be + w10 + (e ^ (c & (d ^ e))) + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))) | 0;
  b = (b + f) | 0;
  f = (f + ((((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h))))) | 0;
  e = (e + 0x550c7dc3 + w11 + (d ^ (b & (c ^ d))) + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))) | 0;
  a = (a + e) | 0;
  e = (e + ((((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g))))) | 0;
  d = (d + 0x72be5d74 + w12 + (c ^ (a & (b ^ c))) + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))) | 0;
  h = (h + d) | 0;
  d = (d + ((((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f))))) | 0;
  c = (c + (0x80deb1fe | 0) + w13 + (b ^ (h & (a ^ b))) + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))) | 0;
  g = (g + c) | 0;
  c = (c + ((((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e))))) | 0;
  b = (b + (0x9bdc06a7 | 0) + w14 + (a ^ (g & (h ^ a))) + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))) | 0;
  f = (f + b) | 0;
  b = (b + ((((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d))))) | 0;
  a = (a + (0xc19bf174 | 0) + w15 + (h ^ (f & (g ^ h))) + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))) | 0;
  e = (e + a) | 0;
  a = (a + ((((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c))))) | 0;
  // Rounds 16..63: three times sixteen, each round's message word from the schedule.
  for (let j = 16; j < 64; j += 16) {
    w0 = (w0 + (((w1 >>> 7) | (w1 << 25)) ^ ((w1 >>> 18) | (w1 << 14)) ^ (w1 >>> 3)) + w9 + (((w14 >>> 17) | (w14 << 15)) ^ ((w14 >>> 19) | (w14 << 13)) ^ (w14 >>> 10))) | 0;
    h = (h + K[j + 0] + w0 + (g ^ (e & (f ^ g))) + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))) | 0;
    d = (d + h) | 0;
    h = (h + ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b))))) | 0;
    w1 = (w1 + (((w2 >>> 7) | (w2 << 25)) ^ ((w2 >>> 18) | (w2 << 14)) ^ (w2 >>> 3)) + w10 + (((w15 >>> 17) | (w15 << 15)) ^ ((w15 >>> 19) | (w15 << 13)) ^ (w15 >>> 10))) | 0;
    g = (g + K[j + 1] + w1 + (f ^ (d & (e ^ f))) + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))) | 0;
    c = (c + g) | 0;
    g = (g + ((((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a))))) | 0;
    w2 = (w2 + (((w3 >>> 7) | (w3 << 25)) ^ ((w3 >>> 18) | (w3 << 14)) ^ (w3 >>> 3)) + w11 + (((w0 >>> 17) | (w0 << 15)) ^ ((w0 >>> 19) | (w0 << 13)) ^ (w0 >>> 10))) | 0;
    f = (f + K[j + 2] + w2 + (e ^ (c & (d ^ e))) + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))) | 0;
    b = (b + f) | 0;
    f = (f + ((((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h))))) | 0;
    w3 = (w3 + (((w4 >>> 7) | (w4 << 25)) ^ ((w4 >>> 18) | (w4 << 14)) ^ (w4 >>> 3)) + w12 + (((w1 >>> 17) | (w1 << 15)) ^ ((w1 >>> 19) | (w1 << 13)) ^ (w1 >>> 10))) | 0;
    e = (e + K[j + 3] + w3 + (d ^ (b & (c ^ d))) + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))) | 0;
    a = (a + e) | 0;
    e = (e + ((((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g))))) | 0;
    w4 = (w4 + (((w5 >>> 7) | (w5 << 25)) ^ ((w5 >>> 18) | (w5 << 14)) ^ (w5 >>> 3)) + w13 + (((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10))) | 0;
    d = (d + K[j + 4] + w4 + (c ^ (a & (b ^ c))) + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))) | 0;
    h = (h + d) | 0;
    d = (d + ((((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f))))) | 0;
    w5 = (w5 + (((w6 >>> 7) | (w6 << 25)) ^ ((w6 >>> 18) | (w6 << 14)) ^ (w6 >>> 3)) + w14 + (((w3 >>> 17) | (w3 << 15)) ^ ((w3 >>> 19) | (w3 << 13)) ^ (w3 >>> 10))) | 0;
    c = (c + K[j + 5] + w5 + (b ^ (h & (a ^ b))) + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))) | 0;
    g = (g + c) | 0;
    c = (c + ((((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e))))) | 0;
    w6 = (w6 + (((w7 >>> 7) | (w7 << 25)) ^ ((w7 >>> 18) | (w7 << 14)) ^ (w7 >>> 3)) + w15 + (((w4 >>> 17) | (w4 << 15)) ^ ((w4 >>> 19) | (w4 << 13)) ^ (w4 >>> 10))) | 0;
    b = (b + K[j + 6] + w6 + (a ^ (g & (h ^ a))) + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))) | 0;
    f = (f + b) | 0;
    b = (b + ((((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d))))) | 0;
    w7 = (w7 + (((w8 >>> 7) | (w8 << 25)) ^ ((w8 >>> 18) | (w8 << 14)) ^ (w8 >>> 3)) + w0 + (((w5 >>> 17) | (w5 << 15)) ^ ((w5 >>> 19) | (w5 << 13)) ^ (w5 >>> 10))) | 0;
    a = (a + K[j + 7] + w7 + (h ^ (f & (g ^ h))) + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))) | 0;
    e = (e + a) | 0;
    a = (a + ((((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c))))) | 0;
    w8 = (w8 + (((w9 >>> 7) | (w9 << 25)) ^ ((w9 >>> 18) | (w9 << 14)) ^ (w9 >>> 3)) + w1 + (((w6 >>> 17) | (w6 << 15)) ^ ((w6 >>> 19) | (w6 << 13)) ^ (w6 >>> 10))) | 0;
    h = (h + K[j + 8] + w8 + (g ^ (e & (f ^ g))) + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))) | 0;
    d = (d + h) | 0;
    h = (h + ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b))))) | 0;
    w9 = (w9 + (((w10 >>> 7) | (w10 << 25)) ^ ((w10 >>> 18) | (w10 << 14)) ^ (w10 >>> 3)) + w2 + (((w7 >>> 17) | (w7 << 15)) ^ ((w7 >>> 19) | (w7 << 13)) ^ (w7 >>> 10))) | 0;
    g = (g + K[j + 9] + w9 + (f ^ (d & (e ^ f))) + (((d >>> 6) | (d << 26)) ^ ((d >>> 11) | (d << 21)) ^ ((d >>> 25) | (d << 7)))) | 0;
    c = (c + g) | 0;
    g = (g + ((((h >>> 2) | (h << 30)) ^ ((h >>> 13) | (h << 19)) ^ ((h >>> 22) | (h << 10))) + ((h & a) | (b & (h | a))))) | 0;
    w10 = (w10 + (((w11 >>> 7) | (w11 << 25)) ^ ((w11 >>> 18) | (w11 << 14)) ^ (w11 >>> 3)) + w3 + (((w8 >>> 17) | (w8 << 15)) ^ ((w8 >>> 19) | (w8 << 13)) ^ (w8 >>> 10))) | 0;
    f = (f + K[j + 10] + w10 + (e ^ (c & (d ^ e))) + (((c >>> 6) | (c << 26)) ^ ((c >>> 11) | (c << 21)) ^ ((c >>> 25) | (c << 7)))) | 0;
    b = (b + f) | 0;
    f = (f + ((((g >>> 2) | (g << 30)) ^ ((g >>> 13) | (g << 19)) ^ ((g >>> 22) | (g << 10))) + ((g & h) | (a & (g | h))))) | 0;
    w11 = (w11 + (((w12 >>> 7) | (w12 << 25)) ^ ((w12 >>> 18) | (w12 << 14)) ^ (w12 >>> 3)) + w4 + (((w9 >>> 17) | (w9 << 15)) ^ ((w9 >>> 19) | (w9 << 13)) ^ (w9 >>> 10))) | 0;
    e = (e + K[j + 11] + w11 + (d ^ (b & (c ^ d))) + (((b >>> 6) | (b << 26)) ^ ((b >>> 11) | (b << 21)) ^ ((b >>> 25) | (b << 7)))) | 0;
    a = (a + e) | 0;
    e = (e + ((((f >>> 2) | (f << 30)) ^ ((f >>> 13) | (f << 19)) ^ ((f >>> 22) | (f << 10))) + ((f & g) | (h & (f | g))))) | 0;
    w12 = (w12 + (((w13 >>> 7) | (w13 << 25)) ^ ((w13 >>> 18) | (w13 << 14)) ^ (w13 >>> 3)) + w5 + (((w10 >>> 17) | (w10 << 15)) ^ ((w10 >>> 19) | (w10 << 13)) ^ (w10 >>> 10))) | 0;
    d = (d + K[j + 12] + w12 + (c ^ (a & (b ^ c))) + (((a >>> 6) | (a << 26)) ^ ((a >>> 11) | (a << 21)) ^ ((a >>> 25) | (a << 7)))) | 0;
    h = (h + d) | 0;
    d = (d + ((((e >>> 2) | (e << 30)) ^ ((e >>> 13) | (e << 19)) ^ ((e >>> 22) | (e << 10))) + ((e & f) | (g & (e | f))))) | 0;
    w13 = (w13 + (((w14 >>> 7) | (w14 << 25)) ^ ((w14 >>> 18) | (w14 << 14)) ^ (w14 >>> 3)) + w6 + (((w11 >>> 17) | (w11 << 15)) ^ ((w11 >>> 19) | (w11 << 13)) ^ (w11 >>> 10))) | 0;
    c = (c + K[j + 13] + w13 + (b ^ (h & (a ^ b))) + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7)))) | 0;
    g = (g + c) | 0;
    c = (c + ((((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & e) | (f & (d | e))))) | 0;
    w14 = (w14 + (((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3)) + w7 + (((w12 >>> 17) | (w12 << 15)) ^ ((w12 >>> 19) | (w12 << 13)) ^ (w12 >>> 10))) | 0;
    b = (b + K[j + 14] + w14 + (a ^ (g & (h ^ a))) + (((g >>> 6) | (g << 26)) ^ ((g >>> 11) | (g << 21)) ^ ((g >>> 25) | (g << 7)))) | 0;
    f = (f + b) | 0;
    b = (b + ((((c >>> 2) | (c << 30)) ^ ((c >>> 13) | (c << 19)) ^ ((c >>> 22) | (c << 10))) + ((c & d) | (e & (c | d))))) | 0;
    w15 = (w15 + (((w0 >>> 7) | (w0 << 25)) ^ ((w0 >>> 18) | (w0 << 14)) ^ (w0 >>> 3)) + w8 + (((w13 >>> 17) | (w13 << 15)) ^ ((w13 >>> 19) | (w13 << 13)) ^ (w13 >>> 10))) | 0;
    a = (a + K[j + 15] + w15 + (h ^ (f & (g ^ h))) + (((f >>> 6) | (f << 26)) ^ ((f >>> 11) | (f << 21)) ^ ((f >>> 25) | (f << 7)))) | 0;
    e = (e + a) | 0;
    a = (a + ((((b >>> 2) | (b << 30)) ^ ((b >>> 13) | (b << 19)) ^ ((b >>> 22) | (b << 10))) + ((b & c) | (d & (b | c))))) | 0;
  }
  to[0] = (from[0] + a) | 0; to[1] = (from[1] + b) | 0;
  to[2] = (from[2] + c) | 0; to[3] = (from[3] + d) | 0;
  to[4] = (from[4] + e) | 0; to[5] = (from[5] + f) | 0;
  to[6] = (from[6] + g) | 0; to[7] = (from[7] + h) | 0;
}

/** The §4.2.2 round constants K[0..63], for the compact compression function. */
const K = Int32Array.of(
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
);

/**
 * The same compression function as a loop, with the schedule as a rolling window of 16 words
 * (§6.2.2; W[i] replaces W[i - 16] just before round i): about 2.2× the time of
 * compressUnrolled once optimized, but V8 compiles it in a fraction of the time. It runs for a
 * process's first 64 blocks only (see `compressor`). Its window is a fresh 64-byte array (V8
 * keeps those on its heap: cheap to make), zeroed before it returns (it holds message words, and
 * the signing chain's are secret).
 */
export function compressLoop(from: Int32Array, to: Int32Array, w: Int32Array): void {
  const s = new Int32Array(16);
  for (let i = 0; i < 16; i++) s[i] = w[i];
  let a = from[0], b = from[1], c = from[2], d = from[3];
  let e = from[4], f = from[5], g = from[6], h = from[7];
  for (let i = 0; i < 64; i++) {
    if (i >= 16) {
      const x = s[(i - 15) & 15];
      const y = s[(i - 2) & 15];
      const sigma0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const sigma1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      s[i & 15] = (sigma1 + s[(i - 7) & 15] + sigma0 + s[i & 15]) | 0;
    }
    const bigSigma1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + bigSigma1 + (g ^ (e & (f ^ g))) + K[i] + s[i & 15]) | 0;
    const bigSigma0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (bigSigma0 + ((a & b) | (c & (a | b)))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0;
    d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  to[0] = (from[0] + a) | 0; to[1] = (from[1] + b) | 0;
  to[2] = (from[2] + c) | 0; to[3] = (from[3] + d) | 0;
  to[4] = (from[4] + e) | 0; to[5] = (from[5] + f) | 0;
  to[6] = (from[6] + g) | 0; to[7] = (from[7] + h) | 0;
  s.fill(0);
}

/**
 * The compression function in use (listed in test/module-state.test.ts; it picks the function,
 * never changes a digest): compressLoop for a process's first 64 blocks (about five tokens), then
 * compressUnrolled for good. V8 takes ~0.55 ms to compile the unrolled function on its first
 * call and ~0.55 ms more for its baseline tier at about its ninth (all 64 rounds written out took
 * ~1.3 and ~2 ms): a good part of a fresh process's first token, which is all a serverless
 * endpoint's cold start makes. The loop costs a fraction of that. The switch happens once,
 * early, before any engine optimizes the callers, and only the loop counts blocks: the hot path
 * is one call through `compressor.run`. Exported for the test that checks the switch; nothing
 * outside this file writes it.
 */
export const compressor = { run: countedLoop, loopBlocksLeft: 64 };

function countedLoop(from: Int32Array, to: Int32Array, w: Int32Array): void {
  if (--compressor.loopBlocksLeft === 0) compressor.run = compressUnrolled;
  compressLoop(from, to, w);
}

/** The compression function: see `compressor`. */
function compress(from: Int32Array, to: Int32Array, w: Int32Array): void {
  compressor.run(from, to, w);
}

/** Messages from this many bytes on are read through a DataView (which costs an allocation). */
const VIEW_MIN = 1024;

/** W[0..count) = the big-endian words of the `4 * count` bytes at `offset` of `data`. */
function loadWords(data: Uint8Array, offset: number, count: number): void {
  for (let i = 0; i < count; i++, offset += 4) {
    W[i] = (data[offset] << 24) | (data[offset + 1] << 16) | (data[offset + 2] << 8) | data[offset + 3];
  }
}

/** The compression function on the 64 bytes at `offset` of `data`, from state `from` to `to`. */
export function compressBlock(from: Int32Array, to: Int32Array, data: Uint8Array, offset: number): void {
  loadWords(data, offset, 16);
  compress(from, to, W);
}

/** The compression function on a block given as 16 big-endian words, from state `from` to `to`. */
export function compressWords(from: Int32Array, to: Int32Array, words: Int32Array): void {
  compress(from, to, words);
}

/**
 * Absorbs `data[start, end)` plus padding, starting from the state `from` after `prefixLength`
 * bytes (a multiple of 64; `SHA256_INITIAL` and 0 for a plain hash). The digest is then `to`,
 * as big-endian words; `from` is not changed unless it is `to`. The padded tail goes straight
 * into the word block: no byte copy of it, no fill.
 */
export function absorbFinal(from: Int32Array, to: Int32Array, prefixLength: number, data: Uint8Array, start: number, end: number): void {
  let offset = start;
  let state = from;
  if (end - offset >= VIEW_MIN) {
    // Long messages: one big-endian load a word instead of four byte loads and their shifts.
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    while (end - offset >= 64) {
      for (let i = 0; i < 16; i++) W[i] = view.getInt32(offset + 4 * i);
      compress(state, to, W);
      state = to;
      offset += 64;
    }
  } else {
    while (end - offset >= 64) {
      compressBlock(state, to, data, offset);
      state = to;
      offset += 64;
    }
  }
  const rest = end - offset;
  const whole = rest >>> 2;
  loadWords(data, offset, whole);
  offset += whole * 4;
  // The last 0..3 message bytes, then the 0x80 that starts the padding.
  let tail = 0x80 << (24 - 8 * (rest & 3));
  for (let k = 0; k < (rest & 3); k++) tail |= data[offset + k] << (24 - 8 * k);
  W[whole] = tail;
  for (let i = whole + 1; i < 16; i++) W[i] = 0;
  if (rest >= 56) {
    // No room for the length: it goes into one more block.
    compress(state, to, W);
    state = to;
    for (let i = 0; i < 14; i++) W[i] = 0;
  }
  // Message length in bits, big-endian; tokens are far below 2^32 bits, but stay exact.
  const bits = (prefixLength + (end - start)) * 8;
  W[14] = Math.floor(bits / 0x100000000);
  W[15] = bits | 0;
  compress(state, to, W);
  for (let i = 0; i < 16; i++) W[i] = 0;
}

/** Writes the digest held in `state` to `out` at `outOffset` (32 bytes). */
export function writeDigest(state: Int32Array, out: Uint8Array, outOffset = 0): void {
  for (let i = 0; i < 8; i++) {
    const v = state[i];
    out[outOffset + i * 4] = v >>> 24;
    out[outOffset + i * 4 + 1] = v >>> 16;
    out[outOffset + i * 4 + 2] = v >>> 8;
    out[outOffset + i * 4 + 3] = v;
  }
}

/** SHA-256 digest of `data` (a fresh 32-byte array). */
export function sha256(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  const state = new Int32Array(8);
  absorbFinal(SHA256_INITIAL, state, 0, data, 0, data.length);
  writeDigest(state, out);
  state.fill(0);
  return out;
}

/** The module's scratch, for the test that checks it holds no secret after a call. @internal */
export const sha256Scratch: readonly Int32Array[] = [W];
