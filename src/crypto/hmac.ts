import { absorbFinal, compressWords, sha256, SHA256_INITIAL, writeDigest } from './sha256';

// Scratch, shared because no HMAC call re-enters another (listed in test/module-state.test.ts).
// Each holds key material only while a method runs: the method zeroes it before returning.
/** A key given as bytes, as 16 big-endian words zero-padded to the block size. */
const keyWords = new Int32Array(16);
const IPAD = 0x36363636;
const OPAD = 0x5c5c5c5c;
/**
 * The padded key xor ipad and xor opad. Between calls they hold the pads alone (the blocks of an
 * all-zero key): absorbPads writes the key's words into their front and puts the pad back, so
 * the key's words are all that is written and wiped.
 */
const ipadBlock = new Int32Array(16).fill(IPAD);
const opadBlock = new Int32Array(16).fill(OPAD);
/** The MAC as words, for sign(). */
const macWords = new Int32Array(8);
/** Bits hashed by the time a 32-byte message after a key block is padded: (64 + 32) * 8. */
const BITS_BLOCK_PLUS_32 = (64 + 32) * 8;

/**
 * A 32-byte message (a digest) in words 0..7, then the padding of a hash that has absorbed one
 * 64-byte block before it: one compression finishes that hash. The padding is set once here;
 * the inner hash writes its digest straight into words 0..7 for the outer one, and words 0..7
 * are zeroed after each use.
 */
const digestBlock = new Int32Array(16);
digestBlock[8] = 0x80000000 | 0;
digestBlock[15] = BITS_BLOCK_PLUS_32;

/** Zeroes words [0, n): a loop, cheaper than TypedArray#fill's call for a few words. */
export function zero(words: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) words[i] = 0;
}

/** The module's scratch, for the test that checks it holds no secret after a call. @internal */
export const hmacScratch: readonly Int32Array[] = [keyWords, ipadBlock, opadBlock, macWords, digestBlock];

/**
 * HMAC-SHA256 (RFC 2104) with the key's padded blocks hashed once: `HmacKey` keeps the inner
 * and outer states after the first block, so each MAC costs only the message blocks plus one.
 * `setKey` re-keys an instance in place, and keys, messages and MACs of 32 bytes can be passed
 * as SHA-256 words, so a chain of HMACs (the 007 signing key) allocates nothing and never
 * converts a digest to bytes and back.
 */
export class HmacKey {
  private readonly innerState = new Int32Array(8);
  private readonly outerState = new Int32Array(8);

  constructor(key?: Uint8Array) {
    if (key) this.setKey(key, 0, key.length);
  }

  /** Makes `key[start, end)` this instance's key; returns `this`. */
  setKey(key: Uint8Array, start = 0, end: number = key.length): this {
    if (end - start > 64) {
      // RFC 2104: longer keys are hashed first.
      const digest = sha256(key.subarray(start, end));
      this.setKeyBytes(digest, 0, 32);
      digest.fill(0);
      return this;
    }
    return this.setKeyBytes(key, start, end);
  }

  /** Makes an ASCII text of at most 64 characters (a validated certificate) this instance's key. */
  setKeyAscii(text: string): this {
    const n = text.length;
    for (let i = 0; i < n; i++) keyWords[i >> 2] |= (text.charCodeAt(i) & 0xff) << (24 - 8 * (i & 3));
    return this.absorbPads(keyWords, (n + 3) >> 2);
  }

  /** Makes a 4-byte key, given as one big-endian word, this instance's key. */
  setKeyWord(word: number): this {
    keyWords[0] = word;
    return this.absorbPads(keyWords, 1);
  }

  /** Makes a 32-byte key given as 8 big-endian words (a digest) this instance's key. */
  setKeyWords(words: Int32Array): this {
    return this.absorbPads(words, 8);
  }

  /** MAC of `data[start, end)` into `out` at `outOffset` (32 bytes). */
  sign(data: Uint8Array, start: number, end: number, out: Uint8Array, outOffset = 0): void {
    this.signToWords(data, start, end, macWords);
    writeDigest(macWords, out, outOffset);
    zero(macWords, 8);
  }

  /**
   * True when `mac[macOffset, +32)` is the MAC of `data[start, end)`, compared in constant time
   * (every byte is looked at); the expected MAC is zeroed in the scratch before returning.
   */
  verify(data: Uint8Array, start: number, end: number, mac: Uint8Array, macOffset = 0): boolean {
    this.signToWords(data, start, end, macWords);
    let diff = 0;
    for (let i = 0; i < 8; i++) {
      const at = macOffset + 4 * i;
      diff |= macWords[i] ^ ((mac[at] << 24) | (mac[at + 1] << 16) | (mac[at + 2] << 8) | mac[at + 3]);
    }
    zero(macWords, 8);
    return diff === 0;
  }

  /** MAC of `data[start, end)` as 8 big-endian words into `out`. */
  signToWords(data: Uint8Array, start: number, end: number, out: Int32Array): void {
    absorbFinal(this.innerState, digestBlock, 64, data, start, end);
    compressWords(this.outerState, out, digestBlock);
    zero(digestBlock, 8);
  }

  /** MAC of a 32-byte message given as 8 big-endian words, as 8 words into `out`. */
  signWords(message: Int32Array, out: Int32Array): void {
    for (let i = 0; i < 8; i++) digestBlock[i] = message[i];
    compressWords(this.innerState, digestBlock, digestBlock);
    compressWords(this.outerState, out, digestBlock);
    zero(digestBlock, 8);
  }

  /** Zeroes the key schedule; the instance signs nothing useful until it is keyed again. */
  wipe(): void {
    zero(this.innerState, 8);
    zero(this.outerState, 8);
  }

  /** The key (≤ 64 bytes) into keyWords, big-endian and zero-padded. */
  private setKeyBytes(key: Uint8Array, start: number, end: number): this {
    for (let i = start; i < end; i++) keyWords[(i - start) >> 2] |= key[i] << (24 - 8 * ((i - start) & 3));
    return this.absorbPads(keyWords, (end - start + 3) >> 2); // the words past the key are zero
  }

  /**
   * Hashes the padded key ^ ipad and ^ opad into the inner and outer states. The key is its
   * first `count` words in `key`, then zeros (whose xor with a pad is the pad). Afterwards
   * overwrites the words that held key material: the pad blocks' first `count` (back to the
   * pad) and, when the key came through it, keyWords' (which is all zeros between calls).
   */
  private absorbPads(key: Int32Array, count: number): this {
    for (let i = 0; i < count; i++) {
      const k = key[i];
      ipadBlock[i] = k ^ IPAD;
      opadBlock[i] = k ^ OPAD;
    }
    compressWords(SHA256_INITIAL, this.innerState, ipadBlock);
    compressWords(SHA256_INITIAL, this.outerState, opadBlock);
    for (let i = 0; i < count; i++) {
      ipadBlock[i] = IPAD;
      opadBlock[i] = OPAD;
    }
    if (key === keyWords) zero(keyWords, count);
    return this;
  }
}

/** HMAC-SHA256 of `message` under `key` (a fresh 32-byte array). */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  new HmacKey(key).sign(message, 0, message.length, out);
  return out;
}
