/**
 * A small, self-contained zlib (RFC 1950) / DEFLATE (RFC 1951) decoder for hostile input.
 *
 * Why not pako: tokens come from strangers, so the read side needs a hard output cap that is
 * enforced *while* inflating (a 100-byte token must not be able to make us allocate 10 MB),
 * every read checked against the end of the input, and byte-level control over what counts as
 * "truncated", "trailing bytes" or "bad checksum", so that a lenient mode can reproduce exactly
 * what Agora's Java reference accepts.
 *
 * Runtime-agnostic: only Uint8Array / typed arrays, synchronous, no Buffer, no `node:` imports.
 *
 * Two modes:
 *
 * - strict (default): the input must be one complete zlib stream: a valid header (no preset
 *   dictionary), blocks up to and including the final block, then a complete and correct
 *   big-endian Adler-32. Distances must also stay inside the window size the header declares.
 *   Bytes after the Adler-32 are *not* an error; they are counted in `trailing` and the caller
 *   decides.
 *
 * - lenient: reproduces `io.agora.media.Utils.decompress` of the Java reference, i.e.
 *
 *   ```java
 *   inflater.setInput(data);                    // java.util.zip.Inflater, zlib 1.2.x underneath
 *   byte[] buf = new byte[8192];
 *   while ((len = inflater.inflate(buf)) > 0) bos.write(buf, 0, len);
 *   // every exception (DataFormatException ...) is caught and printed; bos is returned as is
 *   ```
 *
 *   which means:
 *   - input that ends early (anywhere: header, block, Adler-32) is not an error: the result is
 *     everything decoded from complete symbols so far (`complete: false` when the final block was
 *     not finished; `checksum: 'missing' | 'truncated'` when 0 or 1–3 Adler-32 bytes are there);
 *   - a present but wrong Adler-32, or any other data error, makes Java's `inflate()` throw, and
 *     the output of that `inflate()` call is lost; only the 8192-byte chunks returned by earlier
 *     calls survive. For payloads under 8 KiB (every real token) that is an empty array, so we
 *     throw the InflateError. When ≥ 8192 bytes would survive, we return exactly those bytes
 *     with the swallowed error in `swallowedError` (callers should normally still refuse them);
 *   - a preset dictionary (FDICT) makes Java stop with nothing (needsDictionary): we throw
 *     ERR_ZLIB_HEADER;
 *   - the declared window size (CINFO) is only checked to be ≤ 32 KiB, as zlib does; distances
 *     only have to stay inside the data produced so far.
 *   The one deliberate difference from Java is `maxOutput`, enforced in both modes.
 */

import { adler32 } from './adler32';
import {
  huffmanArrays, INFLATE_CL_LENS, INFLATE_DYN_CL, INFLATE_DYN_DIST, INFLATE_DYN_LIT, INFLATE_LENS, INFLATE_NEXT_CODE,
  INFLATE_OFFS, INFLATE_OUT, INFLATE_ROOT, type HuffmanScratch,
} from './scratch';
import { CL_ORDER, DIST_BASE, DIST_EXTRA, FIXED_LIT_LENGTHS, LENGTH_BASE, LENGTH_EXTRA, MAX_BITS, REV8, reverseBits } from './tables';

export type InflateErrorCode =
  | 'ERR_ZLIB_HEADER'
  | 'ERR_ZLIB_DATA'
  | 'ERR_ZLIB_TRUNCATED'
  | 'ERR_ZLIB_CHECKSUM'
  | 'ERR_INFLATE_LIMIT';

/** The only error type zlibInflate throws for bad input (RangeError/TypeError only for bad options). */
export class InflateError extends Error {
  readonly code: InflateErrorCode;
  constructor(code: InflateErrorCode, message: string) {
    super(message);
    this.name = 'InflateError';
    this.code = code;
  }
}

export interface InflateOptions {
  /** Hard cap on the inflated size in bytes; exceeding it throws ERR_INFLATE_LIMIT immediately. */
  maxOutput: number;
  /** Mirror the Java reference (see the module comment). Default false (strict). */
  lenient?: boolean;
}

