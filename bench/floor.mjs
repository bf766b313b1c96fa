// The floor of a one-call Chat user build, piece by piece: what one SHA-256 block costs and how
// many a build needs, the exact deflate of the token's content, base64, and the rest (argument
// checks, packing, salt, clock). The builds run the built package (dist/node, what Node loads:
// run `npm run build` first); the pieces are bundled from src/ as that build bundles them
// (bench/bundle.mjs). `node bench/floor.mjs`. Interleaved rounds of 50 ms per piece, medians.
import { inflateSync } from 'node:zlib';
import { bundleModules } from './bundle.mjs';
import { APP_CERTIFICATE, APP_ID, EXPIRE } from './inputs.mjs';

const { compressWords, SHA256_INITIAL, zlibDeflateInto, base64Encode, signOnce } = await bundleModules({
  'src/crypto/sha256': ['compressWords', 'SHA256_INITIAL'],
  'src/zlib/deflate': ['zlibDeflateInto'],
  'src/bytes/base64': ['base64Encode'],
  'src/token007/signature': ['signOnce'],
});
const { ChatTokenBuilder2, createTokenMaker } = await import(new URL('../dist/node/index.js', import.meta.url).href);

const token = ChatTokenBuilder2.buildUserToken(APP_ID, APP_CERTIFICATE, 'user_12345', EXPIRE);
const content = new Uint8Array(inflateSync(Buffer.from(token.slice(3), 'base64')));
const n = content.length;
const buffer = new Uint8Array(1024);
buffer.set(content);
const compressedLength = zlibDeflateInto(buffer, n, buffer, n);
const state = new Int32Array(8);
const block = new Int32Array(16).fill(0x36363636);
const mac = new Uint8Array(32);
const maker = createTokenMaker({ appId: APP_ID, appCertificate: APP_CERTIFICATE });
// Blocks: three HMACs, each 2 key blocks + message blocks + 1 outer; the first two hash 32 bytes
// (1 block each), the last the signed bytes after a 64-byte key block.
const signBlocks = Math.ceil((n - 34 + 9) / 64);
const ONE_CALL_BLOCKS = 4 + 4 + 2 + signBlocks + 1;
const MAKER_BLOCKS = ONE_CALL_BLOCKS - 4;

const pieces = {
  'SHA-256 block': () => compressWords(SHA256_INITIAL, state, block),
  'signing chain (one-call)': () => signOnce(APP_CERTIFICATE, 1_700_000_000, 12345, buffer, 34, n, mac),
  [`deflate (${n} B)`]: () => zlibDeflateInto(buffer, n, buffer, n),
  [`base64 (${compressedLength} B)`]: () => base64Encode(buffer, n, n + compressedLength, '007'),
  'Chat user build (one-call)': () => ChatTokenBuilder2.buildUserToken(APP_ID, APP_CERTIFICATE, 'user_12345', EXPIRE),
  'Chat user build (maker)': () => maker.buildChatUserToken('user_12345', EXPIRE),
};
const times = Object.fromEntries(Object.keys(pieces).map((k) => [k, []]));
let sink = 0;
for (const fn of Object.values(pieces)) for (let i = 0; i < 20_000; i++) sink ^= fn() ? 1 : 0;
for (let round = 0; round < 15; round++) {
  for (const [name, fn] of Object.entries(pieces)) {
    let calls = 0;
    const t0 = performance.now();
    let t;
    do {
      for (let i = 0; i < 100; i++) sink ^= fn() ? 1 : 0;
      calls += 100;
    } while ((t = performance.now() - t0) < 50);
    times[name].push((t * 1e6) / calls);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
const block1 = m['SHA-256 block'];
const chain = m['signing chain (one-call)'];
const deflate = m[`deflate (${n} B)`];
const b64 = m[`base64 (${compressedLength} B)`];
const build = m['Chat user build (one-call)'];
console.log(`Node ${process.version}; Chat user token, ${n} B content, ${compressedLength} B compressed`);
for (const [k, v] of Object.entries(m)) console.log(`${k.padEnd(30)} ${v.toFixed(0).padStart(7)} ns`);
console.log('');
console.log(`one-call build = ${ONE_CALL_BLOCKS} SHA-256 blocks (${(ONE_CALL_BLOCKS * block1).toFixed(0)} ns) + chain glue ${(chain - ONE_CALL_BLOCKS * block1).toFixed(0)} ns`
  + ` + deflate ${deflate.toFixed(0)} + base64 ${b64.toFixed(0)} + the rest (checks, packing, salt, clock) ${(build - chain - deflate - b64).toFixed(0)} ns = ${build.toFixed(0)} ns`);
console.log(`a maker skips the chain's first step: ${MAKER_BLOCKS} blocks, ${(4 * block1).toFixed(0)} ns less`);
if (sink === 2) console.log('');
