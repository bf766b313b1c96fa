/*
 * zlib-exact deflate for small inputs.
 *
 * Produces the same bytes as classic zlib (1.2.x, as transcribed by pako 2.1.0)
 * at its defaults: level 6, windowBits 15, memLevel 8, default strategy, the
 * whole input given at once with Z_FINISH. Access tokens are compressed this way
 * by Agora's reference, so tokens only match byte for byte with these exact bytes.
 *
 * The LZ77 half below is zlib's deflate_slow + longest_match (deflate.c, pako's
 * lib/zlib/deflate.js), specialised for one-shot input that fits in one block;
 * the Huffman half is in ./trees.ts. All state is allocated once and reused, so
 * a call costs microseconds instead of pako's ~300 KB state allocation.
 *
 * Fast-path limit: inputs of at most FAST_PATH_MAX = 16383 bytes. For those,
 * pako/zlib provably does exactly what this file does:
 *  - fill_window reads all of the input in its first read_buf (window_size is
 *    64 KiB), never reads again and never slides the window (that needs
 *    strstart >= 2*32768 - 262); MAX_DIST (32506) never limits a match.
 *  - The block is flushed early only when _tr_tally fills sym_buf, i.e. after
 *    lit_bufsize - 1 = 16383 symbols tallied inside deflate_slow's loop (the
 *    tally of the final pending literal after the loop ignores bflush). Each
 *    symbol covers at least one byte and the last byte is never tallied inside
 *    the loop as a literal, so with n <= 16383 bytes at most n - 1 <= 16382
 *    symbols are tallied in the loop: the whole input is one final block.
 *  - Output buffering (pako's 16 KiB chunks) never changes the bytes: within a
 *    single block, avail_out only shrinks when the block is flushed.
 * Larger inputs go to pako.deflate itself.
 */
import pako from 'pako';
import { adler32 } from './adler32';
import { bitOut, sendBits } from './bits';
import { finishFixedBlock, FIXED_LITERAL, initBlock, measureBlock, SYM_BUF_SYMBOLS, tallyMatch, writeFinalBlock, type BlockCosts, type Tally } from './trees';

/** Largest input (bytes) handled by the allocation-free path; see the file comment. */
export const FAST_PATH_MAX = SYM_BUF_SYMBOLS; // 16383

const MIN_MATCH = 3;
const MAX_MATCH = 258;
const MIN_LOOKAHEAD = MAX_MATCH + MIN_MATCH + 1;
const W_SIZE = 1 << 15;
const MAX_DIST = W_SIZE - MIN_LOOKAHEAD;
const HASH_BITS = 8 + 7; // memLevel + 7
const HASH_SIZE = 1 << HASH_BITS;
const HASH_MASK = HASH_SIZE - 1;
const HASH_SHIFT = 5; // (HASH_BITS + MIN_MATCH - 1) / MIN_MATCH
// configuration_table[6]
const GOOD_LENGTH = 8;
const MAX_LAZY = 16;
const NICE_LENGTH = 128;
const MAX_CHAIN = 128;
const TOO_FAR = 4096;

/** 78 9C: deflate, 32K window, level flags 2 (default), FCHECK. */
const ZLIB_HEADER_0 = 0x78;
const ZLIB_HEADER_1 = 0x9c;
const ZLIB_HEADER_LENGTH = 2;

/* Reused state, allocated on first use. */
/** Input copy plus zeroed slack: longest_match may look up to MAX_MATCH past the end. */
let windowBuf = new Uint8Array(0);
/** prev[pos]: previous position with the same hash (window index = position, no wrap here). */
let prev = new Uint16Array(0);
/**
 * head[hash] = (headBase + position of the newest string with that hash) mod 2^16.
 * A call's positions are [headBase, headBase + n), and headBase only grows until
 * the table is cleared, so an entry from an earlier call (or a cleared 0) reads
 * back as a position >= n, which is NIL. 16 bits keep the table at 64 KB: it is
 * read once per input byte, at a random place.
 */
let head = new Uint16Array(0);
let headBase = 0;
/** Window bytes at [inputLength, highWater) may be non-zero from an earlier call. */
let highWater = 0;
let outBuf = new Uint8Array(0);



