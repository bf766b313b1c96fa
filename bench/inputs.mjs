/**
 * The inputs every bench script uses (bench/build.ts, bench/profile.mjs, bench/peer-phases.mjs):
 * one app, and realistic, varied user ids, channels and uids, made up front so that loops time
 * only the libraries.
 */

export const APP_ID = '970CA35de60c44645bbae8a215061b33';
export const APP_CERTIFICATE = '5CFd2fd1755d40ecb72977518be15d3b';
/** Token and privilege lifetime, seconds. */
export const EXPIRE = 3600;
/** A power of two: inputs are picked with `i & INPUT_MASK`. */
export const N_INPUTS = 1024;
export const INPUT_MASK = N_INPUTS - 1;
/** @type {readonly string[]} */
export const userIds = Array.from({ length: N_INPUTS }, (_, i) => `user_${(i * 2654435761) >>> 12}`);
/**
 * UUID-shaped user ids (36 characters, version-4 layout, from a seeded generator), the shape many
 * apps register Chat users under and the one the shared peer benchmark uses (it uses one fixed
 * UUID). A token's random bytes and a user id's own decide whether deflate can pick its block
 * type from a bound or has to build the Huffman trees, and UUIDs take that second path more often
 * than short ids do (see docs/performance.md).
 * @type {readonly string[]}
 */
export const uuidUserIds = Array.from({ length: N_INPUTS }, (_, i) => {
  let x = (i + 1) * 2654435761;
  const hex = Array.from({ length: 32 }, () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 28).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[parseInt(hex[16], 16) & 3];
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
});
/** @type {readonly string[]} */
export const channels = Array.from({ length: N_INPUTS }, (_, i) => `channel-${i % 97}`);
/** @type {readonly number[]} */
export const uids = Array.from({ length: N_INPUTS }, (_, i) => 1 + ((i * 40503) % 4_000_000));

/**
 * A user account of `size` characters for the size sweeps (bench/build.ts, bench/large-verify.mjs):
 * runs of a repeated word, as real ids and JSON-ish extras have, mixed with random characters,
 * so that deflate has real work. `seed` picks one of several.
 * @param {number} size
 * @param {number} seed
 * @returns {string}
 */
export function sweepAccount(size, seed) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';
  let x = seed * 2654435761 + 12345;
  let out = '';
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += i % 16 < 6 ? 'member'[i % 16] : alphabet[x >>> 26];
  }
  return out;
}
