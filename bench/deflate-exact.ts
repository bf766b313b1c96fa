/*
 * Exactness sweep + speed check of src/zlib/deflate.ts against pako 2.1.0.
 *
 *   node node_modules/.bin/vite-node bench/deflate-exact.ts [cases=1000000]
 *
 * (`npx vite-node` also works where node_modules/.bin/node is not shadowed by
 * an older Node: vite 7 needs Node >= 20.19.)
 */
import pako from 'pako';
import { zlibDeflate, zlibDeflateShared } from '../src/zlib/deflate';
import { anyPayload, makeRng, structuredCases, tokenPayload } from '../test/support/deflate-payloads';

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
const started = performance.now();

function check(input: Uint8Array): void {
  cases++;
  if (!same(zlibDeflateShared(input), pako.deflate(input))) {
    mismatches++;
    if (mismatches <= 5) console.log(`MISMATCH (${input.length} bytes): ${hex(input)}`);
  }
}

for (const input of structuredCases(rng)) {
  if (cases >= count) break;
  check(input);
}
while (cases < count) {
  const r = rng() % 100;
  check(r < 50 ? tokenPayload(rng) : r < 97 ? anyPayload(rng, 700) : anyPayload(rng, 4096));
  if (cases % 100_000 === 0) {
    const s = ((performance.now() - started) / 1000).toFixed(0);
    console.log(`  ... ${cases} cases, ${mismatches} mismatches (${s} s)`);
  }
}
console.log(`cases ${cases}, mismatches ${mismatches}`);

/* ---------------------------------------------------------------- timing */

/** An RTC-style token payload (one service, 4 privileges) padded to exactly 130 bytes. */
function payload130(seed: number): Uint8Array {
  const r = makeRng(seed);
  const out = new Uint8Array(130);
  const dv = new DataView(out.buffer);
  let p = 0;
  const u16 = (v: number): void => {
    dv.setUint16(p, v, true);
    p += 2;
  };
  const u32 = (v: number): void => {
    dv.setUint32(p, v >>> 0, true);
    p += 4;
  };
  const str = (s: string): void => {
    u16(s.length);
    for (let i = 0; i < s.length; i++) out[p++] = s.charCodeAt(i);
  };
  u16(32);
  for (let i = 0; i < 32; i++) out[p++] = r() & 0xff; // signature
  let appId = '';
  for (let i = 0; i < 32; i++) appId += '0123456789abcdef'[r() & 15];
  str(appId);
  u32(1_735_689_600 + (r() % 1000)); // issueTs
  u32(3600); // expire
  u32(r() % 100_000_000); // salt
  u16(1); // services
  u16(1); // RTC
  u16(4); // privileges
  for (let k = 1; k <= 4; k++) {
    u16(k);
    u32(3600);
  }
  const uidLen = 6;
  const channelLen = 130 - p - 2 - 2 - uidLen;
  str('channel-' + 'x'.repeat(channelLen - 8));
  str(String(100000 + (r() % 900000)).slice(0, uidLen));
  if (p !== 130) throw new Error(`payload is ${p} bytes`);
  return out;
}

const inputs = Array.from({ length: 64 }, (_, i) => payload130(i + 1));
for (const x of inputs) if (!same(zlibDeflate(x), pako.deflate(x))) throw new Error('130-byte payload mismatch');

/**
 * µs per call: best and median of several rounds, wall clock and process CPU
 * time (the CPU figure is less disturbed by other processes on a busy host).
 */
function time(name: string, fn: (x: Uint8Array) => Uint8Array, iterations: number, rounds = 15): number {
  let sink = 0;
  for (let i = 0; i < Math.min(iterations, 20_000); i++) sink += fn(inputs[i & 63]).length; // warm-up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) sink += fn(inputs[i & 63]).length;
    const t1 = performance.now();
    const c = process.cpuUsage(c0);
    wall.push(((t1 - t0) * 1000) / iterations);
    cpu.push((c.user + c.system) / iterations);
  }
  const best = (xs: number[]): number => Math.min(...xs);
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const f = (x: number): string => x.toFixed(2).padStart(7);
  console.log(
    `${name.padEnd(18)} wall ${f(best(wall))} best ${f(median(wall))} median | cpu ${f(best(cpu))} best ${f(median(cpu))} median  µs/op  (sink ${sink & 0xff})`,
  );
  return best(cpu);
}

console.log(`\n130-byte token payload, ${process.version}:`);
const ours = time('zlibDeflate', (x) => zlibDeflate(x), 50_000);
const shared = time('zlibDeflateShared', (x) => zlibDeflateShared(x), 50_000);
const theirs = time('pako.deflate', (x) => pako.deflate(x), 2_000);
console.log(`speed-up (best cpu): zlibDeflate ${(theirs / ours).toFixed(1)}x, zlibDeflateShared ${(theirs / shared).toFixed(1)}x`);

if (mismatches !== 0) process.exitCode = 1;
