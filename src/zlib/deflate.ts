/*
 * zlib-exact deflate, for inputs of every size.
 *
 * Produces the same bytes as classic zlib (1.2.x, as transcribed by pako 2.1.0) at its defaults:
 * level 6, windowBits 15, memLevel 8, default strategy, the whole input given at once with
 * Z_FINISH. Access tokens are compressed this way by Agora's reference, so tokens only match byte
 * for byte with these exact bytes.
 *
 * This file is zlib's LZ77 half: deflate_slow, longest_match and fill_window (deflate.c; pako's
 * lib/zlib/deflate.js), for one-shot input. It is the whole algorithm, not a subset: a 32 KiB
 * window in a 64 KiB buffer that slides when the data reaches its end, blocks flushed whenever
 * lit_bufsize - 1 symbols are tallied, the level-6 parameters below. The Huffman half
 * (_tr_flush_block and the trees) is in ./trees.ts. Two things of zlib's are left out because
 * they cannot change the bytes of a one-shot stream:
 *  - Output chunking: pako writes through 16 KiB chunks and resumes deflate_slow when one is
 *    full; the block decisions never depend on it.
 *  - The hash re-initialisation after each read of input in fill_window is kept (it is cheap),
 *    and zlib's `insert` is always 0 here: it is only set when a stream is resumed.
 * Memory: zlib's window, hash chains and symbol buffer are the scratch arrays of ./scratch.ts,
 * reused by every call instead of pako's ~300 KB allocation per call; each call's own values
 * live in locals and in its DeflateState.
 */
import { adler32 } from './adler32';
import { sendBits, type DeflateState } from './deflate-state';
import {
  copyOut, D_TREE, DEFLATE_HEAD, DEFLATE_OUT, DEFLATE_OUT_INPUT_MAX, DEFLATE_PREV, DEFLATE_SYMS, DEFLATE_WINDOW, deflateRoom,
  L_TREE,
} from './scratch';
import {
  DIST_BASE, DIST_CODE, DIST_EXTRA, FIXED_DIST_CODES, FIXED_LIT_CODES, FIXED_LIT_LENGTHS, GOOD_LENGTH, HASH_MASK, HASH_SHIFT,
  LENGTH_BASE, LENGTH_CODE, LENGTH_EXTRA, LITERALS, MAX_CHAIN, MAX_DIST, MAX_LAZY, MAX_MATCH, MIN_LOOKAHEAD, MIN_MATCH,
  NICE_LENGTH, SYM_END, TOO_FAR, W_MASK, W_SIZE, WINDOW_SIZE,
} from './tables';
import { flushBlock, initBlock, measureBlock, newDeflateState, startFixedBlock, type BlockCosts } from './trees';

/** Bytes after the data that longest_match may read (it compares up to strstart + MAX_MATCH). */
const WINDOW_SLACK = MAX_MATCH + 8;
/**
 * Inputs up to this size are written with fixed codes during the LZ77 pass (see deflateSlow):
 * one block (n <= SYM_END), and small enough that zlib nearly always picks the fixed block (larger
 * ones mostly end dynamic, and the speculative fixed codes would cost ~10% for nothing).
 */
const FUSED_MAX = 1024;
/** Below this many bytes, clearing the hash heads one by one beats clearing the whole table. */
const CLEAR_ONE_BY_ONE_MAX = 4096;

/** 78 9C: deflate, 32K window, level flags 2 (default), FCHECK. */
const ZLIB_HEADER_0 = 0x78;
const ZLIB_HEADER_1 = 0x9c;

/**
 * The window's bytes read two at a time, as zlib does where unaligned loads are allowed
 * (UNALIGNED_OK): one 16-bit load and compare instead of two of each, for the two checks every
 * chain entry gets. A view of DEFLATE_WINDOW, not memory of its own. Only equality is ever
 * asked of these values, so they are read little-endian, which needs no byte swap on x86 or
 * ARM (~1.5% of a 64 KiB deflate).
 */
