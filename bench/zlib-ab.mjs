/*
 * Deflate/inflate of two checkouts of this repository side by side in one process: each one's
 * src/zlib is bundled with esbuild, then calls alternate in short slices over many rounds.
 * By default on token-sized payloads (1,024 token payloads of 100-300 B, random signatures);
 * `sizes` adds payload sizes in bytes (token-like payloads of that size, as in zlib-sizes.ts).
 *
 *   git worktree add /tmp/zlib-old <commit>          # the other checkout
 *   node bench/zlib-ab.mjs /tmp/zlib-old . [rounds=100] [sizes=token,2048,8192,65536]
 *   git worktree remove /tmp/zlib-old
 *
 * Prints, per operation and size, the median [p25-p75] of the per-round ratios time(A) / time(B)
 * (below 1: A is faster) and the 10th-percentile ns per call of each. Slices are timed in wall
 * time: process CPU time (process.cpuUsage) is too coarse for 4 ms slices on some kernels (a
 * self-versus-self run came out 0.74). On a shared machine read the ratios; absolute times move
 * with the load.
 */
import { bundleModules } from './bundle.mjs';

const [dirA, dirB, roundsArg, sizesArg] = process.argv.slice(2);
if (!dirA || !dirB) throw new Error('usage: node bench/zlib-ab.mjs <checkout A> <checkout B> [rounds]');
const rounds = Number(roundsArg ?? 100);
const zlibOf = (dir) => bundleModules({ 'src/zlib/deflate': ['zlibDeflate'], 'src/zlib/inflate': ['zlibInflate'] }, dir);
const A = await zlibOf(dirA);
const B = await zlibOf(dirB);
const { makeRng, tokenPayload, sizedPayload } = await bundleModules({ 'test/support/deflate-payloads': ['makeRng', 'tokenPayload', 'sizedPayload'] });

const rng = makeRng(99);
/** The payloads of one size class and their streams (from B), checked to be the same with A. */
function sizeCase(size) {
  const payloads = [];
  while (payloads.length < 1024) {
    if (size !== 'token') payloads.push(sizedPayload(rng, Number(size), 'token'));
    else {
      const p = tokenPayload(rng);
      if (p.length >= 100 && p.length <= 300) payloads.push(p);
    }
    if (size !== 'token' && Number(size) > 8192 && payloads.length === 64) break; // enough variety, less memory
  }
  const streams = payloads.map((p) => B.zlibDeflate(p));
  for (let i = 0; i < payloads.length; i++) {
    const a = A.zlibDeflate(payloads[i]);
    if (a.length !== streams[i].length || a.some((x, k) => x !== streams[i][k])) throw new Error(`A and B differ on payload ${i} (${size})`);
  }
  return { size, payloads, streams, mask: payloads.length - 1 };
}

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
const q = (xs, f) => [...xs].sort((a, b) => a - b)[Math.floor(f * (xs.length - 1))];
for (const size of (sizesArg ?? 'token').split(',')) {
  const c = sizeCase(size);
  const ops = {
    'A deflate': (i) => A.zlibDeflate(c.payloads[i & c.mask]).length,
    'B deflate': (i) => B.zlibDeflate(c.payloads[i & c.mask]).length,
    'A inflate': (i) => A.zlibInflate(c.streams[i & c.mask], { maxOutput: 65536 }).output.length,
    'B inflate': (i) => B.zlibInflate(c.streams[i & c.mask], { maxOutput: 65536 }).output.length,
  };
  const names = Object.keys(ops);
  for (const n of names) for (let k = 0; k < 10; k++) slice(ops[n]);
  const res = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) for (const n of r % 2 ? names : [...names].reverse()) res[n].push(slice(ops[n]));
  for (const op of ['deflate', 'inflate']) {
    const a = res[`A ${op}`];
    const b = res[`B ${op}`];
    const r = a.map((x, i) => x / b[i]);
    console.log(
      `${op} ${size}: A/B median ${q(r, 0.5).toFixed(3)} [${q(r, 0.25).toFixed(3)}-${q(r, 0.75).toFixed(3)}], p10 ns A ${q(a, 0.1).toFixed(0)} B ${q(b, 0.1).toFixed(0)}`,
    );
  }
}
if (sink === 42) console.log('');
