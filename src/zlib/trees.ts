/*
 * Huffman half of the exact deflate in ./deflate.ts: symbol tallies, tree
 * construction and the bits of one final block.
 *
 * This follows zlib's trees.c as transcribed by pako 2.1.0 (lib/zlib/trees.js);
 * functions keep zlib's names in their comments so the two read side by side.
 * Everything that can change output bytes is kept exactly: the heap and its tie
 * rules (which decide which of several equal-frequency symbols gets the longer
 * code), gen_bitlen's overflow repair, the opt_len/static_len accounting, the
 * stored/fixed/dynamic choice and the run-length coding of code lengths.
 *
 * What differs is speed only:
 *  - State lives in module-level typed arrays reused across calls.
 *  - zlib's ct_data unions (Freq/Code, Dad/Len) are separate arrays.
 *  - Used symbols are tracked in bitmaps while tallying, so building a tree
 *    visits only symbols that occur, in the same increasing order as zlib.
 *  - Heap entries pack node, frequency and depth into one integer (see heap),
 *    and the smaller son is picked without branches; the heap itself evolves
 *    exactly as zlib's.
 *  - gen_bitlen takes a short path when no code exceeds the length limit, and
 *    dynamic codes are only assigned when the block is sent with them.
 *  - The trees are not built at all when a cheap lower bound on the dynamic
 *    block's size already settles zlib's choice (see "block type without trees"):
 *    for nearly every token payload, the fixed block is chosen that way.
 *  - The LZ77 pass writes the block with the fixed codes as it tallies (see
 *    initBlock): that is the block zlib picks for nearly every token, its length
 *    is zlib's static_len, and a second pass over the symbols is only needed
 *    when zlib picks a stored or dynamic block instead.
 */

const LENGTH_CODES = 29;
const LITERALS = 256;
const L_CODES = LITERALS + 1 + LENGTH_CODES; // 286
const D_CODES = 30;
const BL_CODES = 19;
const HEAP_SIZE = 2 * L_CODES + 1; // 573
const MAX_BITS = 15;
const MAX_BL_BITS = 7;
const END_BLOCK = 256;
const REP_3_6 = 16;
const REPZ_3_10 = 17;
const REPZ_11_138 = 18;

import { bitsSince, sendBits, startBits, windupBits } from './bits';

/** Symbols one block can hold before zlib flushes it: lit_bufsize - 1 (memLevel 8). */
export const SYM_BUF_SYMBOLS = (1 << (8 + 6)) - 1;

// prettier-ignore
const extraLbits = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
// prettier-ignore
const extraDbits = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
// prettier-ignore
const blOrder = new Uint8Array([16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]);

/* ---------------------------------------------------------------- static tables (tr_static_init) */

const baseLength = new Uint8Array(LENGTH_CODES);
/** match length - 3 (0..255) -> length code 0..28 */
export const lengthCode = new Uint8Array(256);
/** length code -> number of extra bits (typed copy of extraLbits) */
const lengthExtra = new Uint8Array(extraLbits);
const baseDist = new Uint16Array(D_CODES);
/** distance - 1: first 256 entries direct, last 256 indexed by (dist >>> 7) */
export const distCode = new Uint8Array(512);
const distExtra = new Uint8Array(extraDbits);
const staticLcode = new Uint16Array(L_CODES + 2);
const staticLlen = new Uint16Array(L_CODES + 2);
const staticDcode = new Uint16Array(D_CODES);
const staticDlen = new Uint16Array(D_CODES).fill(5);
/** byte bit-reversal table, for bi_reverse */
const rev8 = new Uint8Array(256);

const blCount = new Uint16Array(MAX_BITS + 1);
const nextCode = new Uint16Array(MAX_BITS + 1);

const bitReverse = (code: number, len: number): number =>
  ((rev8[code & 0xff] << 8) | rev8[(code >>> 8) & 0xff]) >>> (16 - len);

/** First half of gen_codes: next_code[] from the bit-length counts in blCount. */
function startCodes(): void {
  let code = 0;
  for (let bits = 1; bits <= MAX_BITS; bits++) {
    code = (code + blCount[bits - 1]) << 1;
    nextCode[bits] = code;
  }
}

