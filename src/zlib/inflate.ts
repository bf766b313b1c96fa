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
  copyOut, huffmanArrays, INFLATE_CL_LENS, INFLATE_CL_ROOT, INFLATE_COUNT, INFLATE_DIST_ROOT, INFLATE_DYN_CL, INFLATE_DYN_DIST,
  INFLATE_DYN_LIT, INFLATE_LENS, INFLATE_LIT_ROOT, INFLATE_OFFS, INFLATE_OUT, type HuffmanScratch,
} from './scratch';
import { CL_ORDER, DIST_BASE, DIST_EXTRA, FIXED_LIT_LENGTHS, LENGTH_BASE, LENGTH_EXTRA, MAX_BITS, MAX_MATCH } from './tables';

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

/*
 * Decoding tables, as zlib's inflate_table builds them: a root table indexed by the next `root`
 * stream bits, whose entries either decode a symbol or link to a subtable indexed by the bits
 * after the root. One Int32 entry: value << 16 | op << 8 | bits, where bits is the whole code
 * length (the bits a decoded symbol consumes), and op says what value is. (An enum, not
 * constants: the build writes enum members into the decoding loops as numbers.)
 */
const enum Op {
  /** A literal byte (also the code-length code's symbols). */
  Literal = 0,
  /** Op.Base | e: a match length or distance base, followed by e extra bits. */
  Base = 16,
  EndBlock = 32,
  /** Symbols that exist in the code but not in DEFLATE (286, 287; distances 30, 31), and unused codes. */
  Invalid = 64,
  /** Op.Link | b: a subtable of 2^b entries at table[value], indexed by the bits after the root. */
  Link = 128,
}
/** zlib marks the unused code of an incomplete code (a lone 1-bit code, or none) invalid after 1 bit. */
const INVALID_ENTRY = (Op.Invalid << 8) | 1;

type Huffman = HuffmanScratch;

/** Which symbols a table decodes: how an entry is made for a symbol of a given code length. */
const KIND_LITLEN = 0;
const KIND_DIST = 1;
const KIND_CODELEN = 2;

function entryOf(kind: number, sym: number, len: number): number {
  if (kind === KIND_LITLEN) {
    if (sym < 256) return (sym << 16) | len;
    if (sym === 256) return (Op.EndBlock << 8) | len;
    if (sym > 285) return (Op.Invalid << 8) | len;
    return (LENGTH_BASE[sym - 257] << 16) | ((Op.Base | LENGTH_EXTRA[sym - 257]) << 8) | len;
  }
  if (kind === KIND_DIST) {
    if (sym > 29) return (Op.Invalid << 8) | len;
    return (DIST_BASE[sym] << 16) | ((Op.Base | DIST_EXTRA[sym]) << 8) | len;
  }
  return (sym << 16) | len;
}

/** The entry for the code at the bottom of `buf` (bits above the count must be zero). */
function lookup(table: Int32Array, root: number, buf: number): number {
  const e = table[buf & ((1 << root) - 1)];
  if ((e & (Op.Link << 8)) === 0) return e;
  return table[(e >>> 16) + ((buf >>> root) & ((1 << ((e >>> 8) & 15)) - 1))];
}

// Scratch (see ./scratch.ts): zlibInflate is synchronous and never re-entered, and each call
// sets what it reads.
const COUNT = INFLATE_COUNT;
const OFFS = INFLATE_OFFS;
const LENS = INFLATE_LENS;
const CL_LENS = INFLATE_CL_LENS;
const DYN_LIT = INFLATE_DYN_LIT;
const DYN_DIST = INFLATE_DYN_DIST;
const DYN_CL = INFLATE_DYN_CL;
/** First output buffer of every call; larger outputs move to fresh arrays that double. */
const SCRATCH = INFLATE_OUT;