const WINDOW_PAIRS = new DataView(DEFLATE_WINDOW.buffer, DEFLATE_WINDOW.byteOffset, DEFLATE_WINDOW.byteLength);

/**
 * longest_match(s, cur_match) with level-6 parameters. Returns the match length (at most
 * lookahead, 9 bits) | (match_start + 1) << 9 when it finds a match longer than prevLength;
 * zlib's out-parameter match_start otherwise keeps its value, so the caller keeps it in a local.
 * Bytes past the data may be read but cannot change the result (nice_match is capped at
 * lookahead), exactly as in zlib.
 */
function longestMatch(
  win: Uint8Array, prev: Uint16Array, curMatch: number, strstart: number, prevLength: number, lookahead: number,
): number {
  const pairs = WINDOW_PAIRS;
  let chainLength = prevLength >= GOOD_LENGTH ? MAX_CHAIN >> 2 : MAX_CHAIN;
  let bestLen = prevLength;
  const niceMatch = NICE_LENGTH > lookahead ? lookahead : NICE_LENGTH;
  const limit = strstart > MAX_DIST ? strstart - MAX_DIST : 0;
  // zlib's scan_start and scan_end (UNALIGNED_OK): bytes 0-1, and the two ending at best_len.
  const scanStart = pairs.getUint16(strstart, true);
  let scanEnd = pairs.getUint16(strstart + bestLen - 1, true);
  let found = 0;

  // The chain walk is the hot loop (at 64 KiB, most of deflate's time). The rare candidate that
  // passes both checks is measured in a function of its own: written inline here, the comparison
  // made a 64 KiB deflate 12-15% slower (in-process A/B).
  do {
    if (pairs.getUint16(curMatch + bestLen - 1, true) === scanEnd && pairs.getUint16(curMatch, true) === scanStart) {
      const len = matchLength(win, strstart, curMatch);
      if (len > bestLen) {
        found = curMatch + 1;
        bestLen = len;
        if (len >= niceMatch) break;
        scanEnd = pairs.getUint16(strstart + bestLen - 1, true);
      }
    }
  } while ((curMatch = prev[curMatch & W_MASK]) > limit && --chainLength !== 0);

  return (bestLen <= lookahead ? bestLen : lookahead) | (found << 9);
}

/**
 * The length (at most MAX_MATCH) of the match at `match` for the string at `strstart`, whose
 * first two bytes are known equal. scan[2] == match[2] is implied by equal hashes
 * (HASH_BITS >= 8), as in zlib, so the comparison starts at byte 3.
 */
function matchLength(win: Uint8Array, strstart: number, match: number): number {
  let scan = strstart + 2;
  const strend = strstart + MAX_MATCH;
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
  return MAX_MATCH - (strend - scan);
}

/** slide_hash: positions move down by W_SIZE; those that leave the window become NIL (0). */
function slideHash(): void {
  const head = DEFLATE_HEAD;
  for (let i = 0; i < head.length; i++) {
    const m = head[i];
    head[i] = m >= W_SIZE ? m - W_SIZE : 0;
  }
  const prev = DEFLATE_PREV;
  for (let i = 0; i < prev.length; i++) {
    const m = prev[i];
    prev[i] = m >= W_SIZE ? m - W_SIZE : 0;
  }
}

/**
 * FLUSH_BLOCK: the block of window[blockStart, end) with the `symNext` symbols tallied for it
 * (its bytes have left the window, and no stored block is possible, once blockStart is
 * negative). In the LZ77 loop this only happens to inputs longer than FUSED_MAX (a full symbol
 * buffer takes SYM_END symbols), so the loop's bit-writer locals are not in use there: `st`
 * keeps the writer's state.
 */
function flushTo(st: DeflateState, win: Uint8Array, symNext: number, blockStart: number, end: number, last: boolean): void {
  st.symNext = symNext;
  flushBlock(st, win, blockStart >= 0 ? blockStart : -1, end - blockStart, last);
}

