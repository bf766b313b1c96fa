/*
 * Huffman half of the exact deflate in ./deflate.ts: one block's trees, zlib's choice of stored,
 * fixed or dynamic coding, and the block's bits (zlib's trees.c as transcribed by pako 2.1.0,
 * lib/zlib/trees.js; zlib's names are in the comments so the two read side by side).
 *
 * Everything that can change output bytes is kept exactly: the heap and its tie rules (which
 * decide which of several equal-frequency symbols gets the longer code), gen_bitlen's overflow
 * repair, the opt_len/static_len accounting, the stored/fixed/dynamic choice and the run-length
 * coding of code lengths. What differs is speed only:
 *  - zlib's ct_data unions (Freq/Code, Dad/Len) are separate scratch arrays (./scratch.ts), and
 *    each call's own values live in its DeflateState / TreeDesc objects.
 *  - Used symbols are tracked in bitmaps while tallying, so building a tree visits only the
 *    symbols that occur, in the same increasing order as zlib.
 *  - Heap entries pack node, frequency and depth into one integer (see pqdownheap), and the
 *    smaller son is picked without branches; the heap itself evolves exactly as zlib's.
 *  - gen_bitlen takes a short path when no code exceeds the length limit, and dynamic codes are
 *    only assigned when the block is sent with them.
 *  - The trees are not built at all when a cheap lower bound on the dynamic block's size already
 *    settles zlib's choice (see "block type without trees"): for nearly every token payload, the
 *    fixed block is chosen that way.
 */
import { newDeflateStateOf, newTreeDesc, sendBits, windupBits, type DeflateState, type TreeDesc } from './deflate-state';
import {
  BL_COUNT, BL_TOKENS, BL_TREE, D_TREE, DEFLATE_SYMS, FREQ_BUCKETS, L_TREE, LEAF_FREQS, LEAF_PREFIX, LEAF_QUEUE, NEXT_CODE,
  SORT_FREQ_MAX, TOKEN_COUNTS, TOKEN_QUEUE, TREE_HEAP,
} from './scratch';
import {
  BL_CODES, CL_ORDER, D_CODES, DIST_BASE, DIST_CODE, DIST_EXTRA, END_BLOCK, FIXED_DIST_CODES, FIXED_LIT_CODES,
  FIXED_LIT_LENGTHS, L_CODES, LENGTH_BASE, LENGTH_CODE, LENGTH_EXTRA, LITERALS, MAX_BITS, MIN_MATCH, reverseBits,
} from './tables';

const HEAP_SIZE = 2 * L_CODES + 1; // 573
const MAX_BL_BITS = 7;
const REP_3_6 = 16;
const REPZ_3_10 = 17;
const REPZ_11_138 = 18;
const STORED_BLOCK = 0;
const STATIC_TREES = 1;
const DYN_TREES = 2;

/* ---------------------------------------------------------------- per-tree constants */

/** Per node: extra bits (0 for internal nodes) and fixed code length (0 where there is none). */
function nodeTable(elems: number, values: ArrayLike<number>, base: number): Uint8Array {
  const t = new Uint8Array(2 * elems + 1);
  for (let i = 0; i < values.length; i++) t[base + i] = values[i];
  return t;
}
const L_XBITS = nodeTable(L_CODES, LENGTH_EXTRA, LITERALS + 1);
const D_XBITS = nodeTable(D_CODES, DIST_EXTRA, 0);
const BL_XBITS = nodeTable(BL_CODES, [2, 3, 7], REP_3_6);
const L_SLEN = nodeTable(L_CODES, FIXED_LIT_LENGTHS.subarray(0, L_CODES), 0);
const D_SLEN = nodeTable(D_CODES, new Uint8Array(D_CODES).fill(5), 0);
/** Fixed distance code lengths, as compressBlock takes them. */
const FIXED_DIST_LENGTHS = new Uint8Array(D_CODES).fill(5);

/** A fresh state for one deflate call writing to `out`, with its three tree descriptors. */
export function newDeflateState(out: Uint8Array): DeflateState {
  return newDeflateStateOf(
    out,
    newTreeDesc(L_TREE, L_CODES, MAX_BITS, L_XBITS, L_SLEN),
    newTreeDesc(D_TREE, D_CODES, MAX_BITS, D_XBITS, D_SLEN),
    newTreeDesc(BL_TREE, BL_CODES, MAX_BL_BITS, BL_XBITS, null),
  );
}

/** init_block: clears the frequencies and the used-symbol bitmaps; END_BLOCK occurs once. */
export function initBlock(st: DeflateState): void {
  L_TREE.freq.fill(0, 0, L_CODES);
  D_TREE.freq.fill(0, 0, D_CODES);
  L_TREE.used.fill(0);
  D_TREE.used.fill(0);
  L_TREE.freq[END_BLOCK] = 1;
  L_TREE.used[END_BLOCK >>> 5] |= 1 << (END_BLOCK & 31);
  st.optLen = st.staticLen = 0;
  st.symNext = 0;
  st.extraBits = 0;
}