export interface InflateResult {
  /**
   * The inflated bytes, owned by the caller (never a view of memory the inflater reuses). Up to
   * 64 KiB it is an exact-size array; beyond, it may be a view (byteOffset 0) of a buffer of its
   * own up to twice as long.
   */
  output: Uint8Array;
  /** True when the final block was decoded to its end-of-block code. Always true in strict mode. */
  complete: boolean;
  /**
   * 'ok': the 4 Adler-32 bytes were present and matched. 'missing': no Adler-32 byte at all
   * (or the stream itself ended early). 'truncated': 1–3 of the 4 bytes. Strict mode only ever
   * returns 'ok'.
   */
  checksum: 'ok' | 'missing' | 'truncated';
  /** Input bytes after the Adler-32 (only when checksum is 'ok'; otherwise 0). */
  trailing: number;
  /**
   * Lenient mode only, and only when Java's loop would have kept ≥ 8192 bytes despite a data
   * error: the error Java swallowed. `output` is then what Java returns (whole 8192-byte chunks).
   */
  swallowedError?: InflateError;
}

/** Java's Utils.decompress reads the inflater through an 8192-byte buffer. */
const JAVA_CHUNK = 8192;

/** First-level lookup width: every fixed-Huffman code (≤ 9 bits) decodes in one lookup. */
const ROOT = INFLATE_ROOT;
const ROOT_SIZE = 1 << ROOT;
const ROOT_MASK = ROOT_SIZE - 1;
/** Table entry = (symbol << 4) | codeLength; 0 means "longer than ROOT bits, use the slow path". */
const INVALID_SYM = 0xfff;
/** zlib marks unused codes of an incomplete (single 1-bit or empty) code as invalid after 1 bit. */
const INVALID_ENTRY = (INVALID_SYM << 4) | 1;

/**
 * A canonical Huffman code: one-level lookup for codes ≤ ROOT bits + canonical tables for longer
 * ones: `table` (ROOT_SIZE entries), `counts` (codes per length), `first` (first canonical code of
 * each length), `index` (position in `sorted` of the first symbol of each length), `sorted`
 * (symbols ordered by length, then symbol).
 */
type Huffman = HuffmanScratch;

/**
 * Decodes a code longer than ROOT bits (the root entry was 0) from the next 15 stream bits `b`,
 * returning a packed (symbol << 4) | length entry. Codes with long symbols are complete, so one
 * of the lengths ROOT+1..15 matches; INVALID_ENTRY is a defensive fallback.
 */
function longEntry(h: Huffman, b: number): number {
  b &= 0x7fff;
  // Stream bits are LSB-first but codes are MSB-first: reverse the 15 bits once.
  const rev = (REV8[b & 0xff] << 7) | (REV8[b >>> 8] >>> 1);
  for (let len = ROOT + 1; len <= MAX_BITS; len++) {
    const offset = (rev >>> (MAX_BITS - len)) - h.first[len];
    if (offset >= 0 && offset < h.counts[len]) return (h.sorted[h.index[len] + offset] << 4) | len;
  }
  return INVALID_ENTRY;
}

// Scratch (see ./scratch.ts): zlibInflate is synchronous and never re-entered, and each call
// sets what it reads. OFFS[0] and NEXT_CODE[0] stay 0.
const OFFS = INFLATE_OFFS;
const NEXT_CODE = INFLATE_NEXT_CODE;
const LENS = INFLATE_LENS;
const CL_LENS = INFLATE_CL_LENS;
const DYN_LIT = INFLATE_DYN_LIT;
const DYN_DIST = INFLATE_DYN_DIST;
const DYN_CL = INFLATE_DYN_CL;
/** First output buffer of every call; larger outputs move to fresh arrays that double. */
const SCRATCH = INFLATE_OUT;

const BUILD_OK = 0;
const BUILD_OVERSUBSCRIBED = 1;
const BUILD_INCOMPLETE = 2;

