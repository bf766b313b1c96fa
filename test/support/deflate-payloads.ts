/*
 * Deterministic payload generators shared by test/deflate-exact.test.ts and
 * bench/deflate-exact.ts: token-shaped AccessToken2 payloads plus inputs meant
 * to reach every branch of deflate (random, low-entropy, far repeats, skewed
 * frequencies for the bit-length overflow path, ...).
 */

/** mulberry32: small, fast, good enough for test data. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

export type Rng = () => number;

const int = (rng: Rng, n: number): number => rng() % n;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng() % xs.length];

class Writer {
  private buf = new Uint8Array(256);
  length = 0;
  private grow(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  u8(v: number): void {
    this.grow(1);
    this.buf[this.length++] = v & 0xff;
  }
  u16(v: number): void {
    this.u8(v);
    this.u8(v >>> 8);
  }
  u32(v: number): void {
    this.u16(v & 0xffff);
    this.u16(v >>> 16);
  }
  bytes(b: Uint8Array): void {
    this.grow(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  /** AccessToken2 packString: u16le length + bytes. */
  str(b: Uint8Array): void {
    this.u16(b.length);
    this.bytes(b);
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

const utf8 = new TextEncoder();
const HEX = '0123456789abcdef';

function randomBytes(rng: Rng, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = rng() & 0xff;
  return b;
}

function hexString(rng: Rng, n: number, upper: boolean): string {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[rng() & 15];
  return upper ? s.toUpperCase() : s;
}

const WORDS = ['room', 'channel', 'user', 'test', 'agora', 'demo', 'live', 'chat', 'rtc', 'rtm', '中文', 'café', 'Ωmega', '🙂', '-', '_', '.'];

function shortString(rng: Rng, pool: string[]): string {
  switch (int(rng, 8)) {
    case 0:
      return '';
    case 1:
      return String(rng()); // numeric uid as account
    case 2:
      return hexString(rng, 1 + int(rng, 40), rng() % 2 === 0);
    case 3:
    case 4: {
      let s = '';
      const parts = 1 + int(rng, 5);
      for (let i = 0; i < parts; i++) s += pick(rng, WORDS) + (rng() % 3 === 0 ? String(int(rng, 1000)) : '');
      return s;
    }
    case 5: {
      // arbitrary BMP code points, incl. multi-byte UTF-8
      let s = '';
      const len = int(rng, 24);
      for (let i = 0; i < len; i++) {
        const cp = rng() % 3 === 0 ? 0x20 + int(rng, 0x5f) : 0xa0 + int(rng, 0xd000);
        s += String.fromCharCode(cp);
      }
      return s;
    }
    default:
      // repeat an earlier string: the repetitions deflate actually finds in tokens
      return pool.length > 0 ? pick(rng, pool) : 'x'.repeat(int(rng, 70));
  }
}

/** `u16le(32) + signature(32) + signingInfo`, like AccessToken2 before compression. */
export function tokenPayload(rng: Rng): Uint8Array {
  const w = new Writer();
  w.str(randomBytes(rng, 32)); // HMAC-SHA256 signature
  const appId = hexString(rng, 32, rng() % 4 !== 0);
  w.str(utf8.encode(appId));
  w.u32(1_600_000_000 + int(rng, 300_000_000)); // issueTs
  w.u32(pick(rng, [0, 600, 3600, 86400, 0xffffffff, rng()])); // expire
  w.u32(rng() % 2 === 0 ? 1 + int(rng, 99_999_999) : rng()); // salt
  const pool: string[] = [];
  const services = rng() % 6 === 0 ? 0 : 1 + int(rng, rng() % 4 === 0 ? 8 : 3);
  w.u16(services);
  for (let s = 0; s < services; s++) {
    const type = pick(rng, [1, 2, 4, 5, 7, 8, 9, 10, int(rng, 65536)]);
    w.u16(type);
    const privileges = int(rng, 5);
    w.u16(privileges);
    const expire = pick(rng, [0, 600, 3600, 86400, rng()]);
    for (let p = 0; p < privileges; p++) {
      w.u16(1 + p + (rng() % 5 === 0 ? int(rng, 300) : 0));
      w.u32(rng() % 3 === 0 ? rng() : expire);
    }
    const strings = type === 4 ? 0 : int(rng, 4);
    for (let k = 0; k < strings; k++) {
      const s = shortString(rng, pool);
      pool.push(s);
      w.str(utf8.encode(s));
    }
    if (type === 7 && rng() % 2 === 0) w.u16(int(rng, 3)); // APaaS role
    if (rng() % 10 === 0) w.bytes(randomBytes(rng, int(rng, 64))); // unknown trailing fields
  }
  return w.done();
}

/** Low-entropy input of length n: runs, small alphabets, repeats at chosen distances. */
export function repetitive(rng: Rng, n: number): Uint8Array {
  const b = new Uint8Array(n);
  const mode = int(rng, 8);
  const alpha = 1 + int(rng, mode < 2 ? 4 : 40);
  const offset = int(rng, 256 - alpha);
  let i = 0;
  while (i < n) {
    switch (int(rng, mode === 7 ? 3 : 4)) {
      case 0: {
        // run of one byte
        const v = offset + int(rng, alpha);
        const len = 1 + int(rng, rng() % 8 === 0 ? 400 : 12);
        for (let k = 0; k < len && i < n; k++) b[i++] = v;
        break;
      }
      case 1: {
        // copy from a random distance (often > 4096 when n allows)
        if (i === 0) break;
        const far = rng() % 3 === 0 && i > 4100;
        const dist = far ? 4097 + int(rng, i - 4096) : 1 + int(rng, Math.min(i, rng() % 2 ? 64 : 32768));
        const len = 3 + int(rng, rng() % 6 === 0 ? 300 : 10);
        for (let k = 0; k < len && i < n; k++, i++) b[i] = b[i - dist];
        break;
      }
      case 2: {
        // literals from the small alphabet
        const len = 1 + int(rng, 20);
        for (let k = 0; k < len && i < n; k++) b[i++] = offset + int(rng, alpha);
        break;
      }
      default: {
        // fully random bytes
        const len = 1 + int(rng, 16);
        for (let k = 0; k < len && i < n; k++) b[i++] = rng() & 0xff;
      }
    }
  }
  return b;
}

/**
 * Bytes with Fibonacci-like frequencies in random order: skewed enough for
 * Huffman code lengths above 15 (literal tree) / 7 (bit-length tree), which
 * exercises gen_bitlen's overflow redistribution.
 */
export function skewed(rng: Rng, n: number): Uint8Array {
  const b = new Uint8Array(n);
  const symbols = 2 + int(rng, 30);
  const weights: number[] = [];
  let x = 1;
  let y = 1;
  for (let s = 0; s < symbols; s++) {
    weights.push(x);
    [x, y] = [y, x + y];
  }
  const total = weights.reduce((p, q) => p + q, 0);
  const base = int(rng, 256 - symbols);
  for (let i = 0; i < n; i++) {
    let r = ((rng() / 4294967296) * total) | 0;
    let s = 0;
    while (r >= weights[s]) r -= weights[s++];
    b[i] = base + s;
  }
  return b;
}

/** de Bruijn sequence B(k, 3): every 3-byte string over 0..k-1 exactly once (cyclically). */
function deBruijn3(k: number): number[] {
  const a = [0, 0, 0, 0, 0, 0, 0];
  const seq: number[] = [];
  const db = (t: number, p: number): void => {
    if (t > 3) {
      if (3 % p === 0) for (let j = 1; j <= p; j++) seq.push(a[j]);
      return;
    }
    a[t] = a[t - p];
    db(t + 1, p);
    for (let j = a[t - p] + 1; j < k; j++) {
      a[t] = j;
      db(t + 1, t);
    }
  };
  db(1, 1);
  return seq;
}

/**
 * Literal-only input whose literal/length Huffman tree is deeper than 15 bits
 * before zlib's length limiting: `rare` bytes occur 1, 2, 3, 5, 8, ... times
 * (with END_BLOCK's 1 this is a Fibonacci chain) among `fillers` bytes laid out
 * as a de Bruijn sequence, and every insertion keeps all 3-byte strings unique,
 * so deflate finds no match at all. E.g. (11, 24, 10000) and (11, 32, 16383)
 * reach gen_bitlen's overflow repair for MAX_BITS = 15.
 */
export function deepHuffman(rng: Rng, n: number, rare: number, fillers: number): Uint8Array {
  const rares: number[] = [];
  for (let r = 0, a = 1, b = 2; r < rare; r++, [a, b] = [b, a + b]) {
    for (let k = 0; k < a; k++) rares.push(fillers + r);
  }
  const fill = deBruijn3(fillers).slice(0, Math.max(0, n - rares.length));
  const key = (x: number, y: number, z: number): number => (x << 16) | (y << 8) | z;
  const used = new Set<number>();
  for (let i = 0; i + 2 < fill.length; i++) used.add(key(fill[i], fill[i + 1], fill[i + 2]));
  const slots = new Map<number, number>();
  for (let ri = rares.length - 1; ri >= 0; ri--) {
    const r = rares[ri];
    for (let tries = 0; tries < 100_000; tries++) {
      const p = 1 + int(rng, fill.length - 3);
      if (slots.has(p - 2) || slots.has(p - 1) || slots.has(p) || slots.has(p + 1) || slots.has(p + 2)) continue;
      const k1 = key(fill[p - 1], fill[p], r);
      const k2 = key(fill[p], r, fill[p + 1]);
      const k3 = key(r, fill[p + 1], fill[p + 2]);
      if (used.has(k1) || used.has(k2) || used.has(k3)) continue;
      used.add(k1);
      used.add(k2);
      used.add(k3);
      slots.set(p, r);
      break;
    }
  }
  const out: number[] = [];
  for (let i = 0; i < fill.length; i++) {
    out.push(fill[i]);
    const r = slots.get(i);
    if (r !== undefined) out.push(r);
  }
  return Uint8Array.from(out);
}

/** Text-like input: words from a small vocabulary separated by spaces/punctuation. */
export function textLike(rng: Rng, n: number): Uint8Array {
  const vocab: string[] = [];
  const words = 2 + int(rng, 60);
  for (let i = 0; i < words; i++) vocab.push(shortString(rng, vocab) || 'a');
  const parts: string[] = [];
  let len = 0;
  while (len < n) {
    const p = pick(rng, vocab) + pick(rng, [' ', ' ', ', ', '.\n', '\t', '"']);
    parts.push(p);
    len += p.length;
  }
  return utf8.encode(parts.join('')).slice(0, n);
}

/** A random payload of one of the kinds above, with length below maxLen. */
export function anyPayload(rng: Rng, maxLen: number): Uint8Array {
  const n = int(rng, maxLen);
  switch (int(rng, 10)) {
    case 0:
    case 1:
    case 2:
    case 3:
      return tokenPayload(rng);
    case 4:
      return randomBytes(rng, n);
    case 5:
    case 6:
      return repetitive(rng, n);
    case 7:
      return skewed(rng, n);
    case 8:
      return textLike(rng, n);
    default: {
      // token payload with a random prefix/suffix cut off or appended
      const t = tokenPayload(rng);
      return rng() % 2 === 0 ? t.subarray(0, int(rng, t.length + 1)).slice() : concat(t, repetitive(rng, int(rng, 200)));
    }
  }
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const c = new Uint8Array(a.length + b.length);
  c.set(a);
  c.set(b, a.length);
  return c;
}

export { randomBytes };

/** What a payload of a given size is made of (see sizedPayload). */
export type PayloadKind = 'token' | 'text' | 'random' | 'repetitive' | 'skewed';
export const PAYLOAD_KINDS: readonly PayloadKind[] = ['token', 'text', 'random', 'repetitive', 'skewed'];

/**
 * A payload of exactly n bytes: 'token' is AccessToken2 payloads (random 32-byte signatures,
 * services, accounts) laid end to end, like a token with many services and long accounts;
 * 'text' text-like; 'random' incompressible; 'repetitive' runs and far repeats; 'skewed'
 * Fibonacci-like byte frequencies.
 */
export function sizedPayload(rng: Rng, n: number, kind: PayloadKind): Uint8Array {
  switch (kind) {
    case 'token': {
      const out = new Uint8Array(n);
      let at = 0;
      while (at < n) {
        const t = tokenPayload(rng);
        out.set(t.subarray(0, Math.min(t.length, n - at)), at);
        at += t.length;
      }
      return out;
    }
    case 'text':
      return textLike(rng, n);
    case 'random':
      return randomBytes(rng, n);
    case 'repetitive':
      return repetitive(rng, n);
    default:
      return skewed(rng, n);
  }
}

/** The size classes of the exactness sweeps: a payload of class c has (previous class, c] bytes. */
export const SIZE_CLASSES: readonly number[] = [1, 64, 512, 2048, 8192, 16384, 32768, 65536];

/** A payload of the size class `classMax` (often exactly classMax bytes), of a random kind. */
export function payloadOfClass(rng: Rng, classMax: number): Uint8Array {
  const index = SIZE_CLASSES.indexOf(classMax);
  const low = index > 0 ? SIZE_CLASSES[index - 1] + 1 : 0;
  const n = rng() % 4 === 0 ? classMax : low + int(rng, classMax - low + 1);
  // Mostly token-shaped payloads: they are what the library compresses.
  const kind = rng() % 2 === 0 ? 'token' : pick(rng, PAYLOAD_KINDS);
  return sizedPayload(rng, n, kind);
}

/**
 * The fixed case list: every length 0..300 with several generators, sizes up
 * to 4 KiB, far repeats and deep Huffman trees up to one block's symbol limit.
 */
export function* structuredCases(rng: Rng): Generator<Uint8Array> {
  for (let n = 0; n <= 300; n++) {
    yield randomBytes(rng, n);
    yield repetitive(rng, n);
    yield skewed(rng, n);
    yield textLike(rng, n);
    yield new Uint8Array(n).fill(n & 0xff);
  }
  for (let i = 0; i < 300; i++) {
    const n = 301 + int(rng, 4096 - 300);
    yield pick(rng, [randomBytes, repetitive, skewed, textLike, repetitive])(rng, n);
  }
  for (let i = 0; i < 40; i++) {
    const n = 4097 + int(rng, 16383 - 4096);
    yield pick(rng, [repetitive, skewed, textLike, repetitive])(rng, n);
  }
  // Literal-tree code lengths > 15 before limiting (gen_bitlen overflow repair).
  for (const rare of [10, 11, 12]) {
    for (const fillers of [24, 32]) {
      for (const n of [10_000, ONE_BLOCK_LIMIT]) yield deepHuffman(rng, n, rare, fillers);
    }
  }
}

/** zlib's lit_bufsize - 1 for memLevel 8: a block holds up to this many symbols. */
const ONE_BLOCK_LIMIT = 16383;