/* ---------------------------------------------------------------- trees */

/*
 * build_tree's heap. Each entry packs a node with its sort key: freq << 15 | depth << 10 | node.
 * zlib's smaller(n, m) is `freq[n] < freq[m] || (freq[n] == freq[m] && depth[n] <= depth[m])`,
 * which is exactly (entry_n >>> 10) <= (entry_m >>> 10) given that:
 *  - node < 1024 (nodes go up to 2 * 286 - 2),
 *  - depth < 32: depth is a subtree height, and a Huffman subtree of height h weighs at least
 *    fib(h + 2) (fib(33) > 3.5 million),
 *  - freq < 2^15: a block holds at most LIT_BUFSIZE - 1 = 16383 symbols (+ END_BLOCK + 2 dummies).
 * heap[heapMax..HEAP_SIZE-1] collects the entries in removal order (for gen_bitlen), and
 * heap[heapLen + 1] always holds HEAP_GUARD so the last left son never needs a bounds test.
 */
const HEAP_GUARD = 0x3fffffff; // key above any real key
const NODE_MASK = 0x3ff;

/** First half of gen_codes: next_code[] from the bit-length counts in BL_COUNT. */
function startCodes(): void {
  let code = 0;
  for (let bits = 1; bits <= MAX_BITS; bits++) {
    code = (code + BL_COUNT[bits - 1]) << 1;
    NEXT_CODE[bits] = code;
  }
}

/**
 * pqdownheap on heap[1..heapLen] with zlib's rules: the right son wins ties, and the node stops
 * above a son with an equal key. Keys compare as key(a) <= key(b) <=> a <= (b | 0x3ff).
 * Done bottom-up (the same heap as zlib's loop, fewer unpredictable branches): first move the
 * smaller sons up along the whole path, without a branch for which son is smaller, then walk
 * back up to where zlib's loop stops. Keys along the path never decrease, so the place where
 * zlib's loop stops (the first son whose key is >= v's) is the last one the walk back passes.
 */
function pqdownheap(k: number, heapLen: number): void {
  const heap = TREE_HEAP;
  const v = heap[k];
  let i = k;
  let j = k << 1;
  while (j <= heapLen) {
    const l = heap[j];
    const r = heap[j + 1]; // HEAP_GUARD when j == heapLen
    const m = ((l | NODE_MASK) - r) >> 31; // 0: key(r) <= key(l), take r; -1: take l
    heap[i] = r + ((l - r) & m);
    i = j + 1 + m;
    j = i << 1;
  }
  // heap[i] is the hole at the bottom of the path; the path's keys are now one level up.
  while (i > k) {
    const parent = i >> 1;
    const e = heap[parent];
    if (v > (e | NODE_MASK)) break; // key(v) > key(e): v stays below e
    heap[i] = e;
    i = parent;
  }
  heap[i] = v;
}

/**
 * gen_bitlen for a tree built by `merges` merges: code lengths, and the tree's cost added to
 * opt_len/static_len. Merge i created node elems + i from the entries it removed, stored at
 * heap[HEAP_SIZE-1-2i] and heap[HEAP_SIZE-2-2i]; walking the merges backwards sets every node's
 * depth after its parent's, the same lengths zlib derives from the dad links. Codes come later,
 * from assignCodes, and only if the block is sent with dynamic trees.
 */
function genBitlen(st: DeflateState, t: TreeDesc, heapMax: number, merges: number): void {
  const heap = TREE_HEAP;
  const { len, freq, leaves } = t.s;
  const { xbits, slen, leafCount, maxLength, elems } = t;
  len[elems + merges - 1] = 0; // root
  let deepest = 0;
  for (let i = merges - 1; i >= 0; i--) {
    const bits = len[elems + i] + 1;
    len[heap[HEAP_SIZE - 1 - 2 * i] & NODE_MASK] = bits;
    len[heap[HEAP_SIZE - 2 - 2 * i] & NODE_MASK] = bits;
    deepest |= bits; // maxLength is 2^k - 1: the OR exceeds it iff some length does
  }
  if (deepest > maxLength) {
    const dad = t.s.dad;
    for (let i = 0; i < merges; i++) {
      dad[heap[HEAP_SIZE - 1 - 2 * i] & NODE_MASK] = dad[heap[HEAP_SIZE - 2 - 2 * i] & NODE_MASK] = elems + i;
    }
    genBitlenOverflow(st, t, heapMax);
    return;
  }
  let opt = 0;
  let stat = 0;
  for (let i = 0; i < leafCount; i++) {
    const n = leaves[i];
    const f = freq[n];
    const x = xbits[n];
    opt += f * (len[n] + x);
    if (slen !== null) stat += f * (slen[n] + x);
  }
  st.optLen += opt;
  st.staticLen += stat;
}