function initStaticTables(): void {
  for (let i = 0; i < 256; i++) {
    let r = 0;
    for (let b = 0; b < 8; b++) r |= ((i >>> b) & 1) << (7 - b);
    rev8[i] = r;
  }
  let length = 0;
  let code: number;
  for (code = 0; code < LENGTH_CODES - 1; code++) {
    baseLength[code] = length;
    for (let n = 0; n < 1 << extraLbits[code]; n++) lengthCode[length++] = code;
  }
  // Length 258 (index 255) could be code 284 + 5 extra bits; zlib uses the shorter code 285.
  lengthCode[length - 1] = code;
  // zlib leaves base_length[28] unset (code 285 has no extra bits); 255 makes
  // compressBlock's unconditional `lc - base` zero for it.
  baseLength[code] = length - 1;

  let dist = 0;
  for (code = 0; code < 16; code++) {
    baseDist[code] = dist;
    for (let n = 0; n < 1 << extraDbits[code]; n++) distCode[dist++] = code;
  }
  dist >>= 7;
  for (; code < D_CODES; code++) {
    baseDist[code] = dist << 7;
    for (let n = 0; n < 1 << (extraDbits[code] - 7); n++) distCode[256 + dist++] = code;
  }

  blCount.fill(0);
  let n = 0;
  for (; n <= 143; n++, blCount[8]++) staticLlen[n] = 8;
  for (; n <= 255; n++, blCount[9]++) staticLlen[n] = 9;
  for (; n <= 279; n++, blCount[7]++) staticLlen[n] = 7;
  for (; n <= 287; n++, blCount[8]++) staticLlen[n] = 8;
  // Codes 286/287 do not exist but take part so the static code is canonical.
  startCodes();
  for (n = 0; n <= L_CODES + 1; n++) staticLcode[n] = bitReverse(nextCode[staticLlen[n]]++, staticLlen[n]);
  for (n = 0; n < D_CODES; n++) staticDcode[n] = bitReverse(n, 5);
}
initStaticTables();

/* ---------------------------------------------------------------- trees */

/** One dynamic tree (zlib's ct_data array + tree_desc), nodes 0..2*elems-2. */
class Tree {
  /** leaf frequencies (internal node weights live in the heap entries) */
  readonly freq: Uint16Array;
  readonly len: Uint16Array;
  readonly code: Uint16Array;
  readonly dad: Uint16Array;
  /** extra bits per node (0 for internal nodes), for opt_len/static_len */
  readonly xbits: Uint8Array;
  /** static code length per node (all 0 for the bit-length tree, which has none) */
  readonly slen: Uint8Array;
  /** zlib's has_stree: only the literal and distance trees count towards static_len */
  readonly hasStree: boolean;
  /** bitmap of leaves with freq != 0 */
  readonly used: Int32Array;
  /** the leaves (incl. dummies) in increasing symbol order, set by buildTree */
  readonly leaves: Uint16Array;
  leafCount = 0;
  maxCode = 0;

  constructor(
    readonly elems: number,
    readonly maxLength: number,
    extra: readonly number[],
    extraBase: number,
    slen: Uint16Array | null,
  ) {
    const nodes = 2 * elems + 1;
    this.freq = new Uint16Array(nodes);
    this.len = new Uint16Array(nodes);
    this.code = new Uint16Array(nodes);
    this.dad = new Uint16Array(nodes);
    this.xbits = new Uint8Array(nodes);
    for (let i = 0; i < extra.length; i++) this.xbits[extraBase + i] = extra[i];
    this.slen = new Uint8Array(nodes);
    if (slen !== null) this.slen.set(slen.subarray(0, elems));
    this.hasStree = slen !== null;
    this.used = new Int32Array((elems + 31) >>> 5);
    this.leaves = new Uint16Array(elems);
  }
}

const lTree = new Tree(L_CODES, MAX_BITS, extraLbits, LITERALS + 1, staticLlen);
const dTree = new Tree(D_CODES, MAX_BITS, extraDbits, 0, staticDlen);
const blTree = new Tree(BL_CODES, MAX_BL_BITS, [2, 3, 7], REP_3_6, null);
const lFreq = lTree.freq;
const lUsed = lTree.used;
const dFreq = dTree.freq;
const dUsed = dTree.used;

/**
 * build_tree's heap. Each entry packs a node with its sort key:
 * freq << 15 | depth << 10 | node. zlib's smaller(n, m) is
 * `freq[n] < freq[m] || (freq[n] == freq[m] && depth[n] <= depth[m])`, which is
 * exactly (entry_n >>> 10) <= (entry_m >>> 10) given that:
 *  - node < 1024 (nodes go up to 2 * 286 - 2),
 *  - depth < 32: depth is a subtree height, and a Huffman subtree of height h
 *    weighs at least fib(h + 2) (fib(33) > 3.5 million),
 *  - freq < 2^15: a block holds at most 16383 symbols (+ END_BLOCK + 2 dummies).
 * heap[heapMax..HEAP_SIZE-1] collects the entries in removal order (for
 * gen_bitlen), and heap[heapLen + 1] always holds HEAP_GUARD so the last left
 * son never needs a bounds test.
 */
const heap = new Int32Array(HEAP_SIZE + 1);
const HEAP_GUARD = 0x3fffffff; // key above any real key
const NODE_MASK = 0x3ff;
let optLen = 0;
let staticLen = 0;

/**
 * What the LZ77 loop in ./deflate.ts fills for one block (zlib's _tr_tally):
 * syms[i] = (dist << 8) | lc per symbol (dist 0: lc is a literal byte, else
 * lc = match length - 3), the frequencies, and bitmaps of the symbols used.
 */
export interface Tally {
  readonly syms: Int32Array;
  readonly lFreq: Uint16Array;
  readonly lUsed: Int32Array;
  readonly dFreq: Uint16Array;
  readonly dUsed: Int32Array;
}

