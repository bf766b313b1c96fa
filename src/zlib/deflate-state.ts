/*
 * The state of one deflate call (zlib's deflate_state, minus what lives in the scratch arrays of
 * ./scratch.ts), and the bit writer on it: zlib's bi_buf / bi_valid, send_bits and bi_windup.
 * Bits go out least significant first, two bytes at a time. A call creates its own state object;
 * hot loops copy `pos`, `bitBuf` and `bitCount` into locals and store them back before calling out.
 */
import type { TreeScratch } from './scratch';

/*
 * Why interfaces made by literal factories, not classes: a call's state objects die with the
 * call. A class instance's shape (V8 map) is reached from its constructor only through weak
 * transitions, so a full GC between calls can drop it, and V8 then throws away the optimized
 * code of every function that used it ("weak objects"): in a process that allocates (a server,
 * a benchmark next to agora-token), every full GC sent the deflate back to unoptimized code for
 * a while, and a Chat user build took ~25% longer. An object literal's shape is held by its
 * boilerplate, for as long as the function that makes it lives.
 */

/** One tree of a block: its scratch arrays, its constants, and what build_tree found (zlib's tree_desc). */
export interface TreeDesc {
  readonly s: TreeScratch;
  readonly elems: number;
  readonly maxLength: number;
  /** Extra bits per symbol (zlib's extra_bits from extra_base). */
  readonly xbits: Uint8Array;
  /** Fixed code length per symbol, or null for the code-length tree (zlib's has_stree). */
  readonly slen: Uint8Array | null;
  /** Largest symbol with a non-zero frequency (after build_tree's dummies). */
  maxCode: number;
  /** How many entries of `s.leaves` are set. */
  leafCount: number;
}

export function newTreeDesc(s: TreeScratch, elems: number, maxLength: number, xbits: Uint8Array, slen: Uint8Array | null): TreeDesc {
  return { s, elems, maxLength, xbits, slen, maxCode: 0, leafCount: 0 };
}

export interface DeflateState {
  /** Output stream; `pos` is the next byte. */
  out: Uint8Array;
  pos: number;
  /** Pending bits (bi_buf), fewer than 16 between calls, and how many (bi_valid). */
  bitBuf: number;
  bitCount: number;
  /** Symbols tallied in the current block (zlib's sym_next / 3). */
  symNext: number;
  /** Sizes in bits of the block with dynamic and with fixed codes (zlib's opt_len, static_len). */
  optLen: number;
  staticLen: number;
  /**
   * Where the fixed-code block the LZ77 pass writes as it goes starts (its 3 header bits
   * included): the output position and pending bits, or fixedFrom -1 when no block is written
   * that way. flushBlock keeps it or rewinds to here.
   */
  fixedFrom: number;
  fixedFromBuf: number;
  fixedFromCount: number;
  /** Extra bits of the block's matches (length and distance), tallied by the LZ77 pass. */
  extraBits: number;
  /** build_bl_tree's max_blindex. */
  maxBlindex: number;
  /** How many code-length tokens the dynamic block has in BL_TOKENS. */
  blTokens: number;
  readonly l: TreeDesc;
  readonly d: TreeDesc;
  readonly bl: TreeDesc;
}

export function newDeflateStateOf(out: Uint8Array, l: TreeDesc, d: TreeDesc, bl: TreeDesc): DeflateState {
  return {
    out, pos: 0, bitBuf: 0, bitCount: 0, symNext: 0, optLen: 0, staticLen: 0, fixedFrom: -1, fixedFromBuf: 0,
    fixedFromCount: 0, extraBits: 0, maxBlindex: 0, blTokens: 0, l, d, bl,
  };
}

/** send_bits: `value` must fit in `length` (at most 16) bits. */
export function sendBits(st: DeflateState, value: number, length: number): void {
  let buf = st.bitBuf | (value << st.bitCount);
  let count = st.bitCount + length;
  if (count >= 16) {
    const out = st.out;
    out[st.pos++] = buf & 0xff;
    out[st.pos++] = (buf >>> 8) & 0xff;
    buf >>>= 16;
    count -= 16;
  }
  st.bitBuf = buf;
  st.bitCount = count;
}

/** bi_windup: pads to a byte boundary with zero bits. */
export function windupBits(st: DeflateState): void {
  const { out, bitBuf, bitCount } = st;
  if (bitCount > 8) {
    out[st.pos++] = bitBuf & 0xff;
    out[st.pos++] = (bitBuf >>> 8) & 0xff;
  } else if (bitCount > 0) {
    out[st.pos++] = bitBuf & 0xff;
  }
  st.bitBuf = 0;
  st.bitCount = 0;
}