/** gen_bitlen verbatim (needs dad), for trees deeper than maxLength. */
function genBitlenOverflow(st: DeflateState, t: TreeDesc, heapMax: number): void {
  const heap = TREE_HEAP;
  const blCount = BL_COUNT;
  const { len, dad, freq } = t.s;
  const { xbits, slen, maxLength, maxCode } = t;
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
    st.optLen += f * (bits + xbits[n]);
    if (slen !== null) st.staticLen += f * (slen[n] + xbits[n]);
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
        st.optLen += (bits - len[m]) * freq[m];
        len[m] = bits;
      }
      n--;
    }
  }
}

/** gen_codes: canonical codes from t's lengths (leaves in increasing symbol order). */
function assignCodes(t: TreeDesc): void {
  const { len, code, leaves } = t.s;
  const leafCount = t.leafCount;
  BL_COUNT.fill(0);
  for (let i = 0; i < leafCount; i++) BL_COUNT[len[leaves[i]]]++;
  startCodes();
  for (let i = 0; i < leafCount; i++) {
    const n = leaves[i];
    code[n] = reverseBits(NEXT_CODE[len[n]]++, len[n]);
  }
}

/** build_tree: Huffman code lengths for t's frequencies (codes: see assignCodes). */
function buildTree(st: DeflateState, t: TreeDesc): void {
  const heap = TREE_HEAP;
  const { freq, len, used, leaves } = t.s;
  const elems = t.elems;
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
    st.optLen--;
    if (t.slen !== null) st.staticLen -= t.slen[node];
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

  genBitlen(st, t, heapMax, merges);
}

/*
 * scan_tree / send_tree walk len[0..max_code] and cut it into tokens (walkTree). Their state
 * machine only depends on maximal runs of equal lengths, so both are done run by run here (runs
 * come from the sorted leaf list: zero runs are the gaps between leaves). For a run of value v
 * and length L, zlib emits:
 *  - v == 0: chunks of up to 138; a chunk of c < 3 is c literal zeros, 3..10 is REPZ_3_10,
 *    11..138 is REPZ_11_138.
 *  - v != 0: a first chunk of up to 7 (c < 4: c literals; else the literal v and REP_3_6 for the
 *    other c - 1), then chunks of up to 6 (c < 3: c literals; else REP_3_6), since the previous
 *    token then had the same v.
 * (zlib's max_count/min_count are 138/3 on entry to a zero run, 7/4 on entry to a non-zero run,
 * and 138/3 or 6/3 when a run continues past a chunk.)
 */

/*
 * The tokens go into BL_TOKENS, once per dynamic block, for build_bl_tree to count and
 * send_all_trees to send: one entry is token | extra << 5 | extraBits << 12.
 */
const TOKEN_EXTRA_SHIFT = 5;
const TOKEN_BITS_SHIFT = 12;
const tokenOf = (token: number, extra: number, extraBits: number): number =>
  token | (extra << TOKEN_EXTRA_SHIFT) | (extraBits << TOKEN_BITS_SHIFT);
const ZERO_TOKEN = tokenOf(0, 0, 0);
const REPZ_138_TOKEN = tokenOf(REPZ_11_138, 138 - 11, 7);
const REP_6_TOKEN = tokenOf(REP_3_6, 6 - 3, 2);

/** The code-length tokens of t, in zlib's order, into BL_TOKENS from index k; returns the new end. */
function walkTree(t: TreeDesc, k: number): number {
  const tokens = BL_TOKENS;
  const { len, leaves } = t.s;
  const leafCount = t.leafCount;
  let pos = 0;
  let i = 0;
  while (i < leafCount) {
    const n = leaves[i];
    if (n > pos) {
      let z = n - pos;
      for (; z >= 138; z -= 138) tokens[k++] = REPZ_138_TOKEN;
      if (z !== 0) {
        if (z < 3) for (; z !== 0; z--) tokens[k++] = ZERO_TOKEN;
        else if (z <= 10) tokens[k++] = tokenOf(REPZ_3_10, z - 3, 3);
        else tokens[k++] = tokenOf(REPZ_11_138, z - 11, 7);
      }
    }
    const v = len[n];
    let last = n;
    for (i++; i < leafCount && leaves[i] === last + 1 && len[last + 1] === v; i++) last++;
    let run = last - n + 1;
    pos = last + 1;
    const first = run < 7 ? run : 7;
    if (first < 4) {
      for (let c = 0; c < first; c++) tokens[k++] = v;
    } else {
      tokens[k++] = v;
      tokens[k++] = tokenOf(REP_3_6, first - 1 - 3, 2);
    }
    for (run -= first; run >= 6; run -= 6) tokens[k++] = REP_6_TOKEN;
    if (run !== 0) {
      if (run < 3) for (; run !== 0; run--) tokens[k++] = v;
      else tokens[k++] = tokenOf(REP_3_6, run - 3, 2);
    }
  }
  return k;
}

