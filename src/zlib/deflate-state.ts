/*
 * The state of one deflate call (zlib's deflate_state, minus what lives in the scratch arrays of
 * ./scratch.ts), and the bit writer on it: zlib's bi_buf / bi_valid, send_bits and bi_windup.
 * Bits go out least significant first, two bytes at a time. A call creates its own state object;
 * hot loops copy `pos`, `bitBuf` and `bitCount` into locals and store them back before calling out.
 */
import type { TreeScratch } from './scratch';

/** One tree of a block: its scratch arrays, its constants, and what build_tree found (zlib's tree_desc). */
export class TreeDesc {
  /** Largest symbol with a non-zero frequency (after build_tree's dummies). */
  maxCode = 0;
  /** How many entries of `s.leaves` are set. */
  leafCount = 0;
  constructor(
    readonly s: TreeScratch,
    readonly elems: number,
    readonly maxLength: number,
    /** Extra bits per symbol (zlib's extra_bits from extra_base). */
    readonly xbits: Uint8Array,
    /** Fixed code length per symbol, or null for the code-length tree (zlib's has_stree). */
    readonly slen: Uint8Array | null,
  ) {}
}

export class DeflateState {
  /** Output stream; `pos` is the next byte. */
  out: Uint8Array;
  pos = 0;
  /** Pending bits (bi_buf), fewer than 16 between calls, and how many (bi_valid). */
  bitBuf = 0;
  bitCount = 0;
  /** Symbols tallied in the current block (zlib's sym_next / 3). */
  symNext = 0;
  /** Sizes in bits of the block with dynamic and with fixed codes (zlib's opt_len, static_len). */
  optLen = 0;
  staticLen = 0;
  /**
   * Where the fixed-code block the LZ77 pass writes as it goes starts (its 3 header bits
   * included): the output position and pending bits, or fixedFrom -1 when no block is written
   * that way. flushBlock keeps it or rewinds to here.
   */
  fixedFrom = -1;
  fixedFromBuf = 0;
  fixedFromCount = 0;
  /** Extra bits of the block's matches (length and distance), tallied by the LZ77 pass. */
  extraBits = 0;
  /** build_bl_tree's max_blindex. */
  maxBlindex = 0;
  /** How many code-length tokens the dynamic block has in BL_TOKENS. */
  blTokens = 0;
  readonly l: TreeDesc;
  readonly d: TreeDesc;
  readonly bl: TreeDesc;

  constructor(out: Uint8Array, l: TreeDesc, d: TreeDesc, bl: TreeDesc) {
    this.out = out;
    this.l = l;
    this.d = d;
    this.bl = bl;
  }
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