/**
 * Builds `h` from code lengths, validating like zlib's inflate_table(): over-subscribed sets are
 * always rejected; incomplete sets are rejected except (for literal/length and distance codes,
 * `allowSingle`) a lone 1-bit code, whose unused pattern decodes as invalid. An all-zero set is
 * accepted and every lookup yields the invalid entry (zlib reports the error only when used).
 */
function buildHuffman(h: Huffman, lens: Uint8Array, off: number, n: number, allowSingle: boolean): number {
  const counts = h.counts;
  const table = h.table;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[lens[off + i]]++;
  counts[0] = 0;
  let max = MAX_BITS;
  while (max > 0 && counts[max] === 0) max--;
  if (max === 0) {
    table.fill(INVALID_ENTRY);
    return BUILD_OK;
  }
  let left = 1;
  for (let len = 1; len <= MAX_BITS; len++) {
    left = (left << 1) - counts[len];
    if (left < 0) return BUILD_OVERSUBSCRIBED;
  }
  if (left > 0) {
    if (!allowSingle || max !== 1) return BUILD_INCOMPLETE;
    table.fill(INVALID_ENTRY); // only here can a root entry stay unassigned
  }
  OFFS[1] = 0;
  let code = 0;
  for (let len = 1; len <= MAX_BITS; len++) {
    OFFS[len + 1] = OFFS[len] + counts[len];
    code = (code + counts[len - 1]) << 1;
    NEXT_CODE[len] = code;
  }
  h.first.set(NEXT_CODE);
  h.index.set(OFFS);
  const sorted = h.sorted;
  for (let sym = 0; sym < n; sym++) {
    const len = lens[off + sym];
    if (len === 0) continue;
    sorted[OFFS[len]++] = sym;
    const c = NEXT_CODE[len]++;
    const r = reverseBits(c, len);
    if (len <= ROOT) {
      const entry = (sym << 4) | len;
      for (let i = r; i < ROOT_SIZE; i += 1 << len) table[i] = entry;
    } else {
      table[r & ROOT_MASK] = 0; // the ROOT-bit prefix of a long code: go to the slow path
    }
  }
  return BUILD_OK;
}

/** RFC 1951 §3.2.6 fixed codes, built at load. Symbols 286/287 and distances 30/31 exist but are invalid. */
const FIXED_LIT = huffmanArrays(288);
const FIXED_DIST = huffmanArrays(32);
buildHuffman(FIXED_LIT, FIXED_LIT_LENGTHS, 0, 288, false);
buildHuffman(FIXED_DIST, new Uint8Array(32).fill(5), 0, 32, false);

/** Thrown internally when the input ends before the current item is complete (never escapes). */
class OutOfInput {}
const OUT_OF_INPUT = new OutOfInput();

class Inflater {
  readonly data: Uint8Array;
  readonly end: number;
  pos = 0;
  /** Up to 31 not-yet-consumed bits, LSB first. Bits above bitCnt are always zero. */
  bitBuf = 0;
  bitCnt = 0;
  out: Uint8Array;
  outLen = 0;
  readonly maxOutput: number;
  /** Strict mode: largest distance the header's CINFO allows; lenient: 32768 (zlib's window). */
  window = 32768;
  /** Set when the pending error is "distance too far back" (Java chunking differs, see below). */
  matchError = false;

  constructor(data: Uint8Array, maxOutput: number) {
    this.data = data;
    this.end = data.length;
    this.maxOutput = maxOutput;
    // Start in the shared scratch buffer (allocating typed arrays costs more than inflating a
    // token); the view is capped at maxOutput because `out.length` doubles as the limit check.
    this.out = SCRATCH.subarray(0, Math.min(maxOutput, SCRATCH.length));
  }

  refill(): void {
    // Keep at most 31 bits so the buffer stays a non-negative small integer (no heap numbers).
    while (this.bitCnt <= 23 && this.pos < this.end) {
      this.bitBuf |= this.data[this.pos++] << this.bitCnt;
      this.bitCnt += 8;
    }
  }

  bits(n: number): number {
    if (this.bitCnt < n) {
      this.refill();
      if (this.bitCnt < n) throw OUT_OF_INPUT;
    }
    const v = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>= n;
    this.bitCnt -= n;
    return v;
  }

