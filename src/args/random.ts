import { TokenError } from '../base/errors';

// One getRandomValues call costs microseconds in Node (a native round trip), more than the rest
// of a token build, so salts are drawn from a pool refilled 1,024 at a time. Salts are public (they
// are written into every token); the pool only saves calls.
const saltPool = new Uint32Array(1024);
let saltIndex = saltPool.length;

/** A fresh random u32 from the platform CSPRNG (`crypto.getRandomValues`). */
export function randomSalt(): number {
  const cryptoObject = (globalThis as { crypto?: { getRandomValues?: (array: Uint32Array) => Uint32Array } }).crypto;
  // Checked on every call, not only on refill, so a runtime without Web Crypto always fails alike.
  if (!cryptoObject || typeof cryptoObject.getRandomValues !== 'function') {
    throw new TokenError(
      'ERR_NO_RANDOM_SOURCE',
      'crypto.getRandomValues is not available in this runtime; pass { salt } explicitly or run on a runtime with Web Crypto (Node ≥ 19; on Node 18 assign the webcrypto object of the crypto module to globalThis.crypto)',
    );
  }
  if (saltIndex === saltPool.length) {
    cryptoObject.getRandomValues(saltPool);
    saltIndex = 0;
  }
  return saltPool[saltIndex++];
}