function ensureState(): void {
  if (windowBuf.length !== 0) return;
  windowBuf = new Uint8Array(FAST_PATH_MAX + MAX_MATCH + 16);
  prev = new Uint16Array(FAST_PATH_MAX + 1);
  head = new Uint16Array(HASH_SIZE);
  // The LZ77 pass writes the fixed-code block whatever zlib then picks: at most 9 bits a byte.
  outBuf = new Uint8Array(Math.ceil((FAST_PATH_MAX * 9) / 8) + 64);
}

/**
 * longest_match(s, cur_match) with level-6 parameters. Returns the match length
 * (at most lookahead, 9 bits) | (match_start + 1) << 9 when it finds a match
 * longer than prevLength; zlib's out-parameter match_start otherwise keeps its
 * value, so the caller keeps it in a local. Bytes past the input are read but
 * cannot change the result (nice_match is capped at lookahead), exactly as in zlib.
 */
function longestMatch(
  win: Uint8Array,
  prv: Uint16Array,
  curMatch: number,
  strstart: number,
  prevLength: number,
  lookahead: number,
): number {
  // limit is NIL: strstart <= FAST_PATH_MAX < MAX_DIST.
  let chainLength = prevLength >= GOOD_LENGTH ? MAX_CHAIN >> 2 : MAX_CHAIN;
  let bestLen = prevLength;
  const niceMatch = NICE_LENGTH > lookahead ? lookahead : NICE_LENGTH;
  const strend = strstart + MAX_MATCH;
  const scan0 = win[strstart];
  const scan1 = win[strstart + 1];
  let scanEnd1 = win[strstart + bestLen - 1];
  let scanEnd = win[strstart + bestLen];
  let found = 0;

  do {
    let match = curMatch;
    if (
      win[match + bestLen] !== scanEnd ||
      win[match + bestLen - 1] !== scanEnd1 ||
      win[match] !== scan0 ||
      win[match + 1] !== scan1
    ) {
      continue;
    }
    // scan[2] == match[2] is implied by equal hashes (HASH_BITS >= 8), as in zlib.
    let scan = strstart + 2;
    match += 2;
    // Compare 8 at a time; strend is reached exactly after 32 rounds.
    while (
      win[++scan] === win[++match] &&
      win[++scan] === win[++match] &&
      win[++scan] === win[++match] &&
      win[++scan] === win[++match] &&
      win[++scan] === win[++match] &&
      win[++scan] === win[++match] &&
      win[++scan] === win[++match] &&
      win[++scan] === win[++match] &&
      scan < strend
    ) {
      /* keep scanning */
    }
    const len = MAX_MATCH - (strend - scan);
    if (len > bestLen) {
      found = curMatch + 1;
      bestLen = len;
      if (len >= niceMatch) break;
      scanEnd1 = win[strstart + bestLen - 1];
      scanEnd = win[strstart + bestLen];
    }
  } while ((curMatch = prv[curMatch]) > 0 && --chainLength !== 0);

  return (bestLen <= lookahead ? bestLen : lookahead) | (found << 9);
}

/** _tr_tally_lit for byte c as symbol `index`, and its fixed code through bitOut. */
function tallyLiteral(index: number, c: number, tally: Tally): void {
  tally.syms[index] = c;
  tally.lFreq[c]++;
  tally.lUsed[c >>> 5] |= 1 << (c & 31);
  const code = FIXED_LITERAL[c];
  sendBits(code & 0xffff, code >>> 16);
}

/**
 * deflate_slow(s, Z_FINISH) over window[0, n) as one block. Symbols go into
 * `tally` as zlib's _tr_tally would record them, and out as fixed codes through
 * bitOut (see initBlock). Literals are done inline, with the bit writer's state
 * in locals: this loop is the hot path. Returns the number of symbols.
 */