/** send_tree for both trees: each token coded with the bit-length tree, then its extra bits. */
function sendTokens(st: DeflateState): void {
  const { code, len } = BL_TREE;
  for (let k = 0; k < st.blTokens; k++) {
    const e = BL_TOKENS[k];
    const token = e & 31;
    sendBits(st, code[token], len[token]);
    const extraBits = e >>> TOKEN_BITS_SHIFT;
    if (extraBits !== 0) sendBits(st, (e >>> TOKEN_EXTRA_SHIFT) & 127, extraBits);
  }
}

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
 *     Except that N is split when the literal tree must have k >= 2 different code lengths:
 *     each length is a token value of its own that scan_tree writes at least once, so the
 *     other tokens span at least k symbols, and their cost is at least that of counts
 *     (N - k + 1, 1, ..., 1) (give the big count the shallowest of those leaves). k >= 2 when
 *     the leaf count m is not a power of two (one length L means m = 2^L, by Kraft).
 *  3. Header: 3 * (max_blindex + 1) + 5 + 5 + 4, with max_blindex >= 3 and >= minBlIndex of
 *     each tree's leaf count (below NO_OVERFLOW_SYMBOLS; see minBlIndex).
 * When that bound leaves the choice open, a refined one is tried (the trees cost ten times
 * more): part 1 of the literal tree becomes its exact cost, the optimal (Huffman) code's over
 * the sorted frequencies, since zlib's code is optimal below NO_OVERFLOW_SYMBOLS; and k >= 3
 * when no code with two lengths reaches that cost (see twoLengthsCanCost). On the shared peer
 * benchmark's UUID Chat user tokens this leaves the trees to 11-16% of builds (the share moves
 * with the issue time's bytes); the cheap bound alone left them to about twice as many.
 * Then B <= opt_len, and opt_len is an integer. The test "the lower bound that skips the
 * dynamic trees" in test/deflate-exact.test.ts checks B <= opt_len against the trees.
 * static_len is exact: the same sum zlib's gen_bitlen makes (a dummy's static cost is added and
 * subtracted by zlib).
 */

/**
 * What one scanLeaves pass finds; summed over the two trees by boundParts. A literal, not a
 * class, for the reason in ./deflate-state.ts; entropyBits starts as NaN so that its field holds
 * a double from the start (a field that changes from integer to double changes the shape).
 */
interface LeafScan {
  zeroTokens: number;
  repz10: number;
  repz138: number;
  otherTokens: number;
  /** Shannon bound of the last tree walked, in bits (part 1). */
  entropyBits: number;
  /** Leaves (with dummies) of the last tree walked. */
  leaves: number;
  /** static_len's part of both trees (fixed code bits plus extra bits), when scanned for. */
  staticBits: number;
}

function newLeafScan(): LeafScan {
  return { zeroTokens: 0, repz10: 0, repz138: 0, otherTokens: 0, entropyBits: NaN, leaves: 0, staticBits: 0 };
}

/** f * log2(f), for the frequencies most blocks have. */
const F_LOG_F = Float64Array.from({ length: 1024 }, (_, f) => (f === 0 ? 0 : f * Math.log2(f)));

/** scan_tree's tokens for a run of `run` equal non-zero code lengths after a different one. */
export function runTokens(run: number): number {
  if (run < 4) return run;
  const rest = run > 7 ? run - 7 : 0;
  const last = rest % 6;
  return 2 + (rest - last) / 6 + (last < 3 ? last : 1);
}

/**
 * minRunTokens[L]: the fewest scan_tree tokens for L adjacent non-zero code lengths after a zero
 * (or at the start). One run of L equal lengths takes a first chunk of up to 7 (c < 4: c
 * literals; else a literal and REP_3_6), then chunks of up to 6 (c < 3: c literals; else one
 * REP_3_6). Splitting the L lengths into runs of different lengths never takes fewer tokens
 * (test/deflate-exact.test.ts checks the minimum over every split for each L), so the one run's
 * count is the minimum.
 */
const minRunTokens = Uint16Array.from({ length: L_CODES + 1 }, (_, run) => runTokens(run));
/**
 * minBlIndex[k]: the smallest CL_ORDER rank among code lengths 1..k. A complete code over m >= 2
 * leaves (sum of 2^-len = 1) has a length <= floor(log2 m), so max_blindex >= this. zlib's
 * literal and distance trees are complete Huffman trees unless gen_bitlen had to cut them to 15
 * bits, and a Huffman tree with a leaf at depth 16 weighs at least fib(18) = 2584 (leaf weights
 * >= 1). A tree's weight is at most symbols + 2 (END_BLOCK or dummies), so below
 * NO_OVERFLOW_SYMBOLS symbols no tree is cut.
 */
