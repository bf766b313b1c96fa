export const cov: Record<string, number> = {};
const hit = (k: string) => { cov[k] = (cov[k] ?? 0) + 1; };
/*
 * Huffman coding half of the exact deflate in ./deflate.ts: the symbol buffer,
 * the tree construction and the bit output of one final block.
 *
 * This is a port of zlib's trees.c as transcribed by pako 2.1.0
 * (lib/zlib/trees.js); names follow zlib so the two can be read side by side.
 * Every decision that can change output bytes (heap order and tie breaks,
 * bit-length overflow fix-up, opt_len/static_len accounting, the
 * stored/fixed/dynamic choice, run-length coding of the code lengths) is kept
 * exactly. What differs is storage only: module-level typed arrays reused
 * across calls instead of a freshly allocated deflate_state, and a bit writer
 * that emits the same LSB-first bit stream.
 *
 * Trees use pako's flat layout: tree[2n] is Freq (later Code), tree[2n+1] is
 * Len (Dad while the tree is being built), mirroring zlib's ct_data unions.
 */

const LENGTH_CODES = 29;
const LITERALS = 256;
const L_CODES = LITERALS + 1 + LENGTH_CODES; // 286
const D_CODES = 30;
const BL_CODES = 19;
const HEAP_SIZE = 2 * L_CODES + 1;
const MAX_BITS = 15;
const MAX_BL_BITS = 7;
const END_BLOCK = 256;
const REP_3_6 = 16;
const REPZ_3_10 = 17;
const REPZ_11_138 = 18;

/** Symbols one block can hold before zlib flushes it: lit_bufsize - 1 (memLevel 8). */
export const SYM_BUF_SYMBOLS = (1 << (8 + 6)) - 1;

// prettier-ignore
const extraLbits = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]);
// prettier-ignore
const extraDbits = new Uint8Array([0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]);
// prettier-ignore
const extraBlbits = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7]);
// prettier-ignore
const blOrder = new Uint8Array([16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]);
const EMPTY = new Uint8Array(0);

/* ---------------------------------------------------------------- static tables (tr_static_init) */

const baseLength = new Uint16Array(LENGTH_CODES);
/** match length - 3 (0..255) -> length code 0..28 */
const lengthCode = new Uint8Array(256);
const baseDist = new Uint16Array(D_CODES);
/** distance - 1: first 256 entries direct, last 256 indexed by (dist >>> 7) */
const distCode = new Uint8Array(512);
const staticLtree = new Uint16Array((L_CODES + 2) * 2);
const staticDtree = new Uint16Array(D_CODES * 2);
/** byte bit-reversal table, for bi_reverse */
const rev8 = new Uint8Array(256);

const blCount = new Uint16Array(MAX_BITS + 1);
const nextCode = new Uint16Array(MAX_BITS + 1);

const bitReverse = (code: number, len: number): number =>
  ((rev8[code & 0xff] << 8) | rev8[(code >>> 8) & 0xff]) >>> (16 - len);