/** What buildHuffman returns. */
const BUILD_OK = 0;
const BUILD_OVERSUBSCRIBED = -1;
const BUILD_INCOMPLETE = -2;
/**
 * The root widths: every table of a kind has the same, so the decoding loops read them as
 * constants (see buildHuffman).
 */
const LIT_ROOT = INFLATE_LIT_ROOT;
const LIT_MASK = (1 << LIT_ROOT) - 1;
const DIST_ROOT = INFLATE_DIST_ROOT;
const DIST_MASK = (1 << DIST_ROOT) - 1;

/**
 * Builds `h` from code lengths, validating like zlib's inflate_table(): over-subscribed sets are
 * always rejected; incomplete sets are rejected except (for literal/length and distance codes,
 * `allowSingle`) a lone 1-bit code, whose unused pattern decodes as invalid. An all-zero set is
 * accepted and every lookup yields the invalid entry (zlib reports the error only when used).
 * The table is filled like zlib's: codes in canonical order, each entry replicated over the
 * bits it does not use, the code counted up bit-reversed (no per-symbol reversal).
 */
function buildHuffman(h: Huffman, lens: Uint8Array, off: number, n: number, allowSingle: boolean, kind: number): number {
  const { table, sorted, root } = h;
  const count = COUNT;
  count.fill(0);
  for (let i = 0; i < n; i++) count[lens[off + i]]++;
  count[0] = 0;
  let max = MAX_BITS;
  while (max > 0 && count[max] === 0) max--;
  if (max === 0) {
    table.fill(INVALID_ENTRY, 0, 1 << root);
    return BUILD_OK;
  }
  // Unlike zlib, the root stays as wide when every code is shorter (the entries are replicated
  // over the unused bits): the decoding loops then take the root widths as constants, which
  // frees four of their registers (~2% of a 64 KB inflate). It costs filling up to 1,024
  // entries for a dynamic block of short codes (a token's block is fixed: built once).
  let min = 1;
  while (count[min] === 0) min++;
  let left = 1;
  for (let len = 1; len <= MAX_BITS; len++) {
    left = (left << 1) - count[len];
    if (left < 0) return BUILD_OVERSUBSCRIBED;
  }
  if (left > 0) {
    if (!allowSingle || max !== 1) return BUILD_INCOMPLETE;
    table.fill(INVALID_ENTRY, 0, 1 << root); // only here can a root entry stay unassigned
  }
  OFFS[1] = 0;
  for (let len = 1; len < MAX_BITS; len++) OFFS[len + 1] = OFFS[len] + count[len];
  for (let sym = 0; sym < n; sym++) {
    const len = lens[off + sym];
    if (len !== 0) sorted[OFFS[len]++] = sym;
  }

  const mask = (1 << root) - 1;
  let huff = 0; // the current code, bit-reversed
  let len = min;
  let curr = root; // width of the current table
  let drop = 0; // bits the current table skips (0 in the root table, root in subtables)
  let next = 0; // where the current table starts
  let low = -1; // the root index of the current subtable
  for (let i = 0; ; ) {
    const entry = entryOf(kind, sorted[i], len);
    // Replicate over every index whose low len - drop bits are this code.
    const incr = 1 << (len - drop);
    for (let fill = 1 << curr; fill !== 0; ) {
      fill -= incr;
      table[next + (huff >>> drop) + fill] = entry;
    }
    // Next code of this length, bit-reversed: add 1 at bit len - 1 and carry downwards.
    let bit = 1 << (len - 1);
    while ((huff & bit) !== 0) bit >>>= 1;
    huff = bit !== 0 ? (huff & (bit - 1)) + bit : 0;
    i++;
    if (--count[len] === 0) {
      if (len === max) break;
      len = lens[off + sorted[i]];
    }
    if (len > root && (huff & mask) !== low) {
      // A new subtable for the root index huff & mask: as wide as the codes under it need.
      if (drop === 0) drop = root;
      next += 1 << curr;
      curr = len - drop;
      let room = 1 << curr;
      while (curr + drop < max) {
        room -= count[curr + drop];
        if (room <= 0) break;
        curr++;
        room <<= 1;
      }
      low = huff & mask;
      table[low] = (next << 16) | ((Op.Link | curr) << 8) | root;
    }
  }
  return BUILD_OK;
}

