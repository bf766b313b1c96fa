import { TokenError } from '../base/errors';

/**
 * The largest default salt. Agora's reference builders (Java, Go, Python, agora-token) all draw
 * the salt uniformly from 1 … 99,999,999, and tools that check tokens against them expect that
 * range, so the default salt keeps to it; an explicit `{ salt }` may be any u32, as the format allows.
 */
export const MAX_DEFAULT_SALT = 99_999_999;

// 2^32 rounded down to a multiple of MAX_DEFAULT_SALT: a 32-bit draw below it, taken modulo
// MAX_DEFAULT_SALT, is uniform; a draw at or above it (~2.2% of draws) is thrown away.
const UNBIASED_LIMIT = Math.floor(2 ** 32 / MAX_DEFAULT_SALT) * MAX_DEFAULT_SALT;

// One getRandomValues call costs microseconds in Node (a native round trip), more than the rest
// of a token build, so draws come from a pool refilled 1,024 at a time. Salts are public (they
// are written into every token); the pool only saves calls.
const saltPool = new Uint32Array(1024);
let saltIndex = saltPool.length;

/** A fresh random salt, uniform over 1 … 99,999,999, from the platform CSPRNG (`crypto.getRandomValues`). */
export function randomSalt(): number {
  const cryptoObject = (globalThis as { crypto?: { getRandomValues?: (array: Uint32Array) => Uint32Array } }).crypto;
  // Checked on every call, not only on refill, so a runtime without Web Crypto always fails alike.
  if (!cryptoObject || typeof cryptoObject.getRandomValues !== 'function') {
    throw new TokenError(
      'ERR_NO_RANDOM_SOURCE',
      'crypto.getRandomValues is not available in this runtime; pass { salt } explicitly or run on a runtime with Web Crypto (Node ≥ 19; on Node 18 assign the webcrypto object of the crypto module to globalThis.crypto)',
    );
  }
  for (;;) {
    if (saltIndex === saltPool.length) {
      cryptoObject.getRandomValues(saltPool);
      saltIndex = 0;
    }
    const draw = saltPool[saltIndex++];
    if (draw < UNBIASED_LIMIT) return (draw % MAX_DEFAULT_SALT) + 1;
  }
}