let tally: Tally | null = null;
/** tally.syms, and the number of symbols in it (set by writeFinalBlock) */
let syms = new Int32Array(0);
let symNext = 0;

/** Where the block starts in the output (after the zlib header). */
let blockStart = 0;
/** The fixed-code block the LZ77 pass wrote: its end, static_len, and its extra bits. */
let fixedEnd = 0;
let fixedStaticLen = 0;
let fixedExtraBits = 0;

/** FIXED_LITERAL[c] = code length << 16 | bit-reversed fixed code of literal byte c. */
export const FIXED_LITERAL = new Int32Array(256);
for (let c = 0; c < 256; c++) FIXED_LITERAL[c] = (staticLlen[c] << 16) | staticLcode[c];

/**
 * init_block, and the start of the fixed-code block at `out[pos]`: clears the frequencies and
 * returns the tally buffers. The LZ77 pass then tallies each literal (inline: it is the hot path)
 * and writes its FIXED_LITERAL code through bitOut, hands each match to tallyMatch, and ends with
 * finishFixedBlock.
 */
export function initBlock(out: Uint8Array, pos: number): Tally {
  if (tally === null) {
    syms = new Int32Array(SYM_BUF_SYMBOLS);
    tally = { syms, lFreq, lUsed, dFreq, dUsed };
  }
  lFreq.fill(0, 0, L_CODES);
  dFreq.fill(0, 0, D_CODES);
  lUsed.fill(0);
  dUsed.fill(0);
  lFreq[END_BLOCK] = 1;
  lUsed[END_BLOCK >>> 5] |= 1 << (END_BLOCK & 31);
  optLen = staticLen = 0;
  blockStart = pos;
  fixedExtraBits = 0;
  startBits(out, pos);
  sendBits((STATIC_TREES << 1) | 1, 3); // last block
  return tally;
}

/**
 * _tr_tally_dist for the match (distance `dist`, length lc + 3) as symbol `index`, and its fixed
 * codes through bitOut.
 */
export function tallyMatch(index: number, dist: number, lc: number): void {
  syms[index] = (dist << 8) | lc;
  const l = lengthCode[lc] + LITERALS + 1;
  lFreq[l]++;
  lUsed[l >>> 5] |= 1 << (l & 31);
  const d = dist <= 256 ? distCode[dist - 1] : distCode[256 + ((dist - 1) >>> 7)];
  dFreq[d]++;
  dUsed[0] |= 1 << d;
  fixedExtraBits += sendMatch(staticLcode, staticLlen, staticDcode, staticDlen, lc, dist);
}

/** Ends the fixed-code block: END_BLOCK and the padding. */
export function finishFixedBlock(): void {
  sendBits(staticLcode[END_BLOCK], staticLlen[END_BLOCK]);
  // zlib's static_len: the symbols' bits, without the 3-bit block header.
  fixedStaticLen = bitsSince(blockStart) - 3;
  fixedEnd = windupBits();
}

/**
 * pqdownheap on heap[1..heapLen] with zlib's rules: the right son wins ties,
 * and the node stops above a son with an equal key. Keys compare as
 * key(a) <= key(b) <=> a <= (b | 0x3ff). The son is picked without a branch:
 * which one is smaller is unpredictable.
 */
function pqdownheap(k: number, heapLen: number): void {
  const v = heap[k];
  let j = k << 1;
  while (j <= heapLen) {
    const l = heap[j];
    const r = heap[j + 1]; // HEAP_GUARD when j == heapLen
    const m = ((l | NODE_MASK) - r) >> 31; // 0: key(r) <= key(l), take r; -1: take l
    const e = r + ((l - r) & m);
    j += 1 + m;
    if (v <= (e | NODE_MASK)) break; // key(v) <= key(e)
    heap[k] = e;
    k = j;
    j <<= 1;
  }
  heap[k] = v;
}

/**
 * gen_bitlen for a tree built by `merges` merges: code lengths, and the tree's
 * cost added to optLen/staticLen. Merge i created node elems + i from the
 * entries it removed, stored at heap[HEAP_SIZE-1-2i] and heap[HEAP_SIZE-2-2i];
 * walking the merges backwards sets every node's depth after its parent's,
 * the same lengths zlib derives from the dad links. Codes come later, from
 * assignCodes, and only if the block is sent with dynamic trees.
 */
function genBitlen(t: Tree, heapMax: number, merges: number): void {
  const { len, freq, xbits, slen, leaves, leafCount, maxLength, elems } = t;
  len[elems + merges - 1] = 0; // root
  let deepest = 0;
  for (let i = merges - 1; i >= 0; i--) {
    const bits = len[elems + i] + 1;
    len[heap[HEAP_SIZE - 1 - 2 * i] & NODE_MASK] = bits;
    len[heap[HEAP_SIZE - 2 - 2 * i] & NODE_MASK] = bits;
    deepest |= bits; // maxLength is 2^k - 1: the OR exceeds it iff some length does
  }
  if (deepest > maxLength) {
    const dad = t.dad;
    for (let i = 0; i < merges; i++) {
      dad[heap[HEAP_SIZE - 1 - 2 * i] & NODE_MASK] = dad[heap[HEAP_SIZE - 2 - 2 * i] & NODE_MASK] = elems + i;
    }
    genBitlenOverflow(t, heapMax);
    return;
  }
  let opt = 0;
  let stat = 0;
  for (let i = 0; i < leafCount; i++) {
    const n = leaves[i];
    const f = freq[n];
    const x = xbits[n];
    opt += f * (len[n] + x);
    stat += f * (slen[n] + x);
  }
  optLen += opt;
  if (t.hasStree) staticLen += stat;
}