const minBlIndex = minBlIndexTable();
const NO_OVERFLOW_SYMBOLS = 2584 - 2;

/** minBlIndex, built in a function (docs/design.md, "Load time"). */
function minBlIndexTable(): Uint8Array {
  const table = new Uint8Array(MAX_BITS + 1);
  let rank = BL_CODES;
  for (let k = 1; k <= MAX_BITS; k++) {
    rank = Math.min(rank, CL_ORDER.indexOf(k));
    table[k] = rank;
  }
  return table;
}

/**
 * One pass over a tree's leaves (bitmap `used`, plus the dummy bits zlib would add): the Shannon
 * bound, static and extra bits (part 1), and the code-length tokens (part 2).
 */
function scanLeaves(scan: LeafScan, t: TreeDesc, dummies: number, withStatic: boolean): void {
  const { freq, used } = t.s;
  const { xbits } = t;
  const slen = t.slen as Uint8Array;
  let pos = 0;
  let blockStart = 0; // an empty block before the first leaf: minRunTokens[0] = 0
  let leaves = 0;
  let ent = 0;
  let tot = 0;
  let zeros = 0;
  let r10 = 0;
  let r138 = 0;
  let others = 0;
  let stat = 0;
  for (let w = 0; w < used.length; w++) {
    let bits = used[w];
    if (w === 0) bits |= dummies;
    while (bits !== 0) {
      const n = (w << 5) | (31 - Math.clz32(bits & -bits));
      bits &= bits - 1;
      // Without branches: a token's random signature bytes put leaves at random places, and
      // branches on each gap mispredict. z = the zeros before this leaf; hasGap = -1 if there
      // are any, else 0.
      let z = n - pos;
      const hasGap = -z >> 31;
      // A gap closes the block of adjacent leaves before it.
      others += minRunTokens[pos - blockStart] & hasGap;
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
      if (withStatic) stat += f * (slen[n] + xbits[n]);
    }
  }
  others += minRunTokens[pos - blockStart];
  scan.leaves = leaves;
  scan.entropyBits = (tot < F_LOG_F.length ? F_LOG_F[tot] : tot * Math.log2(tot)) - ent;
  scan.zeroTokens += zeros;
  scan.repz10 += r10;
  scan.repz138 += r138;
  scan.otherTokens += others;
  scan.staticBits += stat;
}