/**
 * deflate_slow(s, Z_FINISH) over input[0, n), with fill_window, _tr_tally and FLUSH_BLOCK, writing
 * the blocks through `st`. zlib's state variables are locals here: this loop is the hot path.
 *
 * When the input is small (n <= FUSED_MAX), it is one block (n <= SYM_END: fewer than SYM_END
 * symbols are tallied in the loop, so only the final flush happens), and the loop also writes
 * each symbol with the fixed codes as it tallies it: that is the block zlib picks for nearly
 * every token, and then no second pass over the symbols is needed. flushBlock rewinds over it when zlib picks another block type.
 */
function deflateSlow(st: DeflateState, input: Uint8Array, n: number, measure = false): BlockCosts | undefined {
  const win = DEFLATE_WINDOW;
  const fixedCodes = FIXED_LIT_CODES;
  const fixedLengths = FIXED_LIT_LENGTHS;
  const out = st.out;
  const prev = DEFLATE_PREV;
  const head = DEFLATE_HEAD;
  const syms = DEFLATE_SYMS;
  const lFreq = L_TREE.freq;
  const lUsed = L_TREE.used;
  const dFreq = D_TREE.freq;
  const dUsed = D_TREE.used;
  let nextIn = 0;
  let strstart = 0;
  let lookahead = 0;
  let blockStart = 0;
  let insH = 0;
  let matchLength = MIN_MATCH - 1;
  let prevLength = MIN_MATCH - 1;
  let prevMatch = 0;
  let matchStart = 0;
  let matchAvailable = false;
  let symNext = 0;
  // The hash head of strstart when the literal run has inserted it (0: not inserted).
  let insertedHead = 0;
  initBlock(st);
  // The fixed-code block as the loop goes (see above): the bit writer in locals.
  const fused = n <= FUSED_MAX;
  if (fused) startFixedBlock(st);
  let pos = st.pos;
  let bitBuf = st.bitBuf;
  let bitCount = st.bitCount;

  // strstart + lookahead only changes in fill_window, so the test below cannot pass before
  // strstart reaches fillAt: one comparison a byte instead of three.
  let fillAt = 0;
  for (;;) {
    // fill_window, when it has something to do: read input, or slide the window (zlib also slides
    // when the input is all read).
    if (strstart >= fillAt && lookahead < MIN_LOOKAHEAD && (nextIn < n || strstart >= W_SIZE + MAX_DIST)) {
      do {
        let more = WINDOW_SIZE - lookahead - strstart;
        if (strstart >= W_SIZE + MAX_DIST) {
          win.copyWithin(0, W_SIZE, W_SIZE + W_SIZE - more);
          matchStart -= W_SIZE;
          strstart -= W_SIZE;
          blockStart -= W_SIZE;
          slideHash();
          more += W_SIZE;
        }
        if (nextIn === n) break;
        const take = n - nextIn < more ? n - nextIn : more;
        const at = strstart + lookahead;
        win.set(take === input.length ? input : input.subarray(nextIn, nextIn + take), at);
        nextIn += take;
        lookahead += take;
        // The bytes longest_match may read past the end: zeros, as in pako's fresh window.
        if (nextIn === n) win.fill(0, at + take, at + take + WINDOW_SLACK);
        if (lookahead >= MIN_MATCH) insH = ((win[strstart] << HASH_SHIFT) ^ win[strstart + 1]) & HASH_MASK;
      } while (lookahead < MIN_LOOKAHEAD && nextIn < n);
      fillAt = strstart + lookahead - MIN_LOOKAHEAD + 1;
      if (nextIn === n && fillAt < W_SIZE + MAX_DIST) fillAt = W_SIZE + MAX_DIST;
    }
    if (lookahead === 0) break;

    // INSERT_STRING(s, strstart, hash_head), unless the literal run below has inserted strstart.
    let hashHead = 0;
    if (insertedHead !== 0) {
      hashHead = insertedHead;
      insertedHead = 0;
    } else if (lookahead >= MIN_MATCH) {
      insH = ((insH << HASH_SHIFT) ^ win[strstart + MIN_MATCH - 1]) & HASH_MASK;
      hashHead = prev[strstart & W_MASK] = head[insH];
      head[insH] = strstart;
    }

    prevLength = matchLength;
    prevMatch = matchStart;
    matchLength = MIN_MATCH - 1;

    if (hashHead !== 0 && prevLength < MAX_LAZY && strstart - hashHead <= MAX_DIST) {
      const found = longestMatch(win, prev, hashHead, strstart, prevLength, lookahead);
      matchLength = found & 511;
      if (found > 511) matchStart = (found >>> 9) - 1;
      // A length-3 match that far away is not worth it (TOO_FAR).
      if (matchLength === MIN_MATCH && strstart - matchStart > TOO_FAR) matchLength = MIN_MATCH - 1;
    }

    if (prevLength >= MIN_MATCH && matchLength <= prevLength) {
      // The previous match is at least as good: emit it (_tr_tally_dist).
      const maxInsert = strstart + lookahead - MIN_MATCH;
      const dist = strstart - 1 - prevMatch;
      const lc = prevLength - MIN_MATCH;
      syms[symNext++] = (dist << 8) | lc;
      const l = LENGTH_CODE[lc] + LITERALS + 1;
      lFreq[l]++;
      lUsed[l >>> 5] |= 1 << (l & 31);
      const d = dist <= 256 ? DIST_CODE[dist - 1] : DIST_CODE[256 + ((dist - 1) >>> 7)];
      dFreq[d]++;
      dUsed[0] |= 1 << d;
      st.extraBits += LENGTH_EXTRA[l - LITERALS - 1] + DIST_EXTRA[d];
      if (fused) {
        // Length code and extra bits (at most 8 + 5), distance code (5), distance extra bits (at most 13).
        const code = l - LITERALS - 1;
        bitBuf |= (fixedCodes[l] | ((lc + MIN_MATCH - LENGTH_BASE[code]) << fixedLengths[l])) << bitCount;
        bitCount += fixedLengths[l] + LENGTH_EXTRA[code];
        if (bitCount >= 16) {
          out[pos++] = bitBuf & 0xff;
          out[pos++] = (bitBuf >>> 8) & 0xff;
          bitBuf >>>= 16;
          bitCount -= 16;
        }
        bitBuf |= FIXED_DIST_CODES[d] << bitCount;
        bitCount += 5;
        if (bitCount >= 16) {
          out[pos++] = bitBuf & 0xff;
          out[pos++] = (bitBuf >>> 8) & 0xff;
          bitBuf >>>= 16;
          bitCount -= 16;
        }
        bitBuf |= (dist - DIST_BASE[d]) << bitCount;
        bitCount += DIST_EXTRA[d];
        if (bitCount >= 16) {
          out[pos++] = bitBuf & 0xff;
          out[pos++] = (bitBuf >>> 8) & 0xff;
          bitBuf >>>= 16;
          bitCount -= 16;
        }
      }
      // strstart-1 and strstart are already inserted; insert the rest of the match.
      lookahead -= prevLength - 1;
      prevLength -= 2;
      do {
        if (++strstart <= maxInsert) {
          insH = ((insH << HASH_SHIFT) ^ win[strstart + MIN_MATCH - 1]) & HASH_MASK;
          prev[strstart & W_MASK] = head[insH];
          head[insH] = strstart;
        }
      } while (--prevLength !== 0);
      matchAvailable = false;
      matchLength = MIN_MATCH - 1;
      strstart++;
      if (symNext === SYM_END) {
        flushTo(st, win, symNext, blockStart, strstart, false);
        blockStart = strstart;
        symNext = 0;
      }
    } else if (matchAvailable) {
      // No better match here: the previous byte goes out as a literal (_tr_tally_lit). Then a
      // literal run: while no match is pending (matchLength < MIN_MATCH) and the next positions
      // have no earlier string with their hash, zlib's loop does only this for them (insert the
      // position, no match to look for, the previous byte out as a literal). Most bytes of a token,
      // and of varied text, go this way. The run stops at the first position with a hash head
      // (inserted: the top of the loop takes it as its hashHead and goes on from there), or where
      // lookahead would drop below MIN_MATCH or fill_window may have work (runEnd; 0: no run).
      let runEnd = 0;
      if (matchLength < MIN_MATCH) {
        const lastInsert = strstart + lookahead - (MIN_MATCH - 1);
        runEnd = lastInsert < fillAt ? lastInsert : fillAt;
      }
      for (;;) {
        const c = win[strstart - 1];
        syms[symNext++] = c;
        lFreq[c]++;
        lUsed[c >>> 5] |= 1 << (c & 31);
        if (fused) {
          bitBuf |= fixedCodes[c] << bitCount;
          bitCount += fixedLengths[c];
          if (bitCount >= 16) {
            out[pos++] = bitBuf & 0xff;
            out[pos++] = (bitBuf >>> 8) & 0xff;
            bitBuf >>>= 16;
            bitCount -= 16;
          }
        }
        if (symNext === SYM_END) {
          flushTo(st, win, symNext, blockStart, strstart, false);
          blockStart = strstart;
          symNext = 0;
        }
        strstart++;
        lookahead--;
        if (strstart >= runEnd) break;
        insH = ((insH << HASH_SHIFT) ^ win[strstart + MIN_MATCH - 1]) & HASH_MASK;
        insertedHead = prev[strstart & W_MASK] = head[insH];
        head[insH] = strstart;
        if (insertedHead !== 0) break;
      }
    } else {
      // Wait one byte to see whether the next position matches better.
      matchAvailable = true;
      strstart++;
      lookahead--;
    }
  }
  if (fused) {
    st.pos = pos;
    st.bitBuf = bitBuf;
    st.bitCount = bitCount;
  }
  if (matchAvailable) {
    const c = win[strstart - 1];
    syms[symNext++] = c;
    lFreq[c]++;
    lUsed[c >>> 5] |= 1 << (c & 31);
    if (fused) sendBits(st, fixedCodes[c], fixedLengths[c]);
  }
  if (measure) {
    st.symNext = symNext;
    return measureBlock(st);
  }
  flushTo(st, win, symNext, blockStart, strstart, true);
  return undefined;
}

