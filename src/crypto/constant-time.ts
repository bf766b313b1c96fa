/**
 * Compares `a[aStart, aStart + length)` with `b[bStart, bStart + length)` in time that depends
 * only on `length`, never on where the bytes differ: every byte is visited and the differences
 * are OR-ed together, with no early exit. Used for signatures, so that response times do not
 * tell an attacker how many leading bytes of a forged MAC were right.
 *
 * The caller checks that both ranges lie inside their arrays. Lengths are not secret (a
 * signature is always 32 bytes), so a length mismatch may be decided up front by the caller.
 */
export function constantTimeEqual(
  a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, length: number,
): boolean {
  let diff = 0;
  for (let i = 0; i < length; i++) diff |= a[aStart + i] ^ b[bStart + i];
  return diff === 0;
}
