import { toHex } from '../bytes/hex';
import { TokenError } from '../base/errors';

/** `length` random bytes as lower-case hex, from the platform CSPRNG. */
export function randomHex(length: number): string {
  const cryptoObject = (globalThis as { crypto?: { getRandomValues?: (array: Uint8Array) => Uint8Array } }).crypto;
  if (!cryptoObject || typeof cryptoObject.getRandomValues !== 'function') {
    throw new TokenError('ERR_NO_RANDOM_SOURCE', 'crypto.getRandomValues is not available in this runtime');
  }
  const bytes = new Uint8Array(length);
  cryptoObject.getRandomValues(bytes);
  return toHex(bytes);
}

/** A random (version 4) UUID, as Agora Chat gives its users. */
export function randomUuid(): string {
  const hex = randomHex(16).split('');
  hex[12] = '4';
  hex[16] = '89ab'[parseInt(hex[16], 16) & 3];
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