/**
 * The RFC 1951 §3.2.6 fixed codes' decoding tables (symbols 286/287 and distances 30/31 exist
 * but are invalid). Filled by the first fixed block a process inflates (`built`),
 * then never written again (listed in test/module-state.test.ts): building them is ~0.5 ms of a
 * cold start that a process making tokens never needs (docs/design.md, "Load time").
 */
const FIXED = {
  lit: huffmanArrays(288, INFLATE_LIT_ROOT, 9),
  dist: huffmanArrays(32, INFLATE_DIST_ROOT, 5),
  built: false,
};

/** FIXED, built. */
function fixedCodes(): typeof FIXED {
  if (!FIXED.built) {
    buildHuffman(FIXED.dist, new Uint8Array(32).fill(5), 0, 32, false, KIND_DIST);
    buildHuffman(FIXED.lit, FIXED_LIT_LENGTHS, 0, 288, false, KIND_LITLEN);
    FIXED.built = true;
  }
  return FIXED;
}

/** Input bytes the fast way of Inflater.codes may read for one symbol: four two-byte refills. */
const FAST_INPUT = 8;

/** Copies a match of `length` bytes from `d` back to out[outLen] (room checked); returns the new outLen. */
function copyMatch(out: Uint8Array, outLen: number, d: number, length: number): number {
  const stop = outLen + length;
  let from = outLen - d;
  if (length > 32) {
    // One call beats a byte loop for long matches: a memmove, or a fill for a run of one byte.
    if (d >= length) {
      out.copyWithin(outLen, from, from + length);
      return stop;
    }
    if (d === 1) {
      out.fill(out[from], outLen, stop);
      return stop;
    }
  }
  // Byte by byte (also where the match overlaps its own output: d < length).
  while (outLen < stop) out[outLen++] = out[from++];
  return stop;
}

/** Thrown internally when the input ends before the current item is complete (never escapes). */
class OutOfInput {}
const OUT_OF_INPUT = Object.freeze(new OutOfInput());

/**
 * One inflate call's state, with its steps as methods. A literal made by newInflater, not a class
 * instance, so that its shape outlives the call (see ./deflate-state.ts: a class instance's
 * shape can be dropped by a full GC, and every function that used it is deoptimized).
 */
interface Inflater {
  readonly data: Uint8Array;
  readonly end: number;
  pos: number;
  /** Up to 31 not-yet-consumed bits, LSB first. Bits above bitCnt are always zero. */
  bitBuf: number;
  bitCnt: number;
  out: Uint8Array;
  outLen: number;
  readonly maxOutput: number;
  /** Strict mode: largest distance the header's CINFO allows; lenient: 32768 (zlib's window). */
  window: number;
  /** Set when the pending error is "distance too far back" (Java chunking differs, see below). */
  matchError: boolean;

  refill(): void;
  bits(n: number): number;
  alignToByte(): void;
  decode(h: Huffman, root: number): number;
  grow(n: number): void;
  stored(): void;
  dynamicTables(): void;
  codes(lit: Huffman, dist: Huffman): void;
  fastCodes(lit: Huffman, dist: Huffman): boolean;
  save(pos: number, buf: number, cnt: number, outLen: number): void;
  distanceError(d: number, outLen: number): InflateError;
  run(lenient: boolean): void;
  result(length: number): Uint8Array;
}