/** Optimal (unlimited-length) prefix-code cost of counts[0, n), sorted ascending; `queue` holds n merged weights. */
function huffmanCost(counts: Int32Array, queue: Int32Array, n: number): number {
  if (n < 2) return 0;
  const a = counts;
  const q = queue;
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

/** Inserts a non-zero count c into TOKEN_COUNTS[0, n) (insertion sort); returns the new length. */
function insertCount(n: number, c: number): number {
  if (c === 0) return n;
  let j = n;
  for (; j > 0 && TOKEN_COUNTS[j - 1] > c; j--) TOKEN_COUNTS[j] = TOKEN_COUNTS[j - 1];
  TOKEN_COUNTS[j] = c;
  return n + 1;
}

/**
 * What the lower bound B described above is made of, from one pass over both trees' leaves:
 * part 1 per tree, part 2's token counts and the number of code lengths the literal tree has at
 * least, part 3's max_blindex; with zlib's exact static_len. A literal (see ./deflate-state.ts).
 */
interface BoundParts {
  /** Part 1 of the literal tree: its Shannon bound, or its exact cost once refined. */
  literalBits: number;
  /** Part 1 of the distance tree, plus the extra bits of both. */
  otherBits: number;
  readonly literalLeaves: number;
  /** Part 2: how many code lengths the literal tree has at least (each a token kind of its own). */
  lengths: number;
  readonly tokens: LeafScan;
  /** Part 3's max_blindex, at least. */
  readonly blIndex: number;
  /** Whether refineBound can sharpen parts 1 and 2 (a complete literal code with no dummy). */
  readonly refinable: boolean;
  readonly staticLen: number;
}

function boundParts(st: DeflateState): BoundParts {
  const scan = newLeafScan();
  // build_tree's dummies: the literal tree lacks a second leaf only when nothing was tallied
  // (END_BLOCK is always there, max_code 256: dummy 0); the distance tree when < 2 distances.
  const lDummies = st.symNext === 0 ? 1 : 0;
  const d = D_TREE.used[0];
  let dDummies = 0;
  if (d === 0) dDummies = 3; // nodes 0, then 1
  else if ((d & (d - 1)) === 0) dDummies = d < 4 ? d << 1 : 1; // max_code < 2 ? ++max_code : 0
  // static_len: counted here, or from the fixed-code block the LZ77 pass wrote (its bits after
  // the 3-bit header, plus END_BLOCK's 7).
  const written = st.fixedFrom >= 0;
  scanLeaves(scan, st.l, lDummies, !written);
  const literalBits = scan.entropyBits;
  const literalLeaves = scan.leaves;
  // Complete codes: see minBlIndex (no overflow repair below NO_OVERFLOW_SYMBOLS).
  const complete = st.symNext < NO_OVERFLOW_SYMBOLS;
  let blIndex = complete ? minBlIndex[31 - Math.clz32(literalLeaves)] : 3;
  scanLeaves(scan, st.d, dDummies, !written);
  const dIndex = complete ? minBlIndex[31 - Math.clz32(scan.leaves)] : 3;
  if (dIndex > blIndex) blIndex = dIndex;
  if (blIndex < 3) blIndex = 3;
  return {
    literalBits,
    otherBits: scan.entropyBits + st.extraBits,
    literalLeaves,
    // A complete code over m leaves has one length only when m is a power of two (Kraft).
    lengths: complete && (literalLeaves & (literalLeaves - 1)) !== 0 ? 2 : 1,
    tokens: scan,
    blIndex,
    refinable: complete && lDummies === 0,
    staticLen: written ? (st.pos - st.fixedFrom) * 8 + st.bitCount - st.fixedFromCount - 3 + FIXED_LIT_LENGTHS[END_BLOCK] : scan.staticBits,
  };
}

/** B from its parts. */
function lowerBoundOf(b: BoundParts): number {
  const t = b.tokens;
  // Each length the literal tree has is a token kind of its own, used at least once.
  const singles = Math.min(b.lengths - 1, t.otherTokens - 1);
  let kinds = insertCount(insertCount(insertCount(0, t.zeroTokens), t.repz10), t.repz138);
  kinds = insertCount(kinds, t.otherTokens - singles);
  for (let i = 0; i < singles; i++) kinds = insertCount(kinds, 1);
  const bits = b.literalBits + b.otherBits + huffmanCost(TOKEN_COUNTS, TOKEN_QUEUE, kinds) + 3 * t.repz10 + 7 * t.repz138;
  // opt_len is an integer >= the real-valued bound; 1e-6 covers the rounding of the sums
  // (< 1e-8 for the largest blocks).
  return Math.ceil(bits - 1e-6) + 3 * (b.blIndex + 1) + 5 + 5 + 4;
}

/**
 * The literal tree's leaf frequencies (END_BLOCK included, no dummies) into LEAF_FREQS, sorted
 * ascending, and their prefix sums into LEAF_PREFIX; returns how many, or -1 when a frequency is
 * too large for the counting sort (the refinement is then skipped).
 */
function sortLiteralFrequencies(): number {
  const { freq, used } = L_TREE;
  const buckets = FREQ_BUCKETS;
  buckets.fill(0);
  for (let w = 0; w < used.length; w++) {
    let bits = used[w];
    while (bits !== 0) {
      const f = freq[(w << 5) | (31 - Math.clz32(bits & -bits))];
      bits &= bits - 1;
      if (f >= SORT_FREQ_MAX) return -1;
      buckets[f]++;
    }
  }
  let m = 0;
  LEAF_PREFIX[0] = 0;
  for (let f = 1; f < SORT_FREQ_MAX; f++) {
    for (let c = buckets[f]; c !== 0; c--) {
      LEAF_FREQS[m] = f;
      LEAF_PREFIX[m + 1] = LEAF_PREFIX[m] + f;
      m++;
    }
  }
  return m;
}

/**
 * True when a complete code over the m sorted leaves whose lengths take only two values p < q
 * can cost `cost` bits. Kraft fixes how many leaves take each length (a * 2^-p + b * 2^-q = 1),
 * and an optimal code gives the shorter length to the more frequent leaves (swapping two that
 * are the other way round would make it cheaper), so that code costs p * (the a largest
 * frequencies) + q * (the b smallest).
 */
function twoLengthsCanCost(m: number, cost: number): boolean {
  const total = LEAF_PREFIX[m];
  for (let q = 2; q <= MAX_BITS; q++) {
    const above = (1 << q) - m;
    if (above <= 0) continue;
    for (let p = 1; p < q; p++) {
      const per = (1 << (q - p)) - 1;
      if (above % per !== 0) continue;
      const a = above / per;
      if (a >= m) continue;
      const low = LEAF_PREFIX[m - a];
      if (p * (total - low) + q * low === cost) return true;
    }
  }
  return false;
}

/**
 * Sharpens B where it can (see above): part 1 of the literal tree becomes its exact cost (its
 * code is an optimal one), and part 2 counts a third length when no two-length code reaches that
 * cost. Returns false when nothing changed.
 */
function refineBound(b: BoundParts): boolean {
  if (!b.refinable) return false;
  const m = sortLiteralFrequencies();
  if (m !== b.literalLeaves) return false;
  const cost = huffmanCost(LEAF_FREQS, LEAF_QUEUE, m);
  b.literalBits = cost;
  if (b.lengths === 2 && !twoLengthsCanCost(m, cost)) b.lengths = 3;
  return true;
}

/**
 * _tr_flush_block's choice when the lower bound settles it without the trees; else -1. The
 * cheap bound first, then the refined one when the cheap one leaves it open.
 */
function blockTypeWithoutTrees(st: DeflateState, storedLen: number, storedOk: boolean): number {
  const b = boundParts(st);
  const type = blockTypeFromBound(lowerBoundOf(b), b.staticLen, storedLen, storedOk);
  if (type >= 0 || !refineBound(b)) return type;
  return blockTypeFromBound(lowerBoundOf(b), b.staticLen, storedLen, storedOk);
}

function blockTypeFromBound(lowerBound: number, staticLen: number, storedLen: number, storedOk: boolean): number {
  const staticLenb = (staticLen + 3 + 7) >>> 3;
  const boundLenb = (lowerBound + 3 + 7) >>> 3; // <= opt_lenb
  // Then static_lenb <= opt_lenb: zlib sets opt_lenb = static_lenb.
  if (staticLenb <= boundLenb) return storedOk && storedLen + 4 <= staticLenb ? STORED_BLOCK : STATIC_TREES;
  // Else zlib's final opt_lenb is min(static_lenb, opt_lenb) >= bound_lenb.
  if (storedOk && storedLen + 4 <= boundLenb) return STORED_BLOCK;
  return -1;
}

/** build_tree x 2, build_bl_tree and _tr_flush_block's choice, exactly as zlib makes it. */
function blockTypeFromTrees(st: DeflateState, storedLen: number, storedOk: boolean): number {
  buildTree(st, st.l);
  buildTree(st, st.d);

  // build_bl_tree
  const blFreq = BL_TREE.freq;
  blFreq.fill(0, 0, BL_CODES);
  const tokens = walkTree(st.d, walkTree(st.l, 0));
  st.blTokens = tokens;
  for (let k = 0; k < tokens; k++) blFreq[BL_TOKENS[k] & 31]++;
  let blUsed = 0;
  for (let n = 0; n < BL_CODES; n++) if (blFreq[n] !== 0) blUsed |= 1 << n;
  BL_TREE.used[0] = blUsed;
  buildTree(st, st.bl);
  let maxBlindex: number;
  for (maxBlindex = BL_CODES - 1; maxBlindex >= 3; maxBlindex--) {
    if (BL_TREE.len[CL_ORDER[maxBlindex]] !== 0) break;
  }
  st.maxBlindex = maxBlindex;
  st.optLen += 3 * (maxBlindex + 1) + 5 + 5 + 4;

  let optLenb = (st.optLen + 3 + 7) >>> 3;
  const staticLenb = (st.staticLen + 3 + 7) >>> 3;
  if (staticLenb <= optLenb) optLenb = staticLenb;
  if (storedOk && storedLen + 4 <= optLenb) return STORED_BLOCK;
  return staticLenb === optLenb ? STATIC_TREES : DYN_TREES;
}

/** See measureBlock. @internal */
export interface BlockCosts {
  /** The lower bound on opt_len, refined (boundParts, refineBound, lowerBoundOf). */
  readonly lowerBound: number;
  /** static_len as boundParts computed it. */
  readonly boundStaticLen: number;
  /** zlib's opt_len and static_len, from the trees. */
  readonly optLen: number;
  readonly staticLen: number;
}

/** For tests: the tallied block's lower bound, and zlib's exact opt_len and static_len from the trees. @internal */
export function measureBlock(st: DeflateState): BlockCosts {
  const b = boundParts(st);
  refineBound(b);
  const lowerBound = lowerBoundOf(b);
  blockTypeFromTrees(st, 0, false);
  return { lowerBound, boundStaticLen: b.staticLen, optLen: st.optLen, staticLen: st.staticLen };
}

/* ---------------------------------------------------------------- bit output */

/** compress_block: the tallied symbols with the given codes, then END_BLOCK. */
function compressBlock(
  st: DeflateState, lcode: Uint16Array, llen: Uint16Array | Uint8Array, dcode: Uint16Array, dlen: Uint16Array | Uint8Array,
): void {
  const syms = DEFLATE_SYMS;
  const out = st.out;
  let pos = st.pos;
  let buf = st.bitBuf;
  let count = st.bitCount;
  const end = st.symNext;
  for (let sx = 0; sx < end; sx++) {
    const sym = syms[sx];
    const lc = sym & 0xff;
    let dist = sym >>> 8;
    if (dist === 0) {
      buf |= lcode[lc] << count;
      count += llen[lc];
    } else {
      // The length code and its extra bits (at most 15 + 5 bits: flush first).
      const code = LENGTH_CODE[lc];
      buf |= lcode[code + LITERALS + 1] << count;
      count += llen[code + LITERALS + 1];
      if (count >= 16) {
        out[pos++] = buf & 0xff;
        out[pos++] = (buf >>> 8) & 0xff;
        buf >>>= 16;
        count -= 16;
      }
      const lx = LENGTH_EXTRA[code];
      buf |= (lc + MIN_MATCH - LENGTH_BASE[code]) << count;
      count += lx;
      if (count >= 16) {
        out[pos++] = buf & 0xff;
        out[pos++] = (buf >>> 8) & 0xff;
        buf >>>= 16;
        count -= 16;
      }
      dist--;
      const dc = dist < 256 ? DIST_CODE[dist] : DIST_CODE[256 + (dist >>> 7)];
      buf |= dcode[dc] << count;
      count += dlen[dc];
      if (count >= 16) {
        out[pos++] = buf & 0xff;
        out[pos++] = (buf >>> 8) & 0xff;
        buf >>>= 16;
        count -= 16;
      }
      buf |= (dist + 1 - DIST_BASE[dc]) << count;
      count += DIST_EXTRA[dc];
    }
    if (count >= 16) {
      out[pos++] = buf & 0xff;
      out[pos++] = (buf >>> 8) & 0xff;
      buf >>>= 16;
      count -= 16;
    }
  }
  st.pos = pos;
  st.bitBuf = buf;
  st.bitCount = count;
  sendBits(st, lcode[END_BLOCK], llen[END_BLOCK]);
}

/**
 * Starts the final block with fixed codes, for an LZ77 pass that writes its symbols with the
 * fixed codes as it tallies them (see deflateSlow): the header, and where flushBlock can rewind to.
 */
export function startFixedBlock(st: DeflateState): void {
  st.fixedFrom = st.pos;
  st.fixedFromBuf = st.bitBuf;
  st.fixedFromCount = st.bitCount;
  sendBits(st, (STATIC_TREES << 1) | 1, 3);
}

/**
 * _tr_flush_block(s, buf, stored_len, last) followed by init_block: chooses stored, fixed or
 * dynamic coding for the tallied block exactly like zlib and writes it. `window[storedStart,
 * storedStart + storedLen)` are the block's input bytes; storedStart is -1 when they have left
 * the window (zlib's buf == NULL: no stored block then).
 */
export function flushBlock(st: DeflateState, window: Uint8Array, storedStart: number, storedLen: number, last: boolean): void {
  const storedOk = storedStart >= 0;
  let type = blockTypeWithoutTrees(st, storedLen, storedOk);
  if (type < 0) type = blockTypeFromTrees(st, storedLen, storedOk);
  const lastBit = last ? 1 : 0;
  if (st.fixedFrom >= 0) {
    // The symbols are already written with fixed codes (startFixedBlock): end that block, or
    // rewind over it.
    if (type === STATIC_TREES) {
      sendBits(st, FIXED_LIT_CODES[END_BLOCK], FIXED_LIT_LENGTHS[END_BLOCK]);
      type = -1;
    } else {
      st.pos = st.fixedFrom;
      st.bitBuf = st.fixedFromBuf;
      st.bitCount = st.fixedFromCount;
    }
    st.fixedFrom = -1;
  }
  if (type === STORED_BLOCK) {
    // _tr_stored_block
    sendBits(st, (STORED_BLOCK << 1) | lastBit, 3);
    windupBits(st);
    const out = st.out;
    let pos = st.pos;
    out[pos++] = storedLen & 0xff;
    out[pos++] = (storedLen >>> 8) & 0xff;
    out[pos++] = ~storedLen & 0xff;
    out[pos++] = (~storedLen >>> 8) & 0xff;
    out.set(window.subarray(storedStart, storedStart + storedLen), pos);
    st.pos = pos + storedLen;
  } else if (type === STATIC_TREES) {
    sendBits(st, (STATIC_TREES << 1) | lastBit, 3);
    compressBlock(st, FIXED_LIT_CODES, FIXED_LIT_LENGTHS, FIXED_DIST_CODES, FIXED_DIST_LENGTHS);
  } else if (type === DYN_TREES) {
    sendBits(st, (DYN_TREES << 1) | lastBit, 3);
    assignCodes(st.l);
    assignCodes(st.d);
    assignCodes(st.bl);
    // send_all_trees
    const blcodes = st.maxBlindex + 1;
    sendBits(st, st.l.maxCode + 1 - 257, 5);
    sendBits(st, st.d.maxCode + 1 - 1, 5);
    sendBits(st, blcodes - 4, 4);
    for (let rank = 0; rank < blcodes; rank++) sendBits(st, BL_TREE.len[CL_ORDER[rank]], 3);
    sendTokens(st);
    compressBlock(st, L_TREE.code, L_TREE.len, D_TREE.code, D_TREE.len);
  }
  if (last) windupBits(st);
  else initBlock(st);
}