  /** Drops the bits up to the next byte boundary and hands buffered whole bytes back to the input. */
  alignToByte(): void {
    this.pos -= this.bitCnt >>> 3;
    this.bitBuf = 0;
    this.bitCnt = 0;
  }

  /**
   * Decodes one symbol. A symbol is decoded only if all of its bits are present (as zlib does);
   * near the end of input the lookup runs on zero padding and the code length tells whether the
   * real bits sufficed.
   */
  decode(h: Huffman): number {
    if (this.bitCnt < MAX_BITS) this.refill();
    let entry = h.table[this.bitBuf & ROOT_MASK];
    if (entry === 0) entry = longEntry(h, this.bitBuf);
    const len = entry & 15;
    if (len > this.bitCnt) throw OUT_OF_INPUT;
    this.bitBuf >>= len;
    this.bitCnt -= len;
    return entry >>> 4;
  }

  /** Makes room for `n` more output bytes, doubling up to maxOutput; throws before exceeding it. */
  grow(n: number): void {
    const need = this.outLen + n;
    if (need > this.maxOutput) {
      throw new InflateError(
        'ERR_INFLATE_LIMIT',
        `inflated data exceeds the limit of ${this.maxOutput} bytes`,
      );
    }
    if (need <= this.out.length) return;
    let next: Uint8Array;
    try {
      next = new Uint8Array(Math.max(need, Math.min(this.maxOutput, this.out.length * 2)));
    } catch {
      // Only reachable with a huge maxOutput: still report it as the limit, never a RangeError.
      throw new InflateError('ERR_INFLATE_LIMIT', `cannot allocate ${need} bytes for the inflated data`);
    }
    next.set(this.out.subarray(0, this.outLen));
    this.out = next;
  }

  stored(): void {
    this.alignToByte();
    const data = this.data;
    let p = this.pos;
    if (this.end - p < 4) throw OUT_OF_INPUT;
    const len = data[p] | (data[p + 1] << 8);
    const nlen = data[p + 2] | (data[p + 3] << 8);
    if (len !== (~nlen & 0xffff)) {
      throw new InflateError('ERR_ZLIB_DATA', `invalid stored block lengths at input byte ${p}`);
    }
    p += 4;
    // zlib copies whatever part of a stored block is present; so do we (then report truncation).
    const copy = Math.min(len, this.end - p);
    this.grow(copy);
    this.out.set(data.subarray(p, p + copy), this.outLen);
    this.outLen += copy;
    this.pos = p + copy;
    if (copy < len) throw OUT_OF_INPUT;
  }

  dynamicTables(): void {
    // zlib reads the three counts as one 14-bit unit.
    if (this.bitCnt < 14) {
      this.refill();
      if (this.bitCnt < 14) throw OUT_OF_INPUT;
    }
    const nlen = this.bits(5) + 257;
    const ndist = this.bits(5) + 1;
    const ncode = this.bits(4) + 4;
    if (nlen > 286 || ndist > 30) {
      throw new InflateError('ERR_ZLIB_DATA', 'too many length or distance symbols');
    }
    CL_LENS.fill(0);
    for (let i = 0; i < ncode; i++) CL_LENS[CL_ORDER[i]] = this.bits(3);
    let clEmpty = true;
    for (let i = 0; i < 19; i++) if (CL_LENS[i] !== 0) clEmpty = false;
    const total = nlen + ndist;
    if (clEmpty) {
      // zlib accepts an empty code-length code; each length then decodes as 0 from one bit, and
      // the missing end-of-block code is reported after nlen + ndist bits (or truncation first).
      if (this.bitCnt + 8 * (this.end - this.pos) < total) throw OUT_OF_INPUT;
      throw new InflateError('ERR_ZLIB_DATA', 'invalid code -- missing end-of-block');
    }
    if (buildHuffman(DYN_CL, CL_LENS, 0, 19, false) !== BUILD_OK) {
      throw new InflateError('ERR_ZLIB_DATA', 'invalid code lengths set');
    }
    let i = 0;
    while (i < total) {
      const sym = this.decode(DYN_CL);
      if (sym < 16) {
        LENS[i++] = sym;
        continue;
      }
      let value = 0;
      let repeat: number;
      if (sym === 16) {
        repeat = 3 + this.bits(2);
        if (i === 0) throw new InflateError('ERR_ZLIB_DATA', 'invalid bit length repeat');
        value = LENS[i - 1];
      } else if (sym === 17) {
        repeat = 3 + this.bits(3);
      } else {
        repeat = 11 + this.bits(7);
      }
      if (i + repeat > total) throw new InflateError('ERR_ZLIB_DATA', 'invalid bit length repeat');
      LENS.fill(value, i, i + repeat);
      i += repeat;
    }
    if (LENS[256] === 0) {
      throw new InflateError('ERR_ZLIB_DATA', 'invalid code -- missing end-of-block');
    }
    if (buildHuffman(DYN_LIT, LENS, 0, nlen, true) !== BUILD_OK) {
      throw new InflateError('ERR_ZLIB_DATA', 'invalid literal/lengths set');
    }
    if (buildHuffman(DYN_DIST, LENS, nlen, ndist, true) !== BUILD_OK) {
      throw new InflateError('ERR_ZLIB_DATA', 'invalid distances set');
    }
  }