function deflateSlow(win: Uint8Array, n: number, tally: Tally): number {
  const { syms, lFreq, lUsed } = tally;
  const fixed = FIXED_LITERAL;
  const out = bitOut.out;
  let outPos = bitOut.pos;
  let bits = bitOut.buf;
  let bitCount = bitOut.count;
  let symbols = 0;
  const prv = prev;
  const hd = head;
  const base = headBase;
  let strstart = 0;
  let lookahead = n;
  let matchLength = MIN_MATCH - 1;
  let prevLength = MIN_MATCH - 1;
  let prevMatch = 0;
  let matchAvailable = false;
  let matchStart = 0;

  // fill_window's hash initialisation after its (only) read.
  let insH = 0;
  if (lookahead >= MIN_MATCH) insH = ((win[0] << HASH_SHIFT) ^ win[1]) & HASH_MASK;

  while (lookahead !== 0) {
    // INSERT_STRING(s, strstart, hash_head)
    let hashHead = 0;
    if (lookahead >= MIN_MATCH) {
      insH = ((insH << HASH_SHIFT) ^ win[strstart + MIN_MATCH - 1]) & HASH_MASK;
      const h = (hd[insH] - base) & 0xffff;
      hashHead = h < strstart ? h : 0;
      prv[strstart] = hashHead;
      hd[insH] = base + strstart;
    }

    prevLength = matchLength;
    prevMatch = matchStart;
    matchLength = MIN_MATCH - 1;

    if (hashHead !== 0 && prevLength < MAX_LAZY && strstart - hashHead <= MAX_DIST) {
      const found = longestMatch(win, prv, hashHead, strstart, prevLength, lookahead);
      matchLength = found & 511;
      if (found > 511) matchStart = (found >>> 9) - 1;
      // A length-3 match that far away is not worth it (TOO_FAR).
      if (matchLength === MIN_MATCH && strstart - matchStart > TOO_FAR) matchLength = MIN_MATCH - 1;
    }

    if (prevLength >= MIN_MATCH && matchLength <= prevLength) {
      // The previous match is at least as good: emit it.
      const maxInsert = strstart + lookahead - MIN_MATCH;
      bitOut.pos = outPos;
      bitOut.buf = bits;
      bitOut.count = bitCount;
      tallyMatch(symbols++, strstart - 1 - prevMatch, prevLength - MIN_MATCH);
      outPos = bitOut.pos;
      bits = bitOut.buf;
      bitCount = bitOut.count;
      // strstart-1 and strstart are already inserted; insert the rest of the match.
      lookahead -= prevLength - 1;
      prevLength -= 2;
      do {
        if (++strstart <= maxInsert) {
          insH = ((insH << HASH_SHIFT) ^ win[strstart + MIN_MATCH - 1]) & HASH_MASK;
          const h = (hd[insH] - base) & 0xffff;
          prv[strstart] = h < strstart ? h : 0;
          hd[insH] = base + strstart;
        }
      } while (--prevLength !== 0);
      matchAvailable = false;
      matchLength = MIN_MATCH - 1;
      strstart++;
    } else if (matchAvailable) {
      // No better match here: the previous byte goes out as a literal (_tr_tally_lit).
      const c = win[strstart - 1];
      syms[symbols++] = c;
      lFreq[c]++;
      lUsed[c >>> 5] |= 1 << (c & 31);
      const code = fixed[c];
      bits |= (code & 0xffff) << bitCount;
      bitCount += code >>> 16;
      if (bitCount >= 16) {
        out[outPos++] = bits & 0xff;
        out[outPos++] = (bits >>> 8) & 0xff;
        bits >>>= 16;
        bitCount -= 16;
      }
      strstart++;
      lookahead--;
    } else {
      // Wait one byte to see whether the next position matches better.
      matchAvailable = true;
      strstart++;
      lookahead--;
    }
  }
  bitOut.pos = outPos;
  bitOut.buf = bits;
  bitOut.count = bitCount;
  if (matchAvailable) tallyLiteral(symbols++, win[strstart - 1], tally);
  finishFixedBlock();
  return symbols;
}

/** The LZ77 pass over input[0, n) into the window and a fresh tally; returns the symbol count. */
function tallyInput(input: Uint8Array, n: number): number {
  ensureState();
  const win = windowBuf;
  if (n === input.length) win.set(input);
  else for (let i = 0; i < n; i++) win[i] = input[i];
  // pako's window is fresh zeros; keep the bytes past the input identical too.
  if (highWater > n) win.fill(0, n, highWater);
  highWater = n;

  if (headBase + n > 0xffff) {
    head.fill(0);
    headBase = 0;
  }
  const symbols = deflateSlow(win, n, initBlock(outBuf, ZLIB_HEADER_LENGTH));
  // Every stored position is < headBase + n, so the next call sees them as stale.
  headBase += n;
  return symbols;
}