/** gen_codes: canonical codes from t's lengths (leaves in increasing symbol order). */
function assignCodes(t: Tree): void {
  const { len, code, leaves, leafCount } = t;
  blCount.fill(0);
  for (let i = 0; i < leafCount; i++) blCount[len[leaves[i]]]++;
  startCodes();
  for (let i = 0; i < leafCount; i++) {
    const n = leaves[i];
    code[n] = bitReverse(nextCode[len[n]]++, len[n]);
  }
}

/** gen_bitlen verbatim (needs t.dad), for trees deeper than maxLength. */
function genBitlenOverflow(t: Tree, heapMax: number): void {
  const { len, dad, freq, xbits, slen, maxLength, maxCode } = t;
  let overflow = 0;
  blCount.fill(0);
  len[heap[heapMax] & NODE_MASK] = 0;
  let h: number;
  for (h = heapMax + 1; h < HEAP_SIZE; h++) {
    const n = heap[h] & NODE_MASK;
    let bits = len[dad[n]] + 1;
    if (bits > maxLength) {
      bits = maxLength;
      overflow++;
    }
    len[n] = bits;
    if (n > maxCode) continue; // not a leaf
    blCount[bits]++;
    const f = freq[n];
    optLen += f * (bits + xbits[n]);
    if (t.hasStree) staticLen += f * (slen[n] + xbits[n]);
  }
  if (overflow === 0) return;

  // Find the first bit length that could increase; move overflow leaves there.
  do {
    let bits = maxLength - 1;
    while (blCount[bits] === 0) bits--;
    blCount[bits]--;
    blCount[bits + 1] += 2;
    blCount[maxLength]--;
    overflow -= 2;
  } while (overflow > 0);

  // Reassign lengths to leaves in increasing frequency order (h is HEAP_SIZE).
  for (let bits = maxLength; bits !== 0; bits--) {
    let n = blCount[bits];
    while (n !== 0) {
      const m = heap[--h] & NODE_MASK;
      if (m > maxCode) continue;
      if (len[m] !== bits) {
        optLen += (bits - len[m]) * freq[m];
        len[m] = bits;
      }
      n--;
    }
  }
}

/** build_tree: Huffman code lengths for t's frequencies (codes: see assignCodes). */
function buildTree(t: Tree): void {
  const { freq, len, used, elems, leaves } = t;
  let leafCount = 0;
  let maxCode = -1;
  let heapLen = 0;
  let heapMax = HEAP_SIZE;

  len.fill(0, 0, elems); // zero-frequency symbols get no code
  // Leaves in increasing symbol order, like zlib's scan over all elems.
  for (let w = 0; w < used.length; w++) {
    let bits = used[w];
    while (bits !== 0) {
      const n = (w << 5) | (31 - Math.clz32(bits & -bits));
      bits &= bits - 1;
      leaves[leafCount++] = n;
      heap[++heapLen] = (freq[n] << 15) | n; // depth 0
      maxCode = n;
    }
  }
  // Deflate needs at least two codes (at least one bit per code): add dummies.
  while (heapLen < 2) {
    const node = maxCode < 2 ? ++maxCode : 0;
    freq[node] = 1;
    heap[++heapLen] = (1 << 15) | node;
    if (node === 0 && leafCount > 0) {
      leaves.copyWithin(1, 0, leafCount); // keep `leaves` sorted
      leaves[0] = 0;
      leafCount++;
    } else {
      leaves[leafCount++] = node;
    }
    optLen--;
    staticLen -= t.slen[node];
  }
  t.maxCode = maxCode;
  t.leafCount = leafCount;
  heap[heapLen + 1] = HEAP_GUARD;

  for (let n = heapLen >> 1; n >= 1; n--) pqdownheap(n, heapLen);
  const merges = heapLen - 1;

  // Repeatedly combine the two least frequent nodes.
  let node = elems;
  do {
    const a = heap[1]; // pqremove
    heap[1] = heap[heapLen];
    heap[heapLen--] = HEAP_GUARD;
    pqdownheap(1, heapLen);
    const b = heap[1];
    heap[--heapMax] = a;
    heap[--heapMax] = b;
    const aDepth = (a >>> 10) & 31;
    const bDepth = (b >>> 10) & 31;
    // The new node weighs the sum and is one deeper than its deeper son.
    const e = (((a >>> 15) + (b >>> 15)) << 15) | (((aDepth >= bDepth ? aDepth : bDepth) + 1) << 10) | node;
    node++;
    heap[1] = e;
    pqdownheap(1, heapLen);
  } while (heapLen >= 2);
  heap[--heapMax] = heap[1];

  genBitlen(t, heapMax, merges);
}