  /**
   * Decodes one Huffman-coded block. This is the hot loop, so the bit reader lives in locals and
   * is written back when the block ends (or in `finally`, so errors report the right outLen).
   * Output is written only for symbols whose bits (and extra bits) are all present.
   */
  codes(lit: Huffman, dist: Huffman): void {
    const data = this.data;
    const end = this.end;
    const ltab = lit.table;
    const dtab = dist.table;
    let pos = this.pos;
    let buf = this.bitBuf;
    let cnt = this.bitCnt;
    let out = this.out;
    let outLen = this.outLen;
    try {
      for (;;) {
        // ≥ 24 bits after a refill (unless input ends): a literal/length code + its ≤ 5 extra bits.
        if (cnt < 20) {
          while (cnt <= 23 && pos < end) {
            buf |= data[pos++] << cnt;
            cnt += 8;
          }
        }
        let entry = ltab[buf & ROOT_MASK];
        if (entry === 0) entry = longEntry(lit, buf);
        let len = entry & 15;
        if (len > cnt) throw OUT_OF_INPUT;
        const sym = entry >>> 4;
        if (sym < 256) {
          buf >>= len;
          cnt -= len;
          if (outLen === out.length) {
            this.outLen = outLen;
            this.grow(1); // throws past maxOutput (out.length ≤ maxOutput always)
            out = this.out;
          }
          out[outLen++] = sym;
          continue;
        }
        if (sym === 256) {
          buf >>= len;
          cnt -= len;
          break;
        }
        if (sym > 285) throw new InflateError('ERR_ZLIB_DATA', 'invalid literal/length code');
        // Length: code then extra bits, both must be present (zlib consumes nothing otherwise).
        const li = sym - 257;
        const lext = LENGTH_EXTRA[li];
        if (len + lext > cnt) throw OUT_OF_INPUT;
        buf >>= len;
        cnt -= len;
        const length = LENGTH_BASE[li] + (buf & ((1 << lext) - 1));
        buf >>= lext;
        cnt -= lext;
        // Distance code: refill for up to 15 code bits.
        if (cnt < 15) {
          while (cnt <= 23 && pos < end) {
            buf |= data[pos++] << cnt;
            cnt += 8;
          }
        }
        entry = dtab[buf & ROOT_MASK];
        if (entry === 0) entry = longEntry(dist, buf);
        len = entry & 15;
        if (len > cnt) throw OUT_OF_INPUT;
        const dsym = entry >>> 4;
        if (dsym > 29) throw new InflateError('ERR_ZLIB_DATA', 'invalid distance code');
        buf >>= len;
        cnt -= len;
        // Distance extra bits: up to 13.
        const dext = DIST_EXTRA[dsym];
        if (cnt < dext) {
          while (cnt <= 23 && pos < end) {
            buf |= data[pos++] << cnt;
            cnt += 8;
          }
          if (cnt < dext) throw OUT_OF_INPUT;
        }
        const d = DIST_BASE[dsym] + (buf & ((1 << dext) - 1));
        buf >>= dext;
        cnt -= dext;
        if (d > outLen) {
          this.matchError = true;
          throw new InflateError('ERR_ZLIB_DATA', 'invalid distance too far back');
        }
        if (d > this.window) {
          throw new InflateError(
            'ERR_ZLIB_DATA',
            `distance ${d} exceeds the window size ${this.window} declared in the header`,
          );
        }
        const stop = outLen + length;
        if (stop > out.length) {
          this.outLen = outLen;
          this.grow(length); // throws ERR_INFLATE_LIMIT past maxOutput
          out = this.out;
        }
        const from = outLen - d;
        if (d >= length && length > 32) {
          // No overlap: one memmove beats a byte loop for long matches.
          out.copyWithin(outLen, from, from + length);
          outLen = stop;
        } else {
          // Byte by byte: matches may overlap their own output (d < length).
          for (let f = from; outLen < stop; ) out[outLen++] = out[f++];
        }
      }
    } finally {
      this.outLen = outLen;
      this.pos = pos;
      this.bitBuf = buf;
      this.bitCnt = cnt;
    }
  }