/**
 * Restores DEFLATE_HEAD to zeros (zlib's CLEAR_HASH, done at the end of a call so that the next
 * starts from it): only the heads of input[0, n)'s 3-byte strings can be set.
 */
function clearHash(input: Uint8Array, n: number): void {
  const head = DEFLATE_HEAD;
  if (n > CLEAR_ONE_BY_ONE_MAX) {
    head.fill(0);
    return;
  }
  // The rolling hash of zlib's UPDATE_HASH only keeps the last 3 bytes: each one is computed
  // on its own, without a chain from one to the next.
  for (let i = MIN_MATCH - 1; i < n; i++) {
    head[((input[i - 2] << (2 * HASH_SHIFT)) ^ (input[i - 1] << HASH_SHIFT) ^ input[i]) & HASH_MASK] = 0;
  }
}

function checkLength(input: Uint8Array, length: number | undefined): number {
  if (!(input instanceof Uint8Array)) throw new TypeError('zlibDeflate: input must be a Uint8Array');
  if (length === undefined) return input.length;
  if (!(length >= 0 && length <= input.length) || length % 1 !== 0) {
    throw new RangeError(`zlibDeflate: length ${length} out of range 0..${input.length}`);
  }
  return length;
}

/**
 * Runs deflate over input[0, n), writing the zlib stream to `out` from `start` (which has
 * deflateRoom(n) bytes of room there); returns the position after its last byte.
 */
