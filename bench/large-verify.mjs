// Where a large verify goes, piece by piece, next to agora-token's pieces: the size sweep's RTC
// token for a 64 KB user account (bench/build.ts), decoded from base64, inflated (the Adler-32
// check included, and alone), its signed bytes HMAC-SHA256ed, and whole verifies. Ours: the
// pieces bundled from src/ as the package build bundles them (bench/bundle.mjs), verifyToken from
// the built package (run `npm run build` first). agora-token's: node:zlib, node:crypto and
// Buffer, what its verify calls, and its whole `from_string` + `verifySignature`.
//   node bench/large-verify.mjs [account bytes = 65000]
// Interleaved rounds of 60 ms per piece, medians.
import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import { inflateSync } from 'node:zlib';
import { bundleModules } from './bundle.mjs';
import { APP_CERTIFICATE, APP_ID, EXPIRE, sweepAccount } from './inputs.mjs';

const require = createRequire(import.meta.url);
const { AccessToken2 } = require('agora-token/src/AccessToken2');
const { decodeTokenBase64, zlibInflate, adler32, hmacSha256 } = await bundleModules({
  'src/read/token-input': ['decodeTokenBase64'],
  'src/zlib/inflate': ['zlibInflate'],
  'src/zlib/adler32': ['adler32'],
  'src/crypto/hmac': ['hmacSha256'],
});
const { RtcTokenBuilder2, verifyToken } = await import(new URL('../dist/node/index.js', import.meta.url).href);

const size = Number(process.argv[2] ?? 65_000);
const PUBLISHER = 1;
const limits = { maxPayloadBytes: 128 * 1024, maxTokenLength: 256 * 1024 };
const tokens = Array.from({ length: 8 }, (_, k) => RtcTokenBuilder2.buildTokenWithUserAccount(
  APP_ID, APP_CERTIFICATE, 'room1', sweepAccount(size, k), PUBLISHER, EXPIRE, EXPIRE,
));
const compressed = tokens.map((t) => decodeTokenBase64(t, 3, false).slice());
const payloads = compressed.map((c) => zlibInflate(c, { maxOutput: limits.maxPayloadBytes }).output);
// The signed bytes: the payload after the signature's u16 length and 32 bytes.
const signed = payloads.map((p) => p.subarray(34));
const key = new Uint8Array(32).fill(7);
const at = (list, i) => list[i & 7];
function theirVerify(token) {
  const parsed = new AccessToken2();
  return parsed.from_string(token) && parsed.verifySignature(APP_CERTIFICATE);
}
for (const t of tokens) {
  if (!theirVerify(t) || verifyToken(t, APP_CERTIFICATE, limits).appId !== APP_ID) throw new Error('a side did not verify');
}

const pieces = {
  'base64 decode': [(i) => decodeTokenBase64(at(tokens, i), 3, false).length, (i) => Buffer.from(at(tokens, i).slice(3), 'base64').length],
  'inflate, Adler-32 included': [(i) => zlibInflate(at(compressed, i), { maxOutput: limits.maxPayloadBytes }).output.length, (i) => inflateSync(at(compressed, i)).length],
  'Adler-32 alone': [(i) => adler32(at(payloads, i)), null],
  'HMAC-SHA256 of the signed bytes': [(i) => hmacSha256(key, at(signed, i)).length, (i) => createHmac('sha256', key).update(at(signed, i)).digest().length],
  'verify': [(i) => verifyToken(at(tokens, i), APP_CERTIFICATE, limits).expire, (i) => (theirVerify(at(tokens, i)) ? 1 : 0)],
};
const runs = [];
for (const [name, [ours, theirs]] of Object.entries(pieces)) {
  runs.push({ name, side: 'ours', fn: ours, times: [] });
  if (theirs) runs.push({ name, side: 'theirs', fn: theirs, times: [] });
}
let sink = 0;
for (const run of runs) for (let i = 0; i < 200; i++) sink ^= run.fn(i);
for (let round = 0; round < 9; round++) {
  for (const run of round % 2 === 0 ? runs : [...runs].reverse()) {
    let calls = 0;
    const t0 = performance.now();
    let t;
    do sink ^= run.fn(calls++);
    while ((t = performance.now() - t0) < 60);
    run.times.push((t * 1000) / calls);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const us = (name, side) => {
  const run = runs.find((r) => r.name === name && r.side === side);
  return run ? median(run.times) : NaN;
};
const fmt = (x) => (Number.isNaN(x) ? '' : `${x.toFixed(1)} us`);
console.log(`Node ${process.version}; RTC token for a ${size}-byte account: ${tokens[0].length} characters, ${compressed[0].length} B compressed, ${payloads[0].length} B payload`);
console.log(`${'piece'.padEnd(34)}${'ours'.padStart(12)}${'agora-token'.padStart(14)}`);
for (const name of Object.keys(pieces)) console.log(`${name.padEnd(34)}${fmt(us(name, 'ours')).padStart(12)}${fmt(us(name, 'theirs')).padStart(14)}`);
const total = us('verify', 'ours');
const parts = ['base64 decode', 'inflate, Adler-32 included', 'HMAC-SHA256 of the signed bytes'].map((n) => us(n, 'ours'));
const share = (x) => `${((100 * x) / total).toFixed(0)}%`;
console.log('');
console.log(`our verify ${total.toFixed(0)} us = base64 ${share(parts[0])} + inflate ${share(parts[1])} (Adler-32 ${share(us('Adler-32 alone', 'ours'))} of it)`
  + ` + HMAC-SHA256 ${share(parts[2])} + the rest (parsing, strings, the key chain) ${share(total - parts[0] - parts[1] - parts[2])}`);
if (sink === 0.5) console.log('');
