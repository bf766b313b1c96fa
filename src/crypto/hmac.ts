import { compressBlock, finish, initState, sha256 } from './sha256';

/**
 * HMAC-SHA256 (RFC 2104) with the key's padded blocks hashed once: `HmacKey` keeps the inner
 * and outer states after the first block, so each MAC costs only the message blocks plus two.
 */
export class HmacKey {
  private readonly innerState = new Int32Array(8);
  private readonly outerState = new Int32Array(8);

  constructor(key: Uint8Array) {
    const block = new Uint8Array(64);
    block.set(key.length > 64 ? sha256(key) : key);
    for (let i = 0; i < 64; i++) block[i] ^= 0x36;
    initState(this.innerState);
    compressBlock(this.innerState, block, 0);
    for (let i = 0; i < 64; i++) block[i] ^= 0x36 ^ 0x5c;
    initState(this.outerState);
    compressBlock(this.outerState, block, 0);
  }

  /** MAC of `data[start, end)` into `out` at `outOffset` (32 bytes). */
  sign(data: Uint8Array, start: number, end: number, out: Uint8Array, outOffset = 0): void {
    state.set(this.innerState);
    finish(state, 64, data, start, end, inner);
    state.set(this.outerState);
    finish(state, 64, inner, 0, 32, out, outOffset);
  }
}

const state = new Int32Array(8);
const inner = new Uint8Array(32);

/** HMAC-SHA256 of `message` under `key` (a fresh 32-byte array). */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  new HmacKey(key).sign(message, 0, message.length, out);
  return out;
}
