import { makeRng } from '../support/deflate-payloads';

/** Deterministic pseudo-random bytes, so a failure names a reproducible input. */
export function seededBytes(length: number, seed: number): Uint8Array {
  const rng = makeRng(seed);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = rng() & 0xff;
  return out;
}

/** A stream of deterministic pseudo-random byte arrays from one seed. */
export function seededByteStream(seed: number): (length: number) => Uint8Array {
  const rng = makeRng(seed);
  return (length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = rng() & 0xff;
    return out;
  };
}
