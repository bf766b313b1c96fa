// Verify (and build) side by side with agora-token under whatever runtime runs this file:
//   node bench/runtime-verify.mjs
//   node_modules/.bin/bun bench/runtime-verify.mjs
//   node_modules/.bin/deno run -A bench/runtime-verify.mjs
// Run `npm run build` first. Interleaved slices, median of the per-round ratios (agora-token
// time / ours), like bench/build.ts, in a few seconds.
import { createRequire } from 'node:module';
import { ChatTokenBuilder2, verifyToken, createTokenVerifier } from 'agora-access-token2';
import { APP_CERTIFICATE, APP_ID, EXPIRE, INPUT_MASK, N_INPUTS, userIds } from './inputs.mjs';

const require = createRequire(import.meta.url);
const theirs = require('agora-token');
const { AccessToken2 } = require('agora-token/src/AccessToken2');
const runtime = globalThis.Bun ? `Bun ${globalThis.Bun.version}` : globalThis.Deno ? `Deno ${globalThis.Deno.version.deno}` : `Node ${process.version}`;
const ROUNDS = 9;
const SLICE_MS = 150;

const now = Math.floor(Date.now() / 1000);
const tokens = Array.from({ length: N_INPUTS }, (_, i) =>
  ChatTokenBuilder2.buildUserToken(APP_ID, APP_CERTIFICATE, userIds[i], EXPIRE, { issueTs: now - ((i * 7) % 3000) }));
const verifier = createTokenVerifier({ appId: APP_ID, appCertificate: APP_CERTIFICATE });
const theirVerify = (token) => {
  const parsed = new AccessToken2();
  return parsed.from_string(token) && parsed.verifySignature(APP_CERTIFICATE);
};
const cases = [
  ['verify (verifyToken)', (i) => verifyToken(tokens[i & INPUT_MASK], APP_CERTIFICATE).appId === APP_ID, (i) => theirVerify(tokens[i & INPUT_MASK])],
  ['verify (createTokenVerifier)', (i) => verifier.verify(tokens[i & INPUT_MASK]).appId === APP_ID, (i) => theirVerify(tokens[i & INPUT_MASK])],
  ['build Chat user token', (i) => ChatTokenBuilder2.buildUserToken(APP_ID, APP_CERTIFICATE, userIds[i & INPUT_MASK], EXPIRE),
    (i) => theirs.ChatTokenBuilder.buildUserToken(APP_ID, APP_CERTIFICATE, userIds[i & INPUT_MASK], EXPIRE)],
];
for (let i = 0; i < 64; i++) if (!cases[0][1](i) || !cases[0][2](i)) throw new Error('a verifier refused a valid token');

let sink = 0;
function slice(fn) {
  let n = 0;
  const t0 = performance.now();
  let t;
  do {
    for (let i = 0; i < 64; i++) sink ^= fn(n + i) ? 1 : 0;
    n += 64;
  } while ((t = performance.now() - t0) < SLICE_MS);
  return (t * 1e6) / n;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`${runtime}: agora-access-token2 vs agora-token 2.0.6, ${ROUNDS} rounds × ${SLICE_MS} ms per side`);
for (const [name, ours, peer] of cases) {
  slice(ours);
  slice(peer);
  const a = [];
  const b = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2) { a.push(slice(ours)); b.push(slice(peer)); } else { b.push(slice(peer)); a.push(slice(ours)); }
  }
  const ratios = a.map((x, k) => b[k] / x);
  console.log(`${name.padEnd(30)} ours ${median(a).toFixed(0).padStart(7)} ns  agora-token ${median(b).toFixed(0).padStart(7)} ns  ratio ${median(ratios).toFixed(2)}× (rounds ${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`);
}
if (sink === 2) console.log('');