function newInflater(data: Uint8Array, maxOutput: number): Inflater {
  // Start in the shared scratch buffer (allocating typed arrays costs more than inflating a
  // token); the view is capped at maxOutput because `out.length` doubles as the limit check.
  return {
    data,
    end: data.length,
    maxOutput,
    out: SCRATCH.subarray(0, Math.min(maxOutput, SCRATCH.length)),
    pos: 0,
    bitBuf: 0,
    bitCnt: 0,
    outLen: 0,
    window: 32768,
    matchError: false,
    // The steps, shared by every call's state (functions of `this` below).
    refill, bits, alignToByte, decode, grow, stored, dynamicTables, codes, fastCodes, save, distanceError, run, result,
  };
}

function refill(this: Inflater): void {
  // Keep at most 31 bits so the buffer stays a non-negative small integer (no heap numbers).
  while (this.bitCnt <= 23 && this.pos < this.end) {
    this.bitBuf |= this.data[this.pos++] << this.bitCnt;
    this.bitCnt += 8;
  }
}

function bits(this: Inflater, n: number): number {
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
function alignToByte(this: Inflater): void {
  this.pos -= this.bitCnt >>> 3;
  this.bitBuf = 0;
  this.bitCnt = 0;
}

/**
 * Decodes one symbol. A symbol is decoded only if all of its bits are present (as zlib does);
 * near the end of input the lookup runs on zero padding and the code length tells whether the
 * real bits sufficed.
 */
function decode(this: Inflater, h: Huffman, root: number): number {
  if (this.bitCnt < MAX_BITS) this.refill();
  const entry = lookup(h.table, root, this.bitBuf);
  const len = entry & 0xff;
  if (len > this.bitCnt) throw OUT_OF_INPUT;
  this.bitBuf >>= len;
  this.bitCnt -= len;
  return entry >>> 16;
}

/** Makes room for `n` more output bytes, doubling up to maxOutput; throws before exceeding it. */
function grow(this: Inflater, n: number): void {
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

function stored(this: Inflater): void {
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

function dynamicTables(this: Inflater): void {
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
  if (buildHuffman(DYN_CL, CL_LENS, 0, 19, false, KIND_CODELEN) !== BUILD_OK) {
    throw new InflateError('ERR_ZLIB_DATA', 'invalid code lengths set');
  }
  let i = 0;
  while (i < total) {
    const sym = this.decode(DYN_CL, INFLATE_CL_ROOT);
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
  if (buildHuffman(DYN_LIT, LENS, 0, nlen, true, KIND_LITLEN) !== BUILD_OK) {
    throw new InflateError('ERR_ZLIB_DATA', 'invalid literal/lengths set');
  }
  if (buildHuffman(DYN_DIST, LENS, nlen, ndist, true, KIND_DIST) !== BUILD_OK) {
    throw new InflateError('ERR_ZLIB_DATA', 'invalid distances set');
  }
}

/**
 * Decodes one Huffman-coded block. Output is written only for symbols whose bits (and extra
 * bits) are all present. As in zlib (inflate_fast / inflate), there are two loops: while at
 * least FAST_INPUT input bytes and MAX_MATCH bytes of output room are left, every code and its
 * extra bits are surely there, so fastCodes checks nothing but the data itself; near either
 * end, the careful loop here checks each step.
 */
function codes(this: Inflater, lit: Huffman, dist: Huffman): void {
  if (this.fastCodes(lit, dist)) return;
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
      // 15 bits for any code; then up to 31 (whole bytes while there is input).
      if (cnt < 15) {
        while (cnt <= 23 && pos < end) {
          buf |= data[pos++] << cnt;
          cnt += 8;
        }
      }
      let entry = lookup(ltab, LIT_ROOT, buf);
      let len = entry & 0xff;
      if (len > cnt) throw OUT_OF_INPUT;
      let op = (entry >>> 8) & 0xff;
      if (op === Op.Literal) {
        buf >>= len;
        cnt -= len;
        if (outLen === out.length) {
          this.outLen = outLen;
          this.grow(1); // throws past maxOutput (out.length ≤ maxOutput always)
          out = this.out;
        }
        out[outLen++] = entry >>> 16;
        continue;
      }
      if (op === Op.EndBlock) {
        buf >>= len;
        cnt -= len;
        break;
      }
      if ((op & Op.Base) === 0) throw new InflateError('ERR_ZLIB_DATA', 'invalid literal/length code');
      // Length: code then extra bits, both must be present (zlib consumes nothing otherwise).
      let extra = op & 15;
      if (len + extra > cnt) {
        while (cnt <= 23 && pos < end) {
          buf |= data[pos++] << cnt;
          cnt += 8;
        }
        if (len + extra > cnt) throw OUT_OF_INPUT;
      }
      buf >>= len;
      cnt -= len;
      const length = (entry >>> 16) + (buf & ((1 << extra) - 1));
      buf >>= extra;
      cnt -= extra;
      // Distance code: refill for up to 15 code bits.
      if (cnt < 15) {
        while (cnt <= 23 && pos < end) {
          buf |= data[pos++] << cnt;
          cnt += 8;
        }
      }
      entry = lookup(dtab, DIST_ROOT, buf);
      len = entry & 0xff;
      if (len > cnt) throw OUT_OF_INPUT;
      op = (entry >>> 8) & 0xff;
      if ((op & Op.Base) === 0) throw new InflateError('ERR_ZLIB_DATA', 'invalid distance code');
      buf >>= len;
      cnt -= len;
      // Distance extra bits: up to 13.
      extra = op & 15;
      if (cnt < extra) {
        while (cnt <= 23 && pos < end) {
          buf |= data[pos++] << cnt;
          cnt += 8;
        }
        if (cnt < extra) throw OUT_OF_INPUT;
      }
      const d = (entry >>> 16) + (buf & ((1 << extra) - 1));
      buf >>= extra;
      cnt -= extra;
      if (d > outLen || d > this.window) throw this.distanceError(d, outLen);
      if (outLen + length > out.length) {
        this.outLen = outLen;
        this.grow(length); // throws ERR_INFLATE_LIMIT past maxOutput
        out = this.out;
      }
      outLen = copyMatch(out, outLen, d, length);
    }
  } finally {
    this.outLen = outLen;
    this.pos = pos;
    this.bitBuf = buf;
    this.bitCnt = cnt;
  }
}

/**
 * The fast loop of codes: decodes while at least FAST_INPUT input bytes and MAX_MATCH bytes of
 * output room are left, refilling two bytes at a time (at most four refills a symbol: code,
 * length extra bits, distance code, distance extra bits). Returns true at the end of the
 * block, false when the careful loop must go on.
 */
function fastCodes(this: Inflater, lit: Huffman, dist: Huffman): boolean {
  const data = this.data;
  const fastEnd = this.end - FAST_INPUT;
  const out = this.out;
  const fastOut = out.length - MAX_MATCH;
  const window = this.window;
  const ltab = lit.table;
  const dtab = dist.table;
  let pos = this.pos;
  let buf = this.bitBuf;
  let cnt = this.bitCnt;
  let outLen = this.outLen;
  // No try/finally: the state goes back to `this` on every way out (the errors read outLen).
  while (pos <= fastEnd && outLen <= fastOut) {
    if (cnt < 16) {
      buf |= (data[pos] | (data[pos + 1] << 8)) << cnt;
      pos += 2;
      cnt += 16;
    }
    let entry = ltab[buf & LIT_MASK];
    if ((entry & (Op.Link << 8)) !== 0) entry = ltab[(entry >>> 16) + ((buf >>> LIT_ROOT) & ((1 << ((entry >>> 8) & 15)) - 1))];
    buf >>= entry & 0xff;
    cnt -= entry & 0xff;
    let op = (entry >>> 8) & 0xff;
    if (op === Op.Literal) {
      out[outLen++] = entry >>> 16;
      // Literals come in runs: when the bits for another root-table code are there, decode it
      // without the loop's refill and bounds tests (the output has MAX_MATCH bytes of room). A
      // literal's entry in the root table (op 0, not a link) is at most LIT_ROOT bits long.
      if (cnt >= LIT_ROOT) {
        entry = ltab[buf & LIT_MASK];
        if ((entry & 0xff00) === 0) {
          buf >>= entry & 0xff;
          cnt -= entry & 0xff;
          out[outLen++] = entry >>> 16;
        }
      }
      continue;
    }
    if (op === Op.EndBlock) {
      this.save(pos, buf, cnt, outLen);
      return true;
    }
    if ((op & Op.Base) === 0) {
      this.save(pos, buf, cnt, outLen);
      throw new InflateError('ERR_ZLIB_DATA', 'invalid literal/length code');
    }
    let extra = op & 15;
    if (cnt < extra) {
      buf |= (data[pos] | (data[pos + 1] << 8)) << cnt;
      pos += 2;
      cnt += 16;
    }
    const length = (entry >>> 16) + (buf & ((1 << extra) - 1));
    buf >>= extra;
    cnt -= extra;
    if (cnt < 16) {
      buf |= (data[pos] | (data[pos + 1] << 8)) << cnt;
      pos += 2;
      cnt += 16;
    }
    entry = dtab[buf & DIST_MASK];
    if ((entry & (Op.Link << 8)) !== 0) entry = dtab[(entry >>> 16) + ((buf >>> DIST_ROOT) & ((1 << ((entry >>> 8) & 15)) - 1))];
    buf >>= entry & 0xff;
    cnt -= entry & 0xff;
    op = (entry >>> 8) & 0xff;
    if ((op & Op.Base) === 0) {
      this.save(pos, buf, cnt, outLen);
      throw new InflateError('ERR_ZLIB_DATA', 'invalid distance code');
    }
    extra = op & 15;
    if (cnt < extra) {
      buf |= (data[pos] | (data[pos + 1] << 8)) << cnt;
      pos += 2;
      cnt += 16;
    }
    const d = (entry >>> 16) + (buf & ((1 << extra) - 1));
    buf >>= extra;
    cnt -= extra;
    if (d > outLen || d > window) {
      this.save(pos, buf, cnt, outLen);
      throw this.distanceError(d, outLen);
    }
    outLen = copyMatch(out, outLen, d, length);
  }
  this.save(pos, buf, cnt, outLen);
  return false;
}

/** Stores a decoding loop's locals back into the state. */
function save(this: Inflater, pos: number, buf: number, cnt: number, outLen: number): void {
  this.pos = pos;
  this.bitBuf = buf;
  this.bitCnt = cnt;
  this.outLen = outLen;
}

/** The error for a distance past the output so far, or past the header's window (strict). */
function distanceError(this: Inflater, d: number, outLen: number): InflateError {
  if (d > outLen) {
    this.matchError = true;
    return new InflateError('ERR_ZLIB_DATA', 'invalid distance too far back');
  }
  return new InflateError('ERR_ZLIB_DATA', `distance ${d} exceeds the window size ${this.window} declared in the header`);
}

/** Parses the header and all blocks; returns with the reader positioned after the final block. */
function run(this: Inflater, lenient: boolean): void {
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
    if (lenient && this.end < 6) throw OUT_OF_INPUT;
    throw new InflateError('ERR_ZLIB_HEADER', 'preset dictionary (FDICT) is not supported');
  }
  if (!lenient) this.window = 1 << ((cmf >>> 4) + 8);
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
      const fixed = fixedCodes();
      this.codes(fixed.lit, fixed.dist);
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
function result(this: Inflater, length: number): Uint8Array {
  const out = this.out;
  if (out.buffer === SCRATCH.buffer) return copyOut(out, length);
  return length === out.length ? out : out.subarray(0, length);
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
  const s = newInflater(data, maxOutput);
  try {
    s.run(lenient);
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