/*
 * scan_tree / send_tree walk len[0..max_code] and cut it into tokens (walkTree). Their
 * state machine only depends on maximal runs of equal lengths, so both are
 * done run by run here (runs come from the sorted leaf list: zero runs are
 * the gaps between leaves). For a run of value v and length L, zlib emits:
 *  - v == 0: chunks of up to 138; a chunk of c < 3 is c literal zeros,
 *    3..10 is REPZ_3_10, 11..138 is REPZ_11_138.
 *  - v != 0: a first chunk of up to 7 (c < 4: c literals; else the literal v
 *    and REP_3_6 for the other c - 1), then chunks of up to 6 (c < 3:
 *    c literals; else REP_3_6), since the previous token then had the same v.
 * (zlib's max_count/min_count are 138/3 on entry to a zero run, 7/4 on entry
 * to a non-zero run, and 138/3 or 6/3 when a run continues past a chunk.)
 */

/** What walkTree hands each code-length token to: the token, its extra bits' value and count. */
type TokenVisitor = (token: number, extra: number, extraBits: number) => void;

/** The code-length tokens of t, in zlib's order: what scan_tree counts and send_tree sends. */
function walkTree(t: Tree, visit: TokenVisitor): void {
  const len = t.len;
  let pos = 0;
  let i = 0;
  while (i < t.leafCount) {
    const n = t.leaves[i];
    if (n > pos) {
      let z = n - pos;
      for (; z >= 138; z -= 138) visit(REPZ_11_138, 138 - 11, 7);
      if (z !== 0) {
        if (z < 3) for (; z !== 0; z--) visit(0, 0, 0);
        else if (z <= 10) visit(REPZ_3_10, z - 3, 3);
        else visit(REPZ_11_138, z - 11, 7);
      }
    }
    const v = len[n];
    let last = n;
    for (i++; i < t.leafCount && t.leaves[i] === last + 1 && len[last + 1] === v; i++) last++;
    let run = last - n + 1;
    pos = last + 1;
    const first = run < 7 ? run : 7;
    if (first < 4) {
      for (let k = 0; k < first; k++) visit(v, 0, 0);
    } else {
      visit(v, 0, 0);
      visit(REP_3_6, first - 1 - 3, 2);
    }
    for (run -= first; run >= 6; run -= 6) visit(REP_3_6, 6 - 3, 2);
    if (run !== 0) {
      if (run < 3) for (; run !== 0; run--) visit(v, 0, 0);
      else visit(REP_3_6, run - 3, 2);
    }
  }
}

/** scan_tree: add t's code-length tokens to blTree.freq. */
const countToken: TokenVisitor = (token) => {
  blTree.freq[token]++;
};

/* ---------------------------------------------------------------- block type without trees */

/*
 * zlib only builds the dynamic trees to learn opt_len, the dynamic block's size, and then
 * compares it with the fixed and stored sizes. When a cheap lower bound B <= opt_len already
 * gives (static_len + 10) >> 3 <= (B + 10) >> 3 <= opt_lenb, zlib's choice is fixed or stored
 * whatever opt_len is, and the trees are not needed. B is a sum of parts, each at most the
 * matching part of opt_len (build_tree, build_bl_tree, _tr_flush_block):
 *  1. Literal/length and distance codes. zlib's code lengths form a prefix code, so their cost
 *     over the real symbols is at least the Shannon bound T log2 T - sum f log2 f (T = sum f;
 *     Kraft's inequality and Gibbs'), one table lookup per symbol. Dummy leaves (a tree with
 *     < 2 symbols) add 1 * len - 1 >= 0 each. Extra bits are exact.
 *  2. The code-length tokens (scan_tree). A zero run is a maximal gap between leaves (used
 *     symbols and dummies, exactly as zlib sees them, up to max_code), so its tokens are exact:
 *     chunks of 138, a chunk of c < 3 is c `0`s, 3..10 one REPZ_3_10, 11..138 one REPZ_11_138.
 *     A block of L adjacent leaves (all with non-zero lengths) takes at least minRunTokens[L]
 *     other tokens, the fewest scan_tree could use for any lengths. Those tokens are counted as
 *     one symbol N: merging symbols and lowering counts never raises the optimal cost, and an
 *     optimal code costs at most the 7-bit-limited code zlib builds for the bl tree (its
 *     dummies again add >= 0). REPZ extra bits are exact; REP_3_6's 2 extra bits are left out.
 *  3. Header: 3 * (max_blindex + 1) + 5 + 5 + 4, with max_blindex >= 3 and >= minBlIndex of
 *     each tree's leaf count (below NO_OVERFLOW_SYMBOLS; see minBlIndex).
 * Then B <= opt_len, and opt_len is an integer. The test "the lower bound that skips the
 * dynamic trees" in test/deflate-exact.test.ts checks B <= opt_len against the trees.
 * static_len is exact: it is the length of the fixed-code block the LZ77 pass wrote (a dummy's
 * static cost is added and subtracted by zlib).
 */

