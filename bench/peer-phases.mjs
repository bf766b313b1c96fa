/**
 * agora-token alone: its Chat user token build in a loop, in a process of its own (this library
 * is not loaded), reported per 200 ms window. It shows the peer's speed phases that move the
 * ratios of `npm run bench` (docs/performance.md, Summary): its build time moves between
 * phases (here from ~40 to ~90 µs), whatever else runs in the process.
 *
 *   node bench/peer-phases.mjs [windows=20]
 */
import { createRequire } from 'node:module';
import { APP_CERTIFICATE, APP_ID, EXPIRE, INPUT_MASK, userIds } from './inputs.mjs';

const require = createRequire(import.meta.url);
const { ChatTokenBuilder } = require('agora-token');

const windows = Number(process.argv[2] ?? 20);
if (!Number.isInteger(windows) || windows < 1) throw new Error(`bad window count: ${process.argv[2]}`);

const WINDOW_NS = 200_000_000n;

let sink = 0;
const perWindow = [];
for (let w = 0; w < windows; w++) {
  let calls = 0;
  const start = process.hrtime.bigint();
  let now;
  do {
    for (let k = 0; k < 100; k++) sink += ChatTokenBuilder.buildUserToken(APP_ID, APP_CERTIFICATE, userIds[calls++ & INPUT_MASK], EXPIRE).length;
    now = process.hrtime.bigint();
  } while (now - start < WINDOW_NS);
  perWindow.push(Number(now - start) / calls / 1000);
}
console.log(`agora-token ChatTokenBuilder.buildUserToken alone, µs per build in ${windows} windows of 200 ms (the first ones warm up):`);
console.log(perWindow.map((us) => us.toFixed(0)).join(' '));
if (sink === 0.5) console.log('unreachable');
