/*
 * Every piece of mutable memory src/zlib keeps at module level, in one list (zlibScratch()).
 *
 * These are scratch arrays: a call uses them and is done with them before it returns (the code is
 * synchronous and never re-entered), and no call reads what an earlier call left in them. What a
 * call returns is always a fresh copy, never a view of these arrays. Allocating them once spares
 * each call the ~300 KB that zlib's state takes (pako allocates it on every call).
 * The one invariant kept between calls: DEFLATE_HEAD is all zeros (zlib's CLEAR_HASH), restored
 * by every deflate call before it returns, also when it throws.
 *
 * Nothing else in src/zlib is mutable at module level: tables are built once at load and never
 * written again (tables.ts), and all per-call state lives in objects a call creates.
 */
import { BL_CODES, D_CODES, HASH_BITS, L_CODES, LIT_BUFSIZE, MAX_BITS, MAX_MATCH, W_SIZE } from './tables';

/** Largest input whose compressed stream fits DEFLATE_OUT (larger inputs get an array of their own). */
export const DEFLATE_OUT_INPUT_MAX = 1 << 16;

/**
 * The room deflate may write to for `n` input bytes: the stream's upper bound (every block costs
 * at most 9 bits a byte), plus 8 bytes the bit writer may touch before a block is rewound (the
 * fixed-code block written during the LZ77 pass) or padded.
 */
export function deflateRoom(n: number): number {
  return n + (n >>> 3) + 8 * (Math.floor(n / (LIT_BUFSIZE - 1)) + 2) + 6 + 8;
}

/** One dynamic Huffman tree's working arrays (zlib's ct_data split in parts, plus leaf lists). */
export interface TreeScratch {
  /** Leaf frequencies, by symbol. */
  readonly freq: Uint16Array;
  /** Code lengths, by node. */
  readonly len: Uint16Array;
  /** Codes, bit-reversed, by symbol. */
  readonly code: Uint16Array;
  /** Parent node, by node (only for gen_bitlen's overflow repair). */
  readonly dad: Uint16Array;
  /** Bitmap of the symbols with a non-zero frequency. */
  readonly used: Int32Array;
  /** The leaves in increasing symbol order, as build_tree visits them. */
  readonly leaves: Uint16Array;
}

function treeScratch(elems: number): TreeScratch {
  const nodes = 2 * elems + 1;
  return Object.freeze({
    freq: new Uint16Array(nodes),
    len: new Uint16Array(nodes),
    code: new Uint16Array(nodes),
    dad: new Uint16Array(nodes),
    used: new Int32Array((elems + 31) >>> 5),
    leaves: new Uint16Array(elems),
  });
}

/** Deflate: the sliding window (2 * W_SIZE, zlib's window_size), plus zeroed slack for longest_match's reads past the data. */
export const DEFLATE_WINDOW = new Uint8Array(2 * W_SIZE + MAX_MATCH + 16);
/** Deflate: head[hash] = newest window position with that hash, 0 = none. All zeros between calls. */
export const DEFLATE_HEAD = new Uint16Array(1 << HASH_BITS);
/** Deflate: prev[pos & (W_SIZE - 1)] = previous position with the same hash. Only read where written in the same call. */
export const DEFLATE_PREV = new Uint16Array(W_SIZE);
/** Deflate: the block's symbols, (distance << 8) | literal-or-length (zlib's sym_buf). */
export const DEFLATE_SYMS = new Int32Array(LIT_BUFSIZE);
/** Deflate: the output stream for inputs up to DEFLATE_OUT_INPUT_MAX bytes; copied out at the end. */
export const DEFLATE_OUT = new Uint8Array(deflateRoom(DEFLATE_OUT_INPUT_MAX));
/** Deflate: the literal/length, distance and code-length trees. */
export const L_TREE = treeScratch(L_CODES);
export const D_TREE = treeScratch(D_CODES);
export const BL_TREE = treeScratch(BL_CODES);
/** Deflate: a dynamic block's code-length tokens (scan_tree/send_tree), at most one per code length. */
export const BL_TOKENS = new Int32Array(L_CODES + D_CODES);
/** Deflate: build_tree's heap (2 * L_CODES + 1 entries and a guard). */
export const TREE_HEAP = new Int32Array(2 * L_CODES + 2);
/** Deflate: bit-length counts and next codes (gen_bitlen, gen_codes). */
export const BL_COUNT = new Uint16Array(MAX_BITS + 1);
export const NEXT_CODE = new Uint16Array(MAX_BITS + 1);
/** Deflate: the token counts (at most 6) and merged weights of the lower bound's small Huffman code. */
export const TOKEN_COUNTS = new Int32Array(8);
export const TOKEN_QUEUE = new Int32Array(8);
/**
 * Deflate: the literal tree's leaf frequencies sorted ascending, with their prefix sums and the
 * merged weights of their Huffman code (the refined lower bound); frequencies below
 * SORT_FREQ_MAX are counted into FREQ_BUCKETS.
 */
export const LEAF_FREQS = new Int32Array(L_CODES);
export const LEAF_PREFIX = new Int32Array(L_CODES + 1);
export const LEAF_QUEUE = new Int32Array(L_CODES);
export const SORT_FREQ_MAX = 64;
export const FREQ_BUCKETS = new Int32Array(SORT_FREQ_MAX);

/**
 * Inflate: output starts here (copied out at the end); larger outputs move to arrays of their own.
 * 64 KiB, the default payload cap: a payload up to it is copied once, with no doubling on the way.
 */