/** The code-length token counts, sorted ascending, for huffmanCost. */
const sortedFreq = new Int32Array(4);
/** Merged weights of huffmanCost's second queue. */
const mergedQueue = new Int32Array(4);
/** Optimal (unlimited-length) prefix-code cost of sortedFreq[0, n), sorted ascending. */
function huffmanCost(n: number): number {
  if (n < 2) return 0;
  const a = sortedFreq;
  const q = mergedQueue;
  let i = 0;
  let qh = 0;
  let qt = 0;
  let cost = 0;
  for (let k = 1; k < n; k++) {
    let x: number;
    if (qh === qt || (i < n && a[i] <= q[qh])) x = a[i++];
    else x = q[qh++];
    let y: number;
    if (qh === qt || (i < n && a[i] <= q[qh])) y = a[i++];
    else y = q[qh++];
    const s = x + y;
    cost += s;
    q[qt++] = s;
  }
  return cost;
}

/** Per-call results of scanLeaves. */
let zeroTokens = 0;
let repz10 = 0;
let repz138 = 0;
let otherTokens = 0;
/** The Shannon bound of the tree scanLeaves last walked, in bits (see part 1). */
let entropyBits = 0;
/** f * log2(f), for the frequencies most blocks have. */
const F_LOG_F = new Float64Array(1024);
for (let f = 1; f < F_LOG_F.length; f++) F_LOG_F[f] = f * Math.log2(f);
/** Leaves (with dummies) of the tree scanLeaves last walked. */
let leavesSeen = 0;

/**
 * minRunTokens[L]: the fewest scan_tree tokens for L adjacent non-zero code lengths after a
 * zero (or at the start): the minimum over every split into runs of equal lengths. A run of r
 * takes a first chunk of up to 7 (c < 4: c literals; else a literal and REP_3_6), then chunks
 * of up to 6 (c < 3: c literals; else one REP_3_6).
 */
const minRunTokens = new Uint16Array(L_CODES + 1);
/**
 * minBlIndex[k]: the smallest blOrder rank among code lengths 1..k. A complete code over
 * m >= 2 leaves (sum of 2^-len = 1) has a length <= floor(log2 m), so max_blindex >= this.
 * zlib's literal and distance trees are complete Huffman trees unless gen_bitlen had to cut
 * them to 15 bits, and a Huffman tree with a leaf at depth 16 weighs at least fib(18) = 2584
 * (leaf weights >= 1). A tree's weight is at most symbols + 2 (END_BLOCK or dummies), so below
 * NO_OVERFLOW_SYMBOLS symbols no tree is cut.
 */
const minBlIndex = new Uint8Array(MAX_BITS + 1);
const NO_OVERFLOW_SYMBOLS = 2584 - 2;
{
  const runTokens = (r: number): number => {
    const first = r < 7 ? r : 7;
    let t = first < 4 ? first : 2;
    for (r -= first; r > 0; r -= 6) t += r >= 3 ? 1 : r;
    return t;
  };
  for (let total = 1; total <= L_CODES; total++) {
    let best = 0xffff;
    for (let r = 1; r <= total; r++) best = Math.min(best, minRunTokens[total - r] + runTokens(r));
    minRunTokens[total] = best;
  }
  let rank = BL_CODES;
  for (let k = 1; k <= MAX_BITS; k++) {
    rank = Math.min(rank, blOrder.indexOf(k));
    minBlIndex[k] = rank;
  }
}

/**
 * One pass over a tree's leaves (bitmap `used`, plus the dummy bits zlib would add): the
 * Shannon bound, static and extra bits (part 1), and the code-length tokens (part 2).
 */
function scanLeaves(t: Tree, used: Int32Array, dummies: number): void {
  const freq = t.freq;
  const minRun = minRunTokens;
  let pos = 0;
  let blockStart = 0; // an empty block before the first leaf: minRunTokens[0] = 0
  let leaves = 0;
  let ent = 0;
  let tot = 0;
  let zeros = 0;
  let r10 = 0;
  let r138 = 0;
  let others = 0;
  for (let w = 0; w < used.length; w++) {
    let bits = used[w];
    if (w === 0) bits |= dummies;
    while (bits !== 0) {
      const n = (w << 5) | (31 - Math.clz32(bits & -bits));
      bits &= bits - 1;
      // Without branches: a token's random signature bytes put leaves at random places, and
      // branches on each gap mispredict (with them, deflate of token payloads with fresh
      // signatures took 8–11% longer). z = the zeros before this leaf; hasGap = -1 if there
      // are any, else 0.
      let z = n - pos;
      const hasGap = -z >> 31;
      // A gap closes the block of adjacent leaves before it.
      others += minRun[pos - blockStart] & hasGap;
      blockStart += (n - blockStart) & hasGap;
      // The zero run: chunks of 138, then z < 3 literal zeros, 3..10 one REPZ_3_10, 11..137
      // one REPZ_11_138 (z = 0: none; small and big are -1 or 0).
      for (; z >= 138; z -= 138) r138++;
      const small = (z - 3) >> 31;
      const big = (10 - z) >> 31;
      zeros += z & small;
      r10 += 1 + small + big;
      r138 -= big;
      pos = n + 1;
      leaves++;
      // A dummy's frequency is still 0 here (build_tree sets it to 1): it adds nothing below.
      const f = freq[n];
      ent += f < F_LOG_F.length ? F_LOG_F[f] : f * Math.log2(f);
      tot += f;
    }
  }
  others += minRun[pos - blockStart];
  leavesSeen = leaves;
  entropyBits = (tot < F_LOG_F.length ? F_LOG_F[tot] : tot * Math.log2(tot)) - ent;
  zeroTokens += zeros;
  repz10 += r10;
  repz138 += r138;
  otherTokens += others;
}