function run(input: Uint8Array, n: number, out: Uint8Array, start: number): number {
  const st = newDeflateState(out);
  try {
    out[start] = ZLIB_HEADER_0;
    out[start + 1] = ZLIB_HEADER_1;
    st.pos = start + 2;
    deflateSlow(st, input, n);
    const adler = adler32(input, 0, n);
    let pos = st.pos;
    out[pos++] = adler >>> 24;
    out[pos++] = (adler >>> 16) & 0xff;
    out[pos++] = (adler >>> 8) & 0xff;
    out[pos++] = adler & 0xff;
    return pos;
  } finally {
    clearHash(input, n);
  }
}

/**
 * zlib stream (RFC 1950: 78 9C header, deflate data, big-endian Adler-32) of input[0, length),
 * byte-identical to pako 2.1.0's `pako.deflate(...)` with default options (= classic zlib level
 * 6, what `deflateSync` of Node's zlib and Java's `Deflater` give). Returns a new array owned by
 * the caller.
 */
export function zlibDeflate(input: Uint8Array, length?: number): Uint8Array {
  const n = checkLength(input, length);
  const out = outputFor(n);
  return copyOut(out, run(input, n, out, 0));
}

/** Where a stream for `n` input bytes is written when not in the caller's array: the scratch, or an array of its own. */
function outputFor(n: number): Uint8Array {
  return n <= DEFLATE_OUT_INPUT_MAX ? DEFLATE_OUT : new Uint8Array(deflateRoom(n));
}