  /** Parses the header and all blocks; returns with the reader positioned after the final block. */
  run(strict: boolean): void {
    const data = this.data;
    if (this.end < 2) throw OUT_OF_INPUT;
    const cmf = data[0];
    const flg = data[1];
    if (((cmf << 8) | flg) % 31 !== 0) {
      throw new InflateError('ERR_ZLIB_HEADER', 'incorrect header check (FCHECK)');
    }
    if ((cmf & 0x0f) !== 8) {
      throw new InflateError('ERR_ZLIB_HEADER', `unknown compression method ${cmf & 0x0f}`);
    }
    if (cmf >>> 4 > 7) {
      throw new InflateError('ERR_ZLIB_HEADER', `invalid window size (CINFO ${cmf >>> 4})`);
    }
    if (flg & 0x20) {
      // zlib first waits for the 4-byte DICTID; Java then stops with needsDictionary() and an
      // empty result. Lenient mirrors the wait (a short input is just truncated).
      if (!strict && this.end < 6) throw OUT_OF_INPUT;
      throw new InflateError('ERR_ZLIB_HEADER', 'preset dictionary (FDICT) is not supported');
    }
    if (strict) this.window = 1 << ((cmf >>> 4) + 8);
    this.pos = 2;
    let last = 0;
    while (last === 0) {
      // zlib needs the 3 header bits together.
      if (this.bitCnt < 3) {
        this.refill();
        if (this.bitCnt < 3) throw OUT_OF_INPUT;
      }
      last = this.bits(1);
      const type = this.bits(2);
      if (type === 0) {
        this.stored();
      } else if (type === 1) {
        this.codes(FIXED_LIT, FIXED_DIST);
      } else if (type === 2) {
        this.dynamicTables();
        this.codes(DYN_LIT, DYN_DIST);
      } else {
        throw new InflateError('ERR_ZLIB_DATA', 'invalid block type 3');
      }
    }
  }

  /**
   * Output still in the scratch buffer is copied out; a grown buffer (the call's own) is returned
   * as a view (offset 0) instead of copied, which keeps the total allocation under 2 × maxOutput.
   */
  result(length: number): Uint8Array {
    const out = this.out;
    if (out.buffer === SCRATCH.buffer) return out.slice(0, length);
    return length === out.length ? out : out.subarray(0, length);
  }
}