/** Inserts a non-zero count c into sortedFreq[0, n) (insertion sort); returns the new length. */
function insertCount(n: number, c: number): number {
  if (c === 0) return n;
  let j = n;
  for (; j > 0 && sortedFreq[j - 1] > c; j--) sortedFreq[j] = sortedFreq[j - 1];
  sortedFreq[j] = c;
  return n + 1;
}

/**
 * The lower bound B on opt_len described above, for the tallied block (symNext symbols). The
 * extra bits come from the fixed-code block, which has the same ones.
 */
function dynamicLowerBound(): number {
  zeroTokens = repz10 = repz138 = otherTokens = 0;
  // build_tree's dummies: the literal tree lacks a second leaf only when nothing was tallied
  // (END_BLOCK is always there, max_code 256: dummy 0); the distance tree when < 2 distances.
  const lDummies = symNext === 0 ? 1 : 0;
  const d = dUsed[0];
  let dDummies = 0;
  if (d === 0) dDummies = 3; // nodes 0, then 1
  else if ((d & (d - 1)) === 0) dDummies = d < 4 ? d << 1 : 1; // max_code < 2 ? ++max_code : 0
  scanLeaves(lTree, lUsed, lDummies);
  let bound = entropyBits;
  // Complete codes: see minBlIndex (no overflow repair below NO_OVERFLOW_SYMBOLS).
  const complete = symNext < NO_OVERFLOW_SYMBOLS;
  let blIndex = complete ? minBlIndex[31 - Math.clz32(leavesSeen)] : 3;
  scanLeaves(dTree, dUsed, dDummies);
  bound += entropyBits + fixedExtraBits;
  const dIndex = complete ? minBlIndex[31 - Math.clz32(leavesSeen)] : 3;
  if (dIndex > blIndex) blIndex = dIndex;
  if (blIndex < 3) blIndex = 3;
  const tokenKinds = insertCount(insertCount(insertCount(insertCount(0, zeroTokens), repz10), repz138), otherTokens);
  bound += huffmanCost(tokenKinds) + 3 * repz10 + 7 * repz138;
  // opt_len is an integer >= the real-valued bound; 1e-6 covers the rounding of the sums
  // (< 1e-8 for the largest blocks).
  return Math.ceil(bound - 1e-6) + 3 * (blIndex + 1) + 5 + 5 + 4;
}

/* ---------------------------------------------------------------- bit output */

/**
 * The codes of one match, length lc + 3 at distance `dist`, through bitOut (compress_block's
 * match case). Returns the number of extra bits sent.
 */
function sendMatch(lcode: Uint16Array, llen: Uint16Array, dcode: Uint16Array, dlen: Uint16Array, lc: number, dist: number): number {
  const lcd = lengthCode[lc];
  sendBits(lcode[lcd + LITERALS + 1], llen[lcd + LITERALS + 1]);
  const lx = lengthExtra[lcd];
  if (lx !== 0) sendBits(lc - baseLength[lcd], lx);
  dist--;
  const dcd = dist < 256 ? distCode[dist] : distCode[256 + (dist >>> 7)];
  sendBits(dcode[dcd], dlen[dcd]);
  const dx = distExtra[dcd];
  if (dx !== 0) sendBits(dist - baseDist[dcd], dx);
  return lx + dx;
}

/** send_tree: a code-length token coded with blTree, then its extra bits. */
const sendToken: TokenVisitor = (token, extra, extraBits) => {
  sendBits(blTree.code[token], blTree.len[token]);
  if (extraBits !== 0) sendBits(extra, extraBits);
};

/** compress_block with the dynamic trees: the tallied symbols, then END_BLOCK. */
function compressBlock(): void {
  const { code, len } = lTree;
  for (let sx = 0; sx < symNext; sx++) {
    const sym = syms[sx];
    const lc = sym & 0xff;
    const dist = sym >>> 8;
    if (dist === 0) sendBits(code[lc], len[lc]);
    else sendMatch(code, len, dTree.code, dTree.len, lc, dist);
  }
  sendBits(code[END_BLOCK], len[END_BLOCK]);
}

const STORED_BLOCK = 0;
const STATIC_TREES = 1;
const DYN_TREES = 2;
/** build_bl_tree's max_blindex, for send_all_trees. */
let maxBlindex = 0;

