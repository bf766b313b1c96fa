/*
 * Token-sized deflate/inflate (1,024 token payloads of 100-300 B, random signatures) of two
 * checkouts of this repository side by side in one process: each one's src/zlib is bundled with
 * esbuild, then calls alternate in short slices over many rounds.
 *
 *   git worktree add /tmp/zlib-old <commit>          # the other checkout
 *   node bench/zlib-ab.mjs /tmp/zlib-old . [rounds=100]
 *   git worktree remove /tmp/zlib-old
 *
 * Prints, per operation, the median [p25-p75] of the per-round ratios time(A) / time(B)
 * (below 1: A is faster) and the 10th-percentile ns per call of each. On a shared machine
 * read the ratios; absolute times move with the load.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const [dirA, dirB, roundsArg] = process.argv.slice(2);
if (!dirA || !dirB) throw new Error('usage: node bench/zlib-ab.mjs <checkout A> <checkout B> [rounds]');
const rounds = Number(roundsArg ?? 100);
const here = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'zlib-ab-'));

async function bundle(name, source) {
  const entry = path.join(tmp, `${name}-entry.ts`);
  fs.writeFileSync(entry, source);
  const outfile = path.join(tmp, `${name}.mjs`);
  await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', outfile, logLevel: 'error', nodePaths: [path.join(here, 'node_modules')] });
  return import(pathToFileURL(outfile).href);
}
const zlibOf = (dir) =>
  `export { zlibDeflate } from ${JSON.stringify(path.resolve(dir, 'src/zlib/deflate'))};\n` +
  `export { zlibInflate } from ${JSON.stringify(path.resolve(dir, 'src/zlib/inflate'))};\n`;
const A = await bundle('a', zlibOf(dirA));
const B = await bundle('b', zlibOf(dirB));
const { makeRng, tokenPayload } = await bundle('payloads', `export * from ${JSON.stringify(path.join(here, 'test/support/deflate-payloads'))};\n`);
fs.rmSync(tmp, { recursive: true });

const rng = makeRng(99);
const payloads = [];
while (payloads.length < 1024) {
  const p = tokenPayload(rng);
  if (p.length >= 100 && p.length <= 300) payloads.push(p);
}
const streams = payloads.map((p) => B.zlibDeflate(p));
for (let i = 0; i < payloads.length; i++) {
  const a = A.zlibDeflate(payloads[i]);
  if (a.length !== streams[i].length || a.some((x, k) => x !== streams[i][k])) throw new Error(`A and B differ on payload ${i}`);
}

const ops = {
  'A deflate': (i) => A.zlibDeflate(payloads[i & 1023]).length,
  'B deflate': (i) => B.zlibDeflate(payloads[i & 1023]).length,
  'A inflate': (i) => A.zlibInflate(streams[i & 1023], { maxOutput: 65536 }).output.length,
  'B inflate': (i) => B.zlibInflate(streams[i & 1023], { maxOutput: 65536 }).output.length,
};
const names = Object.keys(ops);
let sink = 0;
function slice(op) {
  let calls = 0;
  const t0 = performance.now();
  let t;
  do {
    for (let k = 0; k < 8; k++) sink += op(calls + k);
    calls += 8;
    t = performance.now();
  } while (t - t0 < 4);
  return ((t - t0) * 1e6) / calls;
}
for (const n of names) for (let k = 0; k < 20; k++) slice(ops[n]);
const res = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < rounds; r++) for (const n of r % 2 ? names : [...names].reverse()) res[n].push(slice(ops[n]));
const q = (xs, f) => [...xs].sort((a, b) => a - b)[Math.floor(f * (xs.length - 1))];
for (const op of ['deflate', 'inflate']) {
  const a = res[`A ${op}`];
  const b = res[`B ${op}`];
  const r = a.map((x, i) => x / b[i]);
  console.log(
    `${op}: A/B median ${q(r, 0.5).toFixed(2)} [${q(r, 0.25).toFixed(2)}-${q(r, 0.75).toFixed(2)}], p10 ns A ${q(a, 0.1).toFixed(0)} B ${q(b, 0.1).toFixed(0)}`,
  );
}
if (sink === 42) console.log('');