/**
 * Inflates a zlib stream with a hard output cap. See the module comment for strict vs lenient.
 *
 * Memory: output goes to a 64 KiB scratch buffer first (copied out at the end), then to
 * fresh buffers that double up to maxOutput (the last one is returned as a view, not copied), so
 * no input can make one call allocate more than 2 × maxOutput in total.
 *
 * @throws InflateError (ERR_ZLIB_HEADER | ERR_ZLIB_DATA | ERR_ZLIB_TRUNCATED | ERR_ZLIB_CHECKSUM |
 *   ERR_INFLATE_LIMIT); TypeError/RangeError only for invalid arguments.
 */
export function zlibInflate(data: Uint8Array, options: InflateOptions): InflateResult {
  if (!(data instanceof Uint8Array)) throw new TypeError('zlibInflate: data must be a Uint8Array');
  const maxOutput = options.maxOutput;
  if (!Number.isSafeInteger(maxOutput) || maxOutput < 0) {
    throw new RangeError('zlibInflate: maxOutput must be a non-negative safe integer');
  }
  const lenient = options.lenient === true;
  const s = new Inflater(data, maxOutput);
  try {
    s.run(!lenient);
  } catch (e) {
    if (e === OUT_OF_INPUT) {
      if (!lenient) {
        throw new InflateError(
          'ERR_ZLIB_TRUNCATED',
          `zlib stream ends early (all ${data.length} input bytes used, final block not finished)`,
        );
      }
      // Java: inflate() returns what it decoded, the next call returns 0 (needsInput), loop ends.
      return outcome(s, s.outLen, false, 'missing', 0);
    }
    if (lenient && e instanceof InflateError && e.code === 'ERR_ZLIB_DATA') {
      const keep = javaSurvivingBytes(s.outLen, s.matchError);
      if (keep > 0) {
        return outcome(s, keep, false, 'missing', 0, e);
      }
    }
    throw e;
  }

  // RFC 1950: the Adler-32 starts at the byte boundary after the final block.
  s.alignToByte();
  const have = data.length - s.pos;
  if (have < 4) {
    if (!lenient) {
      throw new InflateError(
        'ERR_ZLIB_TRUNCATED',
        have === 0 ? 'Adler-32 checksum missing' : `Adler-32 checksum truncated (${have} of 4 bytes)`,
      );
    }
    // zlib waits for more input in its CHECK state: Java keeps the data, no error.
    return outcome(s, s.outLen, true, have === 0 ? 'missing' : 'truncated', 0);
  }
  const p = s.pos;
  const expected = ((data[p] << 24) | (data[p + 1] << 16) | (data[p + 2] << 8) | data[p + 3]) >>> 0;
  if (adler32(s.out, 0, s.outLen) !== expected) {
    const err = new InflateError('ERR_ZLIB_CHECKSUM', 'incorrect data check (Adler-32 mismatch)');
    if (lenient) {
      const keep = javaSurvivingBytes(s.outLen, false);
      if (keep > 0) {
        return outcome(s, keep, false, 'missing', 0, err);
      }
    }
    throw err;
  }
  return outcome(s, s.outLen, true, 'ok', have - 4);
}

/** The result of a call whose first `length` output bytes count. */
function outcome(
  s: Inflater, length: number, complete: boolean, checksum: InflateResult['checksum'], trailing: number,
  swallowedError?: InflateError,
): InflateResult {
  const output = s.result(length);
  const result: InflateResult = { output, complete, checksum, trailing };
  if (swallowedError !== undefined) result.swallowedError = swallowedError;
  return result;
}

/**
 * How many output bytes Java's `while ((len = inflate(buf8192)) > 0)` loop has already stored
 * when zlib reports a data error after `produced` bytes. Each successful call returns exactly 8192
 * bytes; the failing call's bytes are lost. zlib only stops a call when it must *write* a byte
 * and the buffer is full, so an error found right at a multiple of 8192 belongs to the call that
 * filled the buffer — except "distance too far back", which zlib checks after the buffer-full
 * test in its MATCH state, i.e. in the next call.
 */
function javaSurvivingBytes(produced: number, matchError: boolean): number {
  if (matchError) return Math.floor(produced / JAVA_CHUNK) * JAVA_CHUNK;
  return produced === 0 ? 0 : Math.floor((produced - 1) / JAVA_CHUNK) * JAVA_CHUNK;
}