/** _tr_flush_block's choice when dynamicLowerBound settles it without the trees; else -1. */
function blockTypeWithoutTrees(storedLen: number): number {
  const bound = dynamicLowerBound();
  const staticLenb = (fixedStaticLen + 3 + 7) >>> 3;
  const boundLenb = (bound + 3 + 7) >>> 3; // <= opt_lenb
  // Then static_lenb <= opt_lenb: zlib sets opt_lenb = static_lenb.
  if (staticLenb <= boundLenb) return storedLen + 4 <= staticLenb ? STORED_BLOCK : STATIC_TREES;
  // Else zlib's final opt_lenb is min(static_lenb, opt_lenb) >= bound_lenb.
  if (storedLen + 4 <= boundLenb) return STORED_BLOCK;
  return -1;
}

/** build_tree x 2, build_bl_tree and _tr_flush_block's choice, exactly as zlib makes it. */
function blockTypeFromTrees(storedLen: number): number {
  buildTree(lTree);
  buildTree(dTree);

  // build_bl_tree
  blTree.freq.fill(0, 0, BL_CODES);
  walkTree(lTree, countToken);
  walkTree(dTree, countToken);
  const blUsed = blTree.used;
  blUsed[0] = 0;
  for (let n = 0; n < BL_CODES; n++) if (blTree.freq[n] !== 0) blUsed[0] |= 1 << n;
  buildTree(blTree);
  for (maxBlindex = BL_CODES - 1; maxBlindex >= 3; maxBlindex--) {
    if (blTree.len[blOrder[maxBlindex]] !== 0) break;
  }
  optLen += 3 * (maxBlindex + 1) + 5 + 5 + 4;

  let optLenb = (optLen + 3 + 7) >>> 3;
  const staticLenb = (staticLen + 3 + 7) >>> 3;
  if (staticLenb <= optLenb) optLenb = staticLenb;
  if (storedLen + 4 <= optLenb) return STORED_BLOCK;
  return staticLenb === optLenb ? STATIC_TREES : DYN_TREES;
}

/** See measureBlock. @internal */
export interface BlockCosts {
  /** dynamicLowerBound() */
  readonly lowerBound: number;
  /** static_len as dynamicLowerBound computed it */
  readonly boundStaticLen: number;
  /** zlib's opt_len and static_len, from the trees */
  readonly optLen: number;
  readonly staticLen: number;
}

/**
 * For tests: the tallied block's lower bound (dynamicLowerBound), and zlib's
 * exact opt_len and static_len from the trees. Leaves the trees built; call after initBlock
 * and the LZ77 pass, instead of writeFinalBlock.
 * @internal
 */
export function measureBlock(symbols: number): BlockCosts {
  symNext = symbols;
  const lowerBound = dynamicLowerBound();
  const boundStaticLen = fixedStaticLen;
  blockTypeFromTrees(0);
  return { lowerBound, boundStaticLen, optLen, staticLen };
}

/**
 * _tr_flush_block(s, buf, stored_len, last = 1) for the block the LZ77 pass tallied (`symbols`
 * symbols) and wrote with the fixed codes: chooses stored, fixed or dynamic coding exactly like
 * zlib. The fixed-code block stays when zlib chooses it; otherwise the stored or dynamic block
 * is written over it. `src[0, storedLen)` are the block's input bytes (the stored-block
 * payload), `dst` the buffer given to initBlock. Returns the end of the block, which is padded
 * to a byte boundary.
 */
export function writeFinalBlock(src: Uint8Array, storedLen: number, symbols: number, dst: Uint8Array): number {
  symNext = symbols;
  let type = blockTypeWithoutTrees(storedLen);
  if (type < 0) type = blockTypeFromTrees(storedLen);
  if (type === STATIC_TREES) return fixedEnd;

  startBits(dst, blockStart);
  if (type === STORED_BLOCK) {
    // _tr_stored_block
    sendBits((STORED_BLOCK << 1) | 1, 3);
    let pos = windupBits();
    dst[pos++] = storedLen & 0xff;
    dst[pos++] = (storedLen >>> 8) & 0xff;
    dst[pos++] = ~storedLen & 0xff;
    dst[pos++] = (~storedLen >>> 8) & 0xff;
    for (let i = 0; i < storedLen; i++) dst[pos++] = src[i];
    return pos;
  }
  sendBits((DYN_TREES << 1) | 1, 3);
  assignCodes(lTree);
  assignCodes(dTree);
  assignCodes(blTree);
  // send_all_trees
  const lcodes = lTree.maxCode + 1;
  const dcodes = dTree.maxCode + 1;
  const blcodes = maxBlindex + 1;
  sendBits(lcodes - 257, 5);
  sendBits(dcodes - 1, 5);
  sendBits(blcodes - 4, 4);
  for (let rank = 0; rank < blcodes; rank++) sendBits(blTree.len[blOrder[rank]], 3);
  walkTree(lTree, sendToken);
  walkTree(dTree, sendToken);
  compressBlock();
  return windupBits();
}