/** gen_codes: canonical codes from the lengths in tree and the counts in blCount. */
function genCodes(tree: Uint16Array, maxCode: number): void {
  let code = 0;
  for (let bits = 1; bits <= MAX_BITS; bits++) {
    code = (code + blCount[bits - 1]) << 1;
    nextCode[bits] = code;
  }
  for (let n = 0; n <= maxCode; n++) {
    const len = tree[n * 2 + 1];
    if (len === 0) continue;
    tree[n * 2] = bitReverse(nextCode[len]++, len);
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
  for (; n <= 143; n++, blCount[8]++) staticLtree[n * 2 + 1] = 8;
  for (; n <= 255; n++, blCount[9]++) staticLtree[n * 2 + 1] = 9;
  for (; n <= 279; n++, blCount[7]++) staticLtree[n * 2 + 1] = 7;
  for (; n <= 287; n++, blCount[8]++) staticLtree[n * 2 + 1] = 8;
  // Codes 286/287 do not exist but take part so the static code is canonical.
  genCodes(staticLtree, L_CODES + 1);

  for (n = 0; n < D_CODES; n++) {
    staticDtree[n * 2 + 1] = 5;
    staticDtree[n * 2] = bitReverse(n, 5);
  }
}
initStaticTables();

/* ---------------------------------------------------------------- per-block state (reused) */

const dynLtree = new Uint16Array(HEAP_SIZE * 2);
const dynDtree = new Uint16Array((2 * D_CODES + 1) * 2);
const blTree = new Uint16Array((2 * BL_CODES + 1) * 2);
const heap = new Uint16Array(2 * L_CODES + 1);
const depth = new Uint16Array(2 * L_CODES + 1);
let heapLen = 0;
let heapMax = 0;
let optLen = 0;
let staticLen = 0;

/** (dist << 8) | lc per symbol; dist 0 means lc is a literal byte. Allocated on first use. */
let symBuf = new Int32Array(0);
let symNext = 0;

/** init_block: clear frequencies and the symbol buffer for a new block. */
export function initBlock(): void {
  if (symBuf.length === 0) symBuf = new Int32Array(SYM_BUF_SYMBOLS);
  for (let n = 0; n < L_CODES; n++) dynLtree[n * 2] = 0;
  for (let n = 0; n < D_CODES; n++) dynDtree[n * 2] = 0;
  for (let n = 0; n < BL_CODES; n++) blTree[n * 2] = 0;
  dynLtree[END_BLOCK * 2] = 1;
  optLen = staticLen = 0;
  symNext = 0;
}

/** _tr_tally for a literal byte. */
export function tallyLit(c: number): void {
  symBuf[symNext++] = c;
  dynLtree[c * 2]++;
}

/** _tr_tally for a match: dist 1..32768, lc = match length - 3. */
export function tallyMatch(dist: number, lc: number): void {
  symBuf[symNext++] = (dist << 8) | lc;
  dynLtree[(lengthCode[lc] + LITERALS + 1) * 2]++;
  dist--;
  dynDtree[(dist < 256 ? distCode[dist] : distCode[256 + (dist >>> 7)]) * 2]++;
}

/** Number of symbols tallied in the current block (zlib's sym_next / 3). */
export function symbolCount(): number {
  return symNext;
}

/* ---------------------------------------------------------------- tree construction */

/** smaller(): frequency order, ties broken by subtree depth. */
const smaller = (tree: Uint16Array, n: number, m: number): boolean =>
  tree[n * 2] < tree[m * 2] || (tree[n * 2] === tree[m * 2] && depth[n] <= depth[m]);

function pqdownheap(tree: Uint16Array, k: number): void {
  const v = heap[k];
  let j = k << 1;
  while (j <= heapLen) {
    if (j < heapLen && smaller(tree, heap[j + 1], heap[j])) j++;
    if (smaller(tree, v, heap[j])) break;
    heap[k] = heap[j];
    k = j;
    j <<= 1;
  }
  heap[k] = v;
}

/**
 * gen_bitlen: optimal lengths from the Dad links, capped at maxLength with
 * zlib's overflow redistribution; adds this tree's cost to optLen/staticLen.
 */
function genBitlen(
  tree: Uint16Array,
  maxCode: number,
  stree: Uint16Array | null,
  extra: Uint8Array,
  extraBase: number,
  maxLength: number,
): void {
  let overflow = 0;
  blCount.fill(0);
  tree[heap[heapMax] * 2 + 1] = 0; // root
  let h: number;
  for (h = heapMax + 1; h < HEAP_SIZE; h++) {
    const n = heap[h];
    let bits = tree[tree[n * 2 + 1] * 2 + 1] + 1;
    if (bits > maxLength) {
      bits = maxLength;
      overflow++;
    }
    tree[n * 2 + 1] = bits;
    if (n > maxCode) continue; // internal node
    blCount[bits]++;
    const xbits = n >= extraBase ? extra[n - extraBase] : 0;
    const f = tree[n * 2];
    optLen += f * (bits + xbits);
    if (stree !== null) staticLen += f * (stree[n * 2 + 1] + xbits);
  }
  if (overflow === 0) return;
  hit('overflow_' + maxLength);

  do {
    let bits = maxLength - 1;
    while (blCount[bits] === 0) bits--;
    blCount[bits]--;
    blCount[bits + 1] += 2;
    blCount[maxLength]--;
    overflow -= 2;
  } while (overflow > 0);

  for (let bits = maxLength; bits !== 0; bits--) {
    let n = blCount[bits];
    while (n !== 0) {
      const m = heap[--h];
      if (m > maxCode) continue;
      if (tree[m * 2 + 1] !== bits) {
        optLen += (bits - tree[m * 2 + 1]) * tree[m * 2];
        tree[m * 2 + 1] = bits;
      }
      n--;
    }
  }
}

/** build_tree: Huffman tree for tree's frequencies; returns max_code. */
function buildTree(
  tree: Uint16Array,
  stree: Uint16Array | null,
  extra: Uint8Array,
  extraBase: number,
  elems: number,
  maxLength: number,
): number {
  let maxCode = -1;
  heapLen = 0;
  heapMax = HEAP_SIZE;
  for (let n = 0; n < elems; n++) {
    if (tree[n * 2] !== 0) {
      heap[++heapLen] = maxCode = n;
      depth[n] = 0;
    } else {
      tree[n * 2 + 1] = 0;
    }
  }
  // Deflate needs at least two codes (at least one bit per code): add dummies.
  while (heapLen < 2) {
    const node = (heap[++heapLen] = maxCode < 2 ? ++maxCode : 0);
    tree[node * 2] = 1;
    depth[node] = 0;
    optLen--;
    if (stree !== null) staticLen -= stree[node * 2 + 1];
  }

  for (let n = heapLen >> 1; n >= 1; n--) pqdownheap(tree, n);

  let node = elems;
  do {
    const n = heap[1];
    heap[1] = heap[heapLen--];
    pqdownheap(tree, 1);
    const m = heap[1];
    heap[--heapMax] = n;
    heap[--heapMax] = m;
    tree[node * 2] = tree[n * 2] + tree[m * 2];
    depth[node] = (depth[n] >= depth[m] ? depth[n] : depth[m]) + 1;
    tree[n * 2 + 1] = tree[m * 2 + 1] = node;
    heap[1] = node++;
    pqdownheap(tree, 1);
  } while (heapLen >= 2);
  heap[--heapMax] = heap[1];

  genBitlen(tree, maxCode, stree, extra, extraBase, maxLength);
  genCodes(tree, maxCode);
  return maxCode;
}

/** scan_tree: tally the code-length alphabet needed to send tree. */
function scanTree(tree: Uint16Array, maxCode: number): void {
  let prevlen = -1;
  let nextlen = tree[1];
  let count = 0;
  let maxCount = 7;
  let minCount = 4;
  if (nextlen === 0) {
    maxCount = 138;
    minCount = 3;
  }
  tree[(maxCode + 1) * 2 + 1] = 0xffff; // guard
  for (let n = 0; n <= maxCode; n++) {
    const curlen = nextlen;
    nextlen = tree[(n + 1) * 2 + 1];
    if (++count < maxCount && curlen === nextlen) continue;
    if (count < minCount) blTree[curlen * 2] += count;
    else if (curlen !== 0) {
      if (curlen !== prevlen) blTree[curlen * 2]++;
      blTree[REP_3_6 * 2]++;
    } else if (count <= 10) blTree[REPZ_3_10 * 2]++;
    else blTree[REPZ_11_138 * 2]++;
    count = 0;
    prevlen = curlen;
    if (nextlen === 0) {
      maxCount = 138;
      minCount = 3;
    } else if (curlen === nextlen) {
      maxCount = 6;
      minCount = 3;
    } else {
      maxCount = 7;
      minCount = 4;
    }
  }
}

/* ---------------------------------------------------------------- bit output */

let out = EMPTY;
let outPos = 0;
let biBuf = 0;
let biValid = 0;

/** send_bits: value must fit in length (<= 16) bits; biValid stays < 16 between calls. */
function sendBits(value: number, length: number): void {
  biBuf |= value << biValid;
  biValid += length;
  if (biValid >= 16) {
    out[outPos++] = biBuf & 0xff;
    out[outPos++] = (biBuf >>> 8) & 0xff;
    biBuf >>>= 16;
    biValid -= 16;
  }
}

/** bi_windup: pad to a byte boundary with zero bits. */
function biWindup(): void {
  if (biValid > 8) {
    out[outPos++] = biBuf & 0xff;
    out[outPos++] = (biBuf >>> 8) & 0xff;
  } else if (biValid > 0) {
    out[outPos++] = biBuf & 0xff;
  }
  biBuf = 0;
  biValid = 0;
}

/** send_tree: the code lengths of tree, run-length coded with blTree. */
function sendTree(tree: Uint16Array, maxCode: number): void {
  let prevlen = -1;
  let nextlen = tree[1];
  let count = 0;
  let maxCount = 7;
  let minCount = 4;
  if (nextlen === 0) {
    maxCount = 138;
    minCount = 3;
  }
  for (let n = 0; n <= maxCode; n++) {
    const curlen = nextlen;
    nextlen = tree[(n + 1) * 2 + 1]; // guard set by scanTree
    if (++count < maxCount && curlen === nextlen) continue;
    if (count < minCount) {
      do sendBits(blTree[curlen * 2], blTree[curlen * 2 + 1]);
      while (--count !== 0);
    } else if (curlen !== 0) {
      if (curlen !== prevlen) {
        sendBits(blTree[curlen * 2], blTree[curlen * 2 + 1]);
        count--;
      }
      sendBits(blTree[REP_3_6 * 2], blTree[REP_3_6 * 2 + 1]);
      sendBits(count - 3, 2);
    } else if (count <= 10) {
      sendBits(blTree[REPZ_3_10 * 2], blTree[REPZ_3_10 * 2 + 1]);
      sendBits(count - 3, 3);
    } else {
      sendBits(blTree[REPZ_11_138 * 2], blTree[REPZ_11_138 * 2 + 1]);
      sendBits(count - 11, 7);
    }
    count = 0;
    prevlen = curlen;
    if (nextlen === 0) {
      maxCount = 138;
      minCount = 3;
    } else if (curlen === nextlen) {
      maxCount = 6;
      minCount = 3;
    } else {
      maxCount = 7;
      minCount = 4;
    }
  }
}

/** compress_block: the tallied symbols, then END_BLOCK. */
function compressBlock(ltree: Uint16Array, dtree: Uint16Array): void {
  for (let sx = 0; sx < symNext; sx++) {
    const sym = symBuf[sx];
    let lc = sym & 0xff;
    let dist = sym >>> 8;
    if (dist === 0) {
      sendBits(ltree[lc * 2], ltree[lc * 2 + 1]);
    } else {
      let code = lengthCode[lc];
      sendBits(ltree[(code + LITERALS + 1) * 2], ltree[(code + LITERALS + 1) * 2 + 1]);
      let extra = extraLbits[code];
      if (extra !== 0) sendBits(lc - baseLength[code], extra);
      dist--;
      code = dist < 256 ? distCode[dist] : distCode[256 + (dist >>> 7)];
      sendBits(dtree[code * 2], dtree[code * 2 + 1]);
      extra = extraDbits[code];
      if (extra !== 0) sendBits(dist - baseDist[code], extra);
    }
  }
  sendBits(ltree[END_BLOCK * 2], ltree[END_BLOCK * 2 + 1]);
}

/**
 * _tr_flush_block(s, buf, stored_len, last = 1) for a stream whose bit buffer
 * is empty (only the byte-aligned zlib header precedes the block): chooses
 * stored, fixed or dynamic coding exactly like zlib, writes the final block
 * to dst at pos, pads it to a byte boundary, and returns the new position.
 * `src[0, storedLen)` are the block's input bytes (the stored-block payload).
 */
export function writeFinalBlock(src: Uint8Array, storedLen: number, dst: Uint8Array, pos: number): number {
  out = dst;
  outPos = pos;
  biBuf = 0;
  biValid = 0;

  const lMax = buildTree(dynLtree, staticLtree, extraLbits, LITERALS + 1, L_CODES, MAX_BITS);
  const dMax = buildTree(dynDtree, staticDtree, extraDbits, 0, D_CODES, MAX_BITS);

  // build_bl_tree
  scanTree(dynLtree, lMax);
  scanTree(dynDtree, dMax);
  buildTree(blTree, null, extraBlbits, 0, BL_CODES, MAX_BL_BITS);
  let maxBlindex: number;
  for (maxBlindex = BL_CODES - 1; maxBlindex >= 3; maxBlindex--) {
    if (blTree[blOrder[maxBlindex] * 2 + 1] !== 0) break;
  }
  optLen += 3 * (maxBlindex + 1) + 5 + 5 + 4;

  let optLenb = (optLen + 3 + 7) >>> 3;
  const staticLenb = (staticLen + 3 + 7) >>> 3;
  if (staticLenb <= optLenb) optLenb = staticLenb;

  if (storedLen + 4 <= optLenb) {
    // _tr_stored_block
    sendBits(1, 3); // STORED_BLOCK << 1 | last
    biWindup();
    out[outPos++] = storedLen & 0xff;
    out[outPos++] = (storedLen >>> 8) & 0xff;
    out[outPos++] = ~storedLen & 0xff;
    out[outPos++] = (~storedLen >>> 8) & 0xff;
    for (let i = 0; i < storedLen; i++) out[outPos++] = src[i];
  } else if (staticLenb === optLenb) {
    sendBits(3, 3); // STATIC_TREES << 1 | last
    compressBlock(staticLtree, staticDtree);
  } else {
    sendBits(5, 3); // DYN_TREES << 1 | last
    // send_all_trees
    const lcodes = lMax + 1;
    const dcodes = dMax + 1;
    const blcodes = maxBlindex + 1;
    sendBits(lcodes - 257, 5);
    sendBits(dcodes - 1, 5);
    sendBits(blcodes - 4, 4);
    for (let rank = 0; rank < blcodes; rank++) sendBits(blTree[blOrder[rank] * 2 + 1], 3);
    sendTree(dynLtree, lcodes - 1);
    sendTree(dynDtree, dcodes - 1);
    compressBlock(dynLtree, dynDtree);
  }
  biWindup();
  out = EMPTY; // don't keep the caller's buffer reachable from here
  return outPos;
}