export const INFLATE_OUT = new Uint8Array(1 << 16);
/** Inflate: code lengths of a dynamic block (literal/length then distance) and of its code-length code. */
export const INFLATE_LENS = new Uint8Array(L_CODES + D_CODES);
export const INFLATE_CL_LENS = new Uint8Array(BL_CODES);
/** Inflate: codes per length and per-length offsets while building a decoding table. */
export const INFLATE_COUNT = new Uint16Array(MAX_BITS + 1);
export const INFLATE_OFFS = new Uint16Array(MAX_BITS + 2);

/** A decoding table's working arrays (see inflate.ts). */
export interface HuffmanScratch {
  /** Root-bit lookup table followed by its subtables (see inflate.ts for the entry format). */
  readonly table: Int32Array;
  /** Lookup width of the root table. */
  readonly root: number;
  /** Symbols ordered by code length, then symbol. */
  readonly sorted: Uint16Array;
}

/** Root widths: literal/length codes of up to 10 bits (every fixed code), distances up to 8, code lengths all 7. */
export const INFLATE_LIT_ROOT = 10;
export const INFLATE_DIST_ROOT = 8;
export const INFLATE_CL_ROOT = 7;

/**
 * Arrays for a code over `symbols` symbols of at most `longest` bits: the root table plus room
 * for every subtable (each
 * subtable serves one root prefix with at least one symbol of its own, and has at most
 * 2^(15 - root) entries).
 */
export function huffmanArrays(symbols: number, root: number, longest = MAX_BITS): HuffmanScratch {
  const subtables = root >= longest ? 0 : symbols << (MAX_BITS - root);
  return Object.freeze({ table: new Int32Array((1 << root) + subtables), root, sorted: new Uint16Array(symbols) });
}

/** Inflate: the decoding tables of a dynamic block. */
export const INFLATE_DYN_LIT = huffmanArrays(288, INFLATE_LIT_ROOT);
export const INFLATE_DYN_DIST = huffmanArrays(32, INFLATE_DIST_ROOT);
export const INFLATE_DYN_CL = huffmanArrays(BL_CODES, INFLATE_CL_ROOT, INFLATE_CL_ROOT);

/** Above this many bytes, new + set copies faster than slice (3x at 64 KiB); below, slice does. */
const SLICE_MAX = 4096;

/** A new array with scratch[0, length), what a call returns. */
export function copyOut(scratch: Uint8Array, length: number): Uint8Array {
  if (length <= SLICE_MAX) return scratch.slice(0, length);
  const copy = new Uint8Array(length);
  copy.set(length === scratch.length ? scratch : scratch.subarray(0, length));
  return copy;
}

/** One entry of zlibScratch(). */
export interface ScratchEntry {
  readonly name: string;
  readonly array: Uint8Array | Uint16Array | Int32Array;
}

const treeEntries = (name: string, t: TreeScratch | HuffmanScratch): ScratchEntry[] =>
  Object.entries(t)
    .filter(([, array]) => typeof array === 'object')
    .map(([part, array]) => ({ name: `${name}.${part}`, array: array as Uint16Array }));

/**
 * The registry: every mutable array src/zlib holds at module level, by name. A test checks that
 * the module-level state of src/zlib is exactly this list (and that calls leave DEFLATE_HEAD
 * zeroed). A function, so that only the tests that read the list pay for building it.
 */
export function zlibScratch(): readonly ScratchEntry[] {
  return Object.freeze([
    { name: 'DEFLATE_WINDOW', array: DEFLATE_WINDOW },
    { name: 'DEFLATE_HEAD', array: DEFLATE_HEAD },
    { name: 'DEFLATE_PREV', array: DEFLATE_PREV },
    { name: 'DEFLATE_SYMS', array: DEFLATE_SYMS },
    { name: 'DEFLATE_OUT', array: DEFLATE_OUT },
    ...treeEntries('L_TREE', L_TREE),
    ...treeEntries('D_TREE', D_TREE),
    ...treeEntries('BL_TREE', BL_TREE),
    { name: 'BL_TOKENS', array: BL_TOKENS },
    { name: 'TREE_HEAP', array: TREE_HEAP },
    { name: 'BL_COUNT', array: BL_COUNT },
    { name: 'NEXT_CODE', array: NEXT_CODE },
    { name: 'TOKEN_COUNTS', array: TOKEN_COUNTS },
    { name: 'TOKEN_QUEUE', array: TOKEN_QUEUE },
    { name: 'LEAF_FREQS', array: LEAF_FREQS },
    { name: 'LEAF_PREFIX', array: LEAF_PREFIX },
    { name: 'LEAF_QUEUE', array: LEAF_QUEUE },
    { name: 'FREQ_BUCKETS', array: FREQ_BUCKETS },
    { name: 'INFLATE_OUT', array: INFLATE_OUT },
    { name: 'INFLATE_LENS', array: INFLATE_LENS },
    { name: 'INFLATE_CL_LENS', array: INFLATE_CL_LENS },
    { name: 'INFLATE_COUNT', array: INFLATE_COUNT },
    { name: 'INFLATE_OFFS', array: INFLATE_OFFS },
    ...treeEntries('INFLATE_DYN_LIT', INFLATE_DYN_LIT),
    ...treeEntries('INFLATE_DYN_DIST', INFLATE_DYN_DIST),
    ...treeEntries('INFLATE_DYN_CL', INFLATE_DYN_CL),
  ].map((e) => Object.freeze(e)));
}
