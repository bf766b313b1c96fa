/*
 * Per payload size (1 B … 64 KiB): src/zlib's deflate and inflate against Node's native zlib
 * (`zlib.deflateSync` / `zlib.inflateSync`, what agora-token uses), side by side in one process.
 *
 *   node node_modules/.bin/vite-node bench/zlib-sizes.ts [rounds=7] [kind=token]
 *
 * kind: token (AccessToken2 payloads end to end: random signatures, services, accounts), text,
 * random, repetitive or skewed. Each round times every (size, function) pair in a short slice,
 * in alternating order; the table shows medians over rounds of ns per call, ns per payload byte
 * and the per-round ratio native / ours (above 1: ours is faster). On a shared machine, compare
 * the ratios of one run, not absolute times across runs.
 *
 * src/zlib is measured as users run it: bundled as the package build does (bench/bundle.mjs).
 */
import zlib from 'node:zlib';
import { makeRng, PAYLOAD_KINDS, sizedPayload, type PayloadKind } from '../test/support/deflate-payloads';
import { bundleModules } from './bundle.mjs';

type Deflate = (input: Uint8Array) => Uint8Array;
type Inflate = (data: Uint8Array, options: { maxOutput: number }) => { output: Uint8Array };
const { zlibDeflate, zlibInflate }: { zlibDeflate: Deflate; zlibInflate: Inflate } = await bundleModules({
  'src/zlib/deflate': ['zlibDeflate'],
  'src/zlib/inflate': ['zlibInflate'],
});

const rounds = Number(process.argv[2] ?? 7);
const kind = (process.argv[3] ?? 'token') as PayloadKind;
if (!PAYLOAD_KINDS.includes(kind)) throw new Error(`kind must be one of ${PAYLOAD_KINDS.join(', ')}`);
const SIZES = [1, 64, 512, 2048, 8192, 16384, 32768, 65536];
/** Different payloads per size, used in turn (fresh signatures defeat branch learning). */
const VARIANTS = 16;
const SLICE_MS = 25;

const rng = makeRng(7);
interface Case {
  size: number;
  payloads: Uint8Array[];
  streams: Uint8Array[];
}
const cases: Case[] = SIZES.map((size) => {
  const payloads = Array.from({ length: VARIANTS }, () => sizedPayload(rng, size, kind));
  const streams = payloads.map((p) => zlibDeflate(p));
  // Node's bundled zlib (Chromium's) may choose other matches than classic zlib, so its bytes can
  // differ; both inflaters read the same (classic) streams.
  for (let i = 0; i < VARIANTS; i++) {
    if (!zlib.inflateSync(zlib.deflateSync(payloads[i])).equals(payloads[i])) throw new Error(`node:zlib round trip of ${size} B`);
    if (!zlib.inflateSync(streams[i]).equals(payloads[i])) throw new Error(`our stream of ${size} B does not inflate`);
  }
  return { size, payloads, streams };
});

type Op = (c: Case, i: number) => number;
const ops: Record<string, Op> = {
  ours_deflate: (c, i) => zlibDeflate(c.payloads[i]).length,
  node_deflate: (c, i) => zlib.deflateSync(c.payloads[i]).length,
  ours_inflate: (c, i) => zlibInflate(c.streams[i], { maxOutput: 1 << 16 }).output.length,
  node_inflate: (c, i) => zlib.inflateSync(c.streams[i]).length,
};
const names = Object.keys(ops);

let sink = 0;
/** ns per call of `op` on `c`, over a slice of about SLICE_MS. */
function slice(op: Op, c: Case): number {
  let calls = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    for (let k = 0; k < 16; k++) sink += op(c, (calls + k) % VARIANTS);
    calls += 16;
    t = performance.now();
  } while (t - t0 < SLICE_MS);
  return ((t - t0) * 1e6) / calls;
}

// Warm-up: every op on every size.
for (const c of cases) for (const name of names) slice(ops[name], c);

/** results[size][op] = ns per call, one entry per round */
const results = new Map<number, Record<string, number[]>>(SIZES.map((s) => [s, Object.fromEntries(names.map((n) => [n, []]))]));
for (let r = 0; r < rounds; r++) {
  for (const c of cases) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const name of order) results.get(c.size)![name].push(slice(ops[name], c));
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ratio = (theirs: number[], ours: number[]): number => median(theirs.map((t, i) => t / ours[i]));
const f = (x: number, w = 9, d = 0): string => x.toFixed(d).padStart(w);
console.log(`${process.version}, ${kind} payloads, ${rounds} rounds, medians (ratio = node ns / ours ns per round; > 1: ours faster)`);
console.log(
  `${'size'.padStart(7)} | ${'deflate ours'.padStart(12)} ${'node'.padStart(9)} ${'ns/B ours'.padStart(9)} ${'node'.padStart(6)} ${'ratio'.padStart(6)}` +
    ` | ${'inflate ours'.padStart(12)} ${'node'.padStart(9)} ${'ns/B ours'.padStart(9)} ${'node'.padStart(6)} ${'ratio'.padStart(6)}`,
);
for (const size of SIZES) {
  const r = results.get(size)!;
  const row = (ours: number[], node: number[]): string =>
    `${f(median(ours), 12)} ${f(median(node))} ${f(median(ours) / size, 9, 1)} ${f(median(node) / size, 6, 1)} ${f(ratio(node, ours), 6, 2)}`;
  console.log(`${f(size, 7)} | ${row(r.ours_deflate, r.node_deflate)} | ${row(r.ours_inflate, r.node_inflate)}`);
}
if (sink === 42) console.log('');
