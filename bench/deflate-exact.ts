/*
 * Exactness sweep of src/zlib/deflate.ts against pako 2.1.0 (classic zlib, level 6), over every
 * payload size class up to 64 KiB, then the speed of a token-sized call. src/zlib is bundled as the
 * package build does (bench/bundle.mjs): what users run, and what the timing means.
 *
 *   node node_modules/.bin/vite-node bench/deflate-exact.ts [cases=1000000]
 *
 * The mix per 1,000 cases: 500 token payloads, 300 of up to 700 bytes of any kind, 150 of the
 * 64 B–2 KiB classes, 40 of 8–16 KiB, 10 of 32–64 KiB (token, text, random, repetitive, skewed).
 * (`npx vite-node` also works where node_modules/.bin/node is not shadowed by an older Node:
 * vite 7 needs Node >= 20.19.)
 */
import zlib from 'node:zlib';
import pako from 'pako';
import { anyPayload, makeRng, payloadOfClass, structuredCases, tokenPayload } from '../test/support/deflate-payloads';
import { bundleModules } from './bundle.mjs';

const { zlibDeflate }: { zlibDeflate: (input: Uint8Array) => Uint8Array } = await bundleModules({ 'src/zlib/deflate': ['zlibDeflate'] });

const count = Number(process.argv[2] ?? 1_000_000);
if (!Number.isInteger(count) || count < 0) throw new Error(`bad case count: ${process.argv[2]}`);

function same(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/* ---------------------------------------------------------------- exactness sweep */

const rng = makeRng(Number(process.env.SEED ?? 20240601));
let cases = 0;
let mismatches = 0;
const bySize = new Map<number, number>();
const started = performance.now();

function check(input: Uint8Array): void {
  cases++;
  const size = [1, 64, 512, 2048, 8192, 16384, 32768, 65536].find((c) => input.length <= c) ?? Infinity;
  bySize.set(size, (bySize.get(size) ?? 0) + 1);
  if (!same(zlibDeflate(input), pako.deflate(input))) {
    mismatches++;
    if (mismatches <= 5) console.log(`MISMATCH (${input.length} bytes): ${input.length <= 2048 ? hex(input) : ''}`);
  }
}

for (const input of structuredCases(rng)) {
  if (cases >= count) break;
  check(input);
}
while (cases < count) {
  const r = cases % 1000;
  if (r < 500) check(tokenPayload(rng));
  else if (r < 800) check(anyPayload(rng, 700));
  else if (r < 950) check(payloadOfClass(rng, [64, 512, 2048][r % 3]));
  else if (r < 990) check(payloadOfClass(rng, [8192, 16384][r % 2]));
  else check(payloadOfClass(rng, [32768, 65536][r % 2]));
  if (cases % 100_000 === 0) {
    const s = ((performance.now() - started) / 1000).toFixed(0);
    console.log(`  ... ${cases} cases, ${mismatches} mismatches (${s} s)`);
  }
}
const classes = [...bySize.entries()].sort((a, b) => a[0] - b[0]).map(([size, n]) => `≤${size} B: ${n}`).join(', ');
console.log(`cases ${cases}, mismatches ${mismatches} (${classes})`);

/* ---------------------------------------------------------------- timing */

const inputs = Array.from({ length: 64 }, () => {
  let t = tokenPayload(rng);
  while (t.length < 100 || t.length > 200) t = tokenPayload(rng);
  return t;
});
for (const x of inputs) if (!same(zlibDeflate(x), pako.deflate(x))) throw new Error('token payload mismatch');

/** µs per call, median of 15 rounds (the machine may be shared: compare ratios within one run). */
function time(name: string, fn: (x: Uint8Array) => Uint8Array, iterations: number): number {
  let sink = 0;
  for (let i = 0; i < Math.min(iterations, 20_000); i++) sink += fn(inputs[i & 63]).length; // warm-up
  const rounds: number[] = [];
  for (let round = 0; round < 15; round++) {
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) sink += fn(inputs[i & 63]).length;
    rounds.push(((performance.now() - t0) * 1000) / iterations);
  }
  const median = [...rounds].sort((a, b) => a - b)[rounds.length >> 1];
  console.log(`${name.padEnd(18)} ${median.toFixed(2).padStart(7)} µs/op median  (sink ${sink & 0xff})`);
  return median;
}

const avg = inputs.reduce((s, x) => s + x.length, 0) / inputs.length;
console.log(`\n${avg.toFixed(0)}-byte token payloads (100–200 B), ${process.version}:`);
const ours = time('zlibDeflate', (x) => zlibDeflate(x), 50_000);
const native = time('zlib.deflateSync', (x) => zlib.deflateSync(x), 10_000);
const theirs = time('pako.deflate', (x) => pako.deflate(x), 2_000);
console.log(`zlibDeflate is ${(native / ours).toFixed(1)}x node:zlib deflateSync and ${(theirs / ours).toFixed(1)}x pako.deflate`);

if (mismatches !== 0) process.exitCode = 1;
