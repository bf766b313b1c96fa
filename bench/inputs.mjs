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
/** @type {readonly string[]} */
export const channels = Array.from({ length: N_INPUTS }, (_, i) => `channel-${i % 97}`);
/** @type {readonly number[]} */
export const uids = Array.from({ length: N_INPUTS }, (_, i) => 1 + ((i * 40503) % 4_000_000));