/** Compress input[0, n) (n <= FAST_PATH_MAX) into outBuf; returns the stream length. */
function deflateFast(input: Uint8Array, n: number): number {
  const symbols = tallyInput(input, n);
  const win = windowBuf;

  const out = outBuf;
  out[0] = ZLIB_HEADER_0;
  out[1] = ZLIB_HEADER_1;
  let pos = writeFinalBlock(win, n, symbols, out);
  const adler = adler32(win, 0, n);
  out[pos++] = adler >>> 24;
  out[pos++] = (adler >>> 16) & 0xff;
  out[pos++] = (adler >>> 8) & 0xff;
  out[pos++] = adler & 0xff;
  return pos;
}

function checkLength(input: Uint8Array, length: number | undefined): number {
  if (length === undefined) return input.length;
  if (!(length >= 0 && length <= input.length) || length % 1 !== 0) {
    throw new RangeError(`zlibDeflate: length ${length} out of range 0..${input.length}`);
  }
  return length;
}

/**
 * zlib stream (RFC 1950: 78 9C header, deflate data, big-endian Adler-32) of
 * input[0, length), byte-identical to pako 2.1.0's `pako.deflate(...)` with
 * default options (= classic zlib level 6). Returns a new array owned by the caller.
 */
export function zlibDeflate(input: Uint8Array, length?: number): Uint8Array {
  const n = checkLength(input, length);
  if (n > FAST_PATH_MAX) return pako.deflate(input.subarray(0, n));
  const len = deflateFast(input, n);
  return outBuf.slice(0, len);
}

/**
 * zlib's compressBound: the most bytes {@link zlibDeflateInto} writes for `length` input bytes.
 */
export function zlibDeflateBound(length: number): number {
  return length + (length >>> 12) + (length >>> 14) + (length >>> 25) + 13;
}

/**
 * Same bytes as {@link zlibDeflate}, written into the caller's `out` at `outPos` (which must
 * have {@link zlibDeflateBound} bytes of room; `out` may be `input`'s array past `length`);
 * returns how many bytes were written. Allocates nothing for inputs up to FAST_PATH_MAX bytes.
 */
export function zlibDeflateInto(input: Uint8Array, length: number, out: Uint8Array, outPos: number): number {
  const n = checkLength(input, length);
  const large = n > FAST_PATH_MAX ? pako.deflate(input.subarray(0, n)) : undefined;
  const len = large ? large.length : deflateFast(input, n);
  const src = large ?? outBuf;
  if (!(outPos >= 0 && outPos + len <= out.length)) throw new RangeError(`zlibDeflateInto: no room for ${len} bytes at ${outPos}`);
  for (let i = 0; i < len; i++) out[outPos + i] = src[i];
  return len;
}

// outBuf is allocated once (ensureState), so a view of each small length can be kept: a token
// build then allocates no view for its compressed bytes.
const CACHED_VIEW_MAX = 512;
/** sharedViews[n] is outBuf.subarray(0, n), made on first use. */
const sharedViews: Uint8Array[] = [];

/**
 * Same bytes as {@link zlibDeflate}, but for inputs up to FAST_PATH_MAX bytes
 * the result is a view into an internal buffer that the next call overwrites.
 * Use it only when the bytes are consumed (encoded, copied) right away.
 */
export function zlibDeflateShared(input: Uint8Array, length?: number): Uint8Array {
  const n = checkLength(input, length);
  if (n > FAST_PATH_MAX) return pako.deflate(input.subarray(0, n));
  const len = deflateFast(input, n);
  if (len > CACHED_VIEW_MAX) return outBuf.subarray(0, len);
  return (sharedViews[len] ??= outBuf.subarray(0, len));
}

/**
 * For tests: the block costs zlib weighs for `input` (at most FAST_PATH_MAX bytes), with the
 * lower bound that lets the compressor skip the dynamic trees. See measureBlock in ./trees.ts.
 * @internal
 */
export function deflateBlockCosts(input: Uint8Array): BlockCosts {
  const n = checkLength(input, undefined);
  if (n > FAST_PATH_MAX) throw new RangeError(`deflateBlockCosts: ${n} bytes is above ${FAST_PATH_MAX}`);
  return measureBlock(tallyInput(input, n));
}
