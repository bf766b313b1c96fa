import { TokenError } from './errors';

const saltWord = new Uint32Array(1);

/** A fresh random u32 from the platform CSPRNG (`crypto.getRandomValues`). */
export function randomSalt(): number {
  const cryptoObject = (globalThis as { crypto?: { getRandomValues?: (array: Uint32Array) => Uint32Array } }).crypto;
  if (!cryptoObject || typeof cryptoObject.getRandomValues !== 'function') {
    throw new TokenError(
      'ERR_NO_RANDOM_SOURCE',
      'crypto.getRandomValues is not available in this runtime; pass { salt } explicitly or run on a runtime with Web Crypto (Node ≥ 19; on Node 18 assign the webcrypto object of the crypto module to globalThis.crypto)',
    );
  }
  cryptoObject.getRandomValues(saltWord);
  return saltWord[0];
}

/** The current Unix time in whole seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