/** True when out[outPos, +room) shares memory with input[0, n): the input is read while the output is written. */
function overlaps(input: Uint8Array, n: number, out: Uint8Array, outPos: number, room: number): boolean {
  if (out === input) return outPos < n; // the token packer's case, without reading `buffer`
  if (out.buffer !== input.buffer) return false;
  const outStart = out.byteOffset + outPos;
  return outStart < input.byteOffset + n && input.byteOffset < outStart + room;
}

/** The most bytes {@link zlibDeflateInto} writes for `length` input bytes. */
export function zlibDeflateBound(length: number): number {
  return deflateRoom(length);
}

/**
 * Same bytes as {@link zlibDeflate}, written into the caller's `out` at `outPos`; returns how
 * many bytes were written. With {@link zlibDeflateBound} bytes of room at `outPos` (`out` may be
 * `input`'s array past `length`), the stream is written there directly; with less, or where
 * that room overlaps the input, it goes through the scratch and is copied if it fits.
 */
export function zlibDeflateInto(input: Uint8Array, length: number, out: Uint8Array, outPos: number): number {
  const n = checkLength(input, length);
  if (!(outPos >= 0 && outPos <= out.length && outPos % 1 === 0)) throw new RangeError(`zlibDeflateInto: outPos ${outPos} out of range 0..${out.length}`);
  const room = zlibDeflateBound(n);
  if (out.length - outPos >= room && !overlaps(input, n, out, outPos, room)) return run(input, n, out, outPos) - outPos;
  const scratch = outputFor(n);
  const len = run(input, n, scratch, 0);
  if (outPos + len > out.length) throw new RangeError(`zlibDeflateInto: no room for ${len} bytes at ${outPos}`);
  out.set(scratch.subarray(0, len), outPos);
  return len;
}

/**
 * For tests: the block costs zlib weighs for `input` (at most one block: fewer than 16,383
 * symbols), with the lower bound that lets the compressor skip the dynamic trees. See
 * measureBlock in ./trees.ts.
 * @internal
 */
export function deflateBlockCosts(input: Uint8Array): BlockCosts {
  const n = checkLength(input, undefined);
  if (n >= SYM_END) throw new RangeError(`deflateBlockCosts: ${n} bytes may take more than one block`);
  const st = newDeflateState(new Uint8Array(deflateRoom(n)));
  try {
    return deflateSlow(st, input, n, true) as BlockCosts;
  } finally {
    clearHash(input, n);
  }
}
