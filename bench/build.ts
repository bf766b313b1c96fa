/**
 * `npm run bench`: this library against `agora-token` 2.0.6 (Agora's npm package), side by side
 * in ONE process, interleaved round by round so that machine load hits both alike.
 *
 * What is measured (see docs/performance.md for how to read the output):
 * - build Chat user token (short ids, and UUID-shaped ids: see bench/inputs.mjs), build Chat app
 *   token, RTC buildTokenWithUid (publisher), and verify
 *   (ours: `verifyToken`; theirs: `new AccessToken2().from_string(t)` + `verifySignature(cert)`),
 *   through the public APIs with default options (current time, random salt), as users call them.
 * - ops/s and ns/op per library (median of the rounds) and a ratio line (median of the per-round
 *   ratios theirs/ours, with the lowest and highest round).
 * - Heap bytes allocated per built token, by GC-profiler accounting: allocated = growth of the
 *   used JS heap over the loop + everything the GCs inside the loop freed (v8.GCProfiler reports
 *   the used heap before and after each GC), divided by the number of calls. Exact, whatever
 *   the GCs do, and needs no `--expose-gc`. ArrayBuffer bytes (Node Buffers live outside the JS
 *   heap) are reported separately: `process.memoryUsage().arrayBuffers` growth over short
 *   windows in which no GC ran (a GC would free some of them), the largest such window.
 *
 * Ours is the BUILT package, what users get: the ESM build (dist/index.js) by default, the
 * CommonJS build with `--cjs`. Run `npm run build` first; the bench warns when dist is older than
 * src. `--src` loads src/index.ts through vite-node instead, for trying a change without a build.
 *
 * No GC is forced between batches: a forced full GC shrinks the young generation, and the next
 * batch then pays for many more scavenges (measured: agora-token ~2.5× slower, ours ~1.5×), which
 * says more about the forced GC than about either library. Both sides run in the steady state.
 *
 * Slices of 200 ms per side: agora-token's garbage (24 KB of Buffers per token) sets off major
 * GCs whose concurrent marking and final pause can land in the slice that follows, which is
 * often ours. With 60 ms slices that spill made single rounds range from 1.2× to 14× (verify)
 * and 6.5× to 12× (builds); at 200 ms each side pays mostly for its own garbage, and the rounds
 * of a run agree within ±10%.
 *
 * Besides those five operations, one run prints (each section interleaved against its peer):
 * - the owned objects (`createTokenMaker`, `createTokenVerifier`) against the same agora-token calls;
 * - a size sweep: RTC tokens for a user account of 1 B … 64 KB (the payload is the account plus
 *   ~130 B of header and service), build and verify, ours vs agora-token;
 * - 006: `RtcTokenBuilder.buildTokenWithUid` against npm `agora-access-token` 2.0.4, with heap;
 * - CommonJS against ESM (each of our Node builds in fresh processes, Chat user build);
 * - cold start: fresh processes running a script file that loads the package by name and builds
 *   one Chat user token, ours and agora-token alternating, `require` and `import`, medians, and
 *   the same for an empty script (the process itself) to subtract; and, timed inside such a
 *   process (`require`), the load and the first token apart.
 * - heap per token.
 *
 * Flags: --src, --cjs, --rounds N (default 10), --ms N (milliseconds per side per round, default 200),
 * --quick (fewer rounds everywhere, for a smoke run).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { inflateSync } from 'node:zlib';
import { APP_CERTIFICATE, APP_ID, channels, EXPIRE, INPUT_MASK, N_INPUTS, sweepAccount, uids, userIds, uuidUserIds } from './inputs.mjs';

type Ours = typeof import('../src/index');

/** The parts of agora-token this bench calls (its index.d.ts does not cover AccessToken2). */
interface AgoraToken {
  ChatTokenBuilder: {
    buildUserToken(appId: string, appCertificate: string, userId: string, expire: number): string;
    buildAppToken(appId: string, appCertificate: string, expire: number): string;
  };
  RtcTokenBuilder: {
    buildTokenWithUid(
      appId: string, appCertificate: string, channelName: string, uid: number, role: number,
      tokenExpire: number, privilegeExpire: number,
    ): string;
  };
  RtcRole: { PUBLISHER: number };
}
interface AgoraAccessToken2 {
  from_string(token: string): boolean;
  verifySignature(appCertificate: string): boolean;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const useSrc = args.includes('--src');
const QUICK = args.includes('--quick');
const ROUNDS = flag('--rounds', QUICK ? 3 : 10);
const SLICE_MS = flag('--ms', QUICK ? 60 : 200);

// ---------------------------------------------------------------------------------------- load

/**
 * The built package as an ESM user gets it (the `import` target of the exports map), loaded by
 * Node itself: vite-node would run it through its own module transform, and the CommonJS build
 * pays for esbuild's export getters on every call between modules. `require` of an ES module
 * needs Node ≥ 20.19 / 22.12; older Nodes (and `--cjs`) get the CommonJS build.
 */
function loadBuilt(): { lib: Ours; from: string } {
  // Node resolves the `node` condition: the bundled build in dist/node.
  const exportsMap = require('../package.json').exports['.'];
  const esm = join(root, exportsMap.node.import.default);
  if (!args.includes('--cjs')) {
    try {
      return { lib: require(esm), from: `${relative(root, esm)}, ESM` };
    } catch {
      // fall through to CommonJS
    }
  }
  return { lib: require('agora-access-token2'), from: `${relative(root, require.resolve('agora-access-token2'))}, CommonJS` };
}
const loaded = useSrc ? { lib: await import('../src/index'), from: 'src/index.ts via vite-node' } : loadBuilt();
const ours: Ours = loaded.lib;
const oursFrom = loaded.from;
const theirs: AgoraToken = require('agora-token');
const TheirAccessToken2: new () => AgoraAccessToken2 = require('agora-token/src/AccessToken2').AccessToken2;
/** npm `agora-access-token` (legacy 006), the peer of our `RtcTokenBuilder`. */
const theirs006: {
  RtcTokenBuilder: {
    buildTokenWithUid(appId: string, appCertificate: string, channelName: string, uid: number, role: number, privilegeTs: number): string;
  };
} = require('agora-access-token');
const theirs006Version: string = require('agora-access-token/package.json').version;
const oursVersion: string = require('../package.json').version;
const theirsVersion: string = require('agora-token/package.json').version;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}
const distFile = join(root, 'dist/node/index.js');
const distStale = !useSrc && existsSync(distFile) && newestMtime(join(root, 'src')) > statSync(distFile).mtimeMs;

// -------------------------------------------------------------------------------------- inputs

// APP_ID, APP_CERTIFICATE, EXPIRE and the user ids, channels and uids: bench/inputs.mjs, shared
// with the other bench scripts.

type Op = (i: number) => string | boolean;
interface Operation {
  name: string;
  ours: Op;
  theirs: Op;
  /** Built tokens (heap per token is measured for these). */
  builds: boolean;
}

const PUBLISHER = ours.RtcRole.PUBLISHER;
const operations: Operation[] = [
  {
    name: 'build Chat user token',
    ours: (i) => ours.ChatTokenBuilder2.buildUserToken(APP_ID, APP_CERTIFICATE, userIds[i & INPUT_MASK], EXPIRE),
    theirs: (i) => theirs.ChatTokenBuilder.buildUserToken(APP_ID, APP_CERTIFICATE, userIds[i & INPUT_MASK], EXPIRE),
    builds: true,
  },
  {
    name: 'build Chat user, UUID ids',
    ours: (i) => ours.ChatTokenBuilder2.buildUserToken(APP_ID, APP_CERTIFICATE, uuidUserIds[i & INPUT_MASK], EXPIRE),
    theirs: (i) => theirs.ChatTokenBuilder.buildUserToken(APP_ID, APP_CERTIFICATE, uuidUserIds[i & INPUT_MASK], EXPIRE),
    builds: true,
  },
  {
    name: 'build Chat app token',
    ours: () => ours.ChatTokenBuilder2.buildAppToken(APP_ID, APP_CERTIFICATE, EXPIRE),
    theirs: () => theirs.ChatTokenBuilder.buildAppToken(APP_ID, APP_CERTIFICATE, EXPIRE),
    builds: true,
  },
  {
    name: 'RTC buildTokenWithUid',
    ours: (i) => ours.RtcTokenBuilder2.buildTokenWithUid(
      APP_ID, APP_CERTIFICATE, channels[i & INPUT_MASK], uids[i & INPUT_MASK], PUBLISHER, EXPIRE, EXPIRE,
    ),
    theirs: (i) => theirs.RtcTokenBuilder.buildTokenWithUid(
      APP_ID, APP_CERTIFICATE, channels[i & INPUT_MASK], uids[i & INPUT_MASK], theirs.RtcRole.PUBLISHER, EXPIRE, EXPIRE,
    ),
    builds: true,
  },
];

// Verify: both sides check the same valid tokens (a Chat user + RTC mix, built by ours), issued
// at different times within the last 50 minutes, as a server sees them.
const { verifyToken } = ours;
const startTs = Math.floor(Date.now() / 1000);
const tokensToVerify = Array.from({ length: N_INPUTS }, (_, i) => {
  const options = { issueTs: startTs - ((i * 7) % 3000) };
  return i % 2 === 0
    ? ours.ChatTokenBuilder2.buildUserToken(APP_ID, APP_CERTIFICATE, userIds[i], EXPIRE, options)
    : ours.RtcTokenBuilder2.buildTokenWithUid(APP_ID, APP_CERTIFICATE, channels[i], uids[i], PUBLISHER, EXPIRE, EXPIRE, options);
});
function theirVerify(token: string): boolean {
  const parsed = new TheirAccessToken2();
  return parsed.from_string(token) && parsed.verifySignature(APP_CERTIFICATE);
}
operations.push({
  name: 'verify token',
  // verifyToken throws a TokenError unless the token is valid, and returns the decoded token.
  ours: (i) => verifyToken(tokensToVerify[i & INPUT_MASK], APP_CERTIFICATE).appId === APP_ID,
  theirs: (i) => theirVerify(tokensToVerify[i & INPUT_MASK]),
  builds: false,
});

// ------------------------------------------------------------------------------- sanity checks

/** The zlib payload of a 007 token, minus the signature and salt (they differ per build). */
function comparablePayload(token: string): string {
  const body = inflateSync(Buffer.from(token.slice(3), 'base64'));
  // signature: u16 length + 32 bytes; then appId (u16 + 32), issueTs, expire, salt (u32 each).
  const saltAt = 2 + 32 + 2 + 32 + 4 + 4;
  return Buffer.concat([body.subarray(34, saltAt), body.subarray(saltAt + 4)]).toString('hex');
}
const checks: string[] = [];
for (const op of operations.filter((o) => o.builds)) {
  for (let i = 0; i < 16; i++) {
    const a = op.ours(i) as string;
    const b = op.theirs(i) as string;
    // issueTs may tick between the two calls; rebuild once before calling it a mismatch.
    if (comparablePayload(a) !== comparablePayload(b) && comparablePayload(op.ours(i) as string) !== comparablePayload(b)) {
      throw new Error(`${op.name}: the libraries packed different payloads for input ${i}`);
    }
  }
}
checks.push('same packed payload on both sides (inflated, salt and signature aside)');
for (let i = 0; i < 64; i++) {
  if (verifyToken(tokensToVerify[i], APP_CERTIFICATE).appId !== APP_ID || !theirVerify(tokensToVerify[i])) {
    throw new Error(`verify: token ${i} did not verify on both sides`);
  }
}
checks.push('the verify tokens pass both verifiers (ours also checks expiry)');

// ------------------------------------------------------------------------------------- timing

let sink = 0; // keeps results alive so no call can be optimised away
const consume = (r: string | boolean): void => {
  sink = (sink + (typeof r === 'string' ? r.length : r ? 1 : 0)) | 0;
};

/** Wall-clock and process-CPU ns per call of `fn` over `n` calls. */
function timeBatch(fn: Op, n: number, offset: number): { wall: number; cpu: number } {
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) consume(fn(offset + i));
  const wall = Number(process.hrtime.bigint() - start) / n;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: ((cpu.user + cpu.system) * 1000) / n };
}

/**
 * The CPU the main thread last ran on (Linux: field 39 of /proc/self/stat), or undefined. On a
 * VM whose vCPUs run at different speeds it tells a slow section from a slow library.
 */
function currentCpu(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const cpu = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[36]);
    return Number.isInteger(cpu) ? cpu : undefined;
  } catch {
    return undefined;
  }
}

/** Calls per batch so that one batch takes about `sliceMs`. */
function calibrate(fn: Op, sliceMs: number): number {
  let n = 4;
  for (;;) {
    const { wall } = timeBatch(fn, n, 0);
    if (wall * n >= Math.min(20, sliceMs / 4) * 1e6) return Math.max(4, Math.round((sliceMs * 1e6) / wall));
    n *= 4;
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

interface Timing {
  oursNs: number;
  theirsNs: number;
  oursCpuNs: number;
  theirsCpuNs: number;
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  /** The same ratio by process CPU time, which a busy machine disturbs less than wall time. */
  cpuRatio: number;
  /** The CPUs the main thread was seen on after the rounds (empty where unknown). */
  cpus: number[];
}

function compare(op: Operation, rounds = ROUNDS, sliceMs = SLICE_MS, warm = 20_000): Timing {
  // Warm both sides up (JIT tiers, caches) before anything counts.
  timeBatch(op.ours, warm, 0);
  timeBatch(op.theirs, Math.max(8, warm / 10), 0);
  const nOurs = calibrate(op.ours, sliceMs);
  const nTheirs = calibrate(op.theirs, sliceMs);
  const oursNs: number[] = [];
  const theirsNs: number[] = [];
  const oursCpu: number[] = [];
  const theirsCpu: number[] = [];
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  const cpusSeen = new Set<number>();
  for (let round = 0; round < rounds; round++) {
    const offset = round * 7919;
    // Alternate who goes first, so drift in machine load does not favour one side.
    const first = round % 2 === 0 ? timeBatch(op.ours, nOurs, offset) : timeBatch(op.theirs, nTheirs, offset);
    const second = round % 2 === 0 ? timeBatch(op.theirs, nTheirs, offset) : timeBatch(op.ours, nOurs, offset);
    const [a, b] = round % 2 === 0 ? [first, second] : [second, first];
    oursNs.push(a.wall);
    theirsNs.push(b.wall);
    oursCpu.push(a.cpu);
    theirsCpu.push(b.cpu);
    ratios.push(b.wall / a.wall);
    cpuRatios.push(b.cpu / a.cpu);
    const cpu = currentCpu();
    if (cpu !== undefined) cpusSeen.add(cpu);
  }
  return {
    oursNs: median(oursNs),
    theirsNs: median(theirsNs),
    oursCpuNs: median(oursCpu),
    theirsCpuNs: median(theirsCpu),
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
    cpuRatio: median(cpuRatios),
    cpus: [...cpusSeen].sort((x, y) => x - y),
  };
}

// --------------------------------------------------------------------------------------- heap

interface HeapCost {
  /** JS heap bytes allocated per call. */
  heap: number;
  /** ArrayBuffer bytes allocated per call (outside the JS heap). */
  arrayBuffers: number;
}

function heapPerCall(fn: Op, n: number): HeapCost {
  timeBatch(fn, 2_000, 0); // warm: compilation and inline caches allocate too, once
  const profiler = new v8.GCProfiler();
  profiler.start();
  const before = v8.getHeapStatistics().used_heap_size;
  for (let i = 0; i < n; i++) consume(fn(i));
  const after = v8.getHeapStatistics().used_heap_size;
  let freed = 0;
  for (const gc of profiler.stop().statistics) {
    freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
  }
  // ArrayBuffers: the largest growth over a window with no GC in it (GCs only ever free).
  let arrayBuffers = 0;
  for (let w = 0; w < 40; w++) {
    const windowProfiler = new v8.GCProfiler();
    windowProfiler.start();
    const ab0 = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 32; i++) consume(fn(i));
    const ab1 = process.memoryUsage().arrayBuffers;
    if (windowProfiler.stop().statistics.length === 0) arrayBuffers = Math.max(arrayBuffers, (ab1 - ab0) / 32);
  }
  return { heap: (after - before + freed) / n, arrayBuffers };
}

// -------------------------------------------------------------------------------------- print

const fmtInt = (x: number): string => Math.round(x).toLocaleString('en-US');
const fmtBytes = (b: number): string => (b >= 10_240 ? `${(b / 1024).toFixed(1)} KB` : `${Math.round(b)} B`);
const OURS = `agora-access-token2 ${oursVersion}`;
const THEIRS = `agora-token ${theirsVersion}`;
const pad = (s: string, n: number): string => s.padEnd(n);
const lpad = (s: string, n: number): string => s.padStart(n);

console.log(`agora-access-token2 vs agora-token: ${process.version} ${process.platform}-${process.arch}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}`);
console.log(`ours:   ${OURS} (${oursFrom})`);
console.log(`theirs: ${THEIRS} (node_modules/agora-token)`);
if (distStale) console.log('WARNING: src/ is newer than dist/: run `npm run build` (or pass --src)');
for (const c of checks) console.log(`check:  ${c}`);
console.log(`method: ${ROUNDS} rounds × ~${SLICE_MS} ms per side, interleaved, order alternating; medians; default options (now, random salt)`);
console.log('');
const row = (name: string, lib: string, ns: number, cpuNs: number): void =>
  console.log(`${pad(name, 30)}${pad(lib, 28)}${lpad(fmtInt(1e9 / ns), 12)}${lpad(fmtInt(ns), 12)}${lpad(fmtInt(cpuNs), 12)}`);
const ratioLine = (t: Timing, peer = 'agora-token'): void => console.log(
  `${pad('', 30)}ratio: ours is ${t.ratio.toFixed(1)}× faster than ${peer} (rounds ${t.ratioMin.toFixed(1)}× … ${t.ratioMax.toFixed(1)}×; by CPU time ${t.cpuRatio.toFixed(1)}×)${t.cpus.length > 0 ? `; main thread on CPU ${t.cpus.join(', ')}` : ''}`,
);
function printComparison(op: Operation, theirsLabel = THEIRS, peer = 'agora-token', rounds = ROUNDS, sliceMs = SLICE_MS, warm = 20_000): Timing {
  const t = compare(op, rounds, sliceMs, warm);
  row(op.name, OURS, t.oursNs, t.oursCpuNs);
  row('', theirsLabel, t.theirsNs, t.theirsCpuNs);
  ratioLine(t, peer);
  return t;
}

console.log(`${pad('operation', 30)}${pad('library', 28)}${lpad('ops/s', 12)}${lpad('ns/op', 12)}${lpad('CPU ns/op', 12)}`);
for (const op of operations) printComparison(op);

// ------------------------------------------------------------------------------ owned objects

const maker = ours.createTokenMaker({ appId: APP_ID, appCertificate: APP_CERTIFICATE });
const verifier = ours.createTokenVerifier({ appId: APP_ID, appCertificate: APP_CERTIFICATE });
const ownedOperations: Operation[] = [
  {
    name: 'Chat user, createTokenMaker',
    ours: (i) => maker.buildChatUserToken(userIds[i & INPUT_MASK], EXPIRE),
    theirs: operations[0].theirs,
    builds: true,
  },
  {
    name: 'verify, createTokenVerifier',
    ours: (i) => verifier.verify(tokensToVerify[i & INPUT_MASK]).appId === APP_ID,
    theirs: operations.find((o) => o.name === 'verify token')!.theirs,
    builds: false,
  },
];
console.log('');
console.log('owned objects (one per app; they keep the signing chain\'s first step for the current second)');
for (const op of ownedOperations) printComparison(op);

// --------------------------------------------------------------------------------- size sweep

/**
 * Payload sizes: an RTC token for a user account of `size` bytes (sweepAccount in
 * bench/inputs.mjs), built and verified by both. The packed payload is the account plus ~130 bytes.
 */
const SWEEP_SIZES = [1, 64, 512, 2048, 8192, 16384, 65_000];
const sizeLabel = (n: number): string => (n >= 1024 ? `${Math.ceil(n / 1024)} KB` : `${n} B`);
console.log('');
console.log(`size sweep: RTC user-account token, account of N bytes (payload ≈ N + 130 B); build and verify; ${QUICK ? 2 : 5} rounds × ~${QUICK ? 40 : 100} ms per side`);
console.log(`${pad('payload', 10)}${lpad('build ours ns', 16)}${lpad('agora-token ns', 16)}${lpad('ratio', 8)}${lpad('verify ours ns', 16)}${lpad('agora-token ns', 16)}${lpad('ratio', 8)}`);
const bigLimit = { maxPayloadBytes: 128 * 1024, maxTokenLength: 256 * 1024 };
for (const size of SWEEP_SIZES) {
  const accounts = Array.from({ length: 8 }, (_, k) => sweepAccount(size, k));
  const build: Operation = {
    name: `build ${sizeLabel(size)}`,
    ours: (i) => ours.RtcTokenBuilder2.buildTokenWithUserAccount(APP_ID, APP_CERTIFICATE, 'room1', accounts[i & 7], PUBLISHER, EXPIRE, EXPIRE),
    theirs: (i) => (theirs.RtcTokenBuilder as unknown as {
      buildTokenWithUserAccount(a: string, c: string, ch: string, acc: string, r: number, t: number, p: number): string;
    }).buildTokenWithUserAccount(APP_ID, APP_CERTIFICATE, 'room1', accounts[i & 7], theirs.RtcRole.PUBLISHER, EXPIRE, EXPIRE),
    builds: true,
  };
  const tokens = accounts.map((_, k) => build.ours(k) as string);
  // issueTs may tick between the two calls; rebuild once before calling it a mismatch.
  const theirToken = build.theirs(0) as string;
  if (comparablePayload(tokens[0]) !== comparablePayload(theirToken) && comparablePayload(build.ours(0) as string) !== comparablePayload(theirToken)) {
    throw new Error(`sweep ${size}: the libraries packed different payloads`);
  }
  const verify: Operation = {
    name: `verify ${sizeLabel(size)}`,
    ours: (i) => verifyToken(tokens[i & 7], APP_CERTIFICATE, bigLimit).appId === APP_ID,
    theirs: (i) => theirVerify(tokens[i & 7]),
    builds: false,
  };
  if (!verify.theirs(0) || !verify.ours(0)) throw new Error(`sweep ${size}: a side did not verify`);
  const rounds = QUICK ? 2 : 5;
  const slice = QUICK ? 40 : 100;
  const b = compare(build, rounds, slice, 200);
  const v = compare(verify, rounds, slice, 200);
  console.log(`${pad(sizeLabel(size), 10)}${lpad(fmtInt(b.oursNs), 16)}${lpad(fmtInt(b.theirsNs), 16)}${lpad(`${b.ratio.toFixed(2)}×`, 8)}${lpad(fmtInt(v.oursNs), 16)}${lpad(fmtInt(v.theirsNs), 16)}${lpad(`${v.ratio.toFixed(2)}×`, 8)}`);
}

// ----------------------------------------------------------------------------------------- 006

const THEIRS006 = `agora-access-token ${theirs006Version}`;
const ROLE006_PUBLISHER = 1;
const op006: Operation = {
  name: '006 RTC buildTokenWithUid',
  ours: (i) => ours.RtcTokenBuilder.buildTokenWithUid(APP_ID, APP_CERTIFICATE, channels[i & INPUT_MASK], uids[i & INPUT_MASK], ROLE006_PUBLISHER, startTs + EXPIRE),
  theirs: (i) => theirs006.RtcTokenBuilder.buildTokenWithUid(APP_ID, APP_CERTIFICATE, channels[i & INPUT_MASK], uids[i & INPUT_MASK], ROLE006_PUBLISHER, startTs + EXPIRE),
  builds: true,
};
console.log('');
console.log('006 (legacy AccessToken)');
printComparison(op006, THEIRS006, 'agora-access-token');

// ------------------------------------------------------------------------------- CJS vs ESM

{
  // Both builds in one process, timed in interleaved slices like the rest of this bench, in
  // fresh processes (script files that load the package by name, as an app does): in half of
  // them the CommonJS build is loaded first, in the other half the ES module. Of two copies of the
  // same code in one process, the one loaded first can run faster, so one order alone may compare
  // load orders; the geometric mean of the two orders' medians cancels that. A slow spell of the
  // machine lasts a whole process and slows both copies alike, so a process's ratio holds.
  const dir = join(root, 'test-output', 'cjs-esm');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'both.mjs');
  writeFileSync(script, `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
// The CommonJS entry requires its chunk when a name is first read: read it at load.
const load = {
  cjs: () => { const m = require('agora-access-token2'); void m.ChatTokenBuilder2; return m; },
  esm: () => import('agora-access-token2'),
};
const lib = {};
for (const kind of process.argv[2] === 'cjs' ? ['cjs', 'esm'] : ['esm', 'cjs']) lib[kind] = await load[kind]();
const run = (l, i) => l.ChatTokenBuilder2.buildUserToken('${APP_ID}', '${APP_CERTIFICATE}', 'user_' + (i & 1023), 3600).length;
let sink = 0;
const slice = (l) => {
  let n = 0;
  const t0 = performance.now();
  let t;
  do { for (let i = 0; i < 256; i++) sink += run(l, n + i); n += 256; } while ((t = performance.now() - t0) < ${QUICK ? 30 : 60});
  return (t * 1e6) / n;
};
for (let i = 0; i < 20000; i++) sink += run(lib.cjs, i) + run(lib.esm, i);
const ratios = [];
for (let r = 0; r < ${QUICK ? 5 : 15}; r++) {
  let c, e;
  if (r % 2) { c = slice(lib.cjs); e = slice(lib.esm); } else { e = slice(lib.esm); c = slice(lib.cjs); }
  ratios.push(c / e);
}
ratios.sort((a, b) => a - b);
process.stdout.write(String(sink > 0 ? ratios[ratios.length >> 1] : 0));
`);
  const perOrder = { cjs: [] as number[], esm: [] as number[] };
  const processes = QUICK ? 1 : 3;
  for (let r = 0; r < processes; r++) {
    for (const first of r % 2 ? (['esm', 'cjs'] as const) : (['cjs', 'esm'] as const)) {
      const result = spawnSync(process.execPath, [script, first], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      if (result.status !== 0) throw new Error(`CJS vs ESM (${first} first): ${result.stderr}`);
      perOrder[first].push(Number(String(result.stdout)));
    }
  }
  const cjsFirst = median(perOrder.cjs);
  const esmFirst = median(perOrder.esm);
  const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(3)).join(', ');
  console.log('');
  console.log(`CommonJS vs ESM build (Chat user token, both in each of ${2 * processes} fresh processes, half with each loaded first): CJS/ESM time ${Math.sqrt(cjsFirst * esmFirst).toFixed(3)} (CommonJS loaded first: ${fmt(perOrder.cjs)}; ESM first: ${fmt(perOrder.esm)})`);
}

// ------------------------------------------------------------------------------- cold start

{
  // Each script is its two statements: load the library, then build one Chat user token.
  type Script = readonly [load: string, build: string];
  const ourScript = (kind: 'cjs' | 'esm'): Script => [
    kind === 'cjs' ? "const { ChatTokenBuilder2 } = require('agora-access-token2')" : "import { ChatTokenBuilder2 } from 'agora-access-token2'",
    `ChatTokenBuilder2.buildUserToken('${APP_ID}', '${APP_CERTIFICATE}', 'alice', 3600)`,
  ];
  const theirScript = (kind: 'cjs' | 'esm'): Script => [
    kind === 'cjs' ? "const { ChatTokenBuilder } = require('agora-token')" : "import agora from 'agora-token'",
    `${kind === 'cjs' ? '' : 'agora.'}ChatTokenBuilder.buildUserToken('${APP_ID}', '${APP_CERTIFICATE}', 'alice', 3600)`,
  ];
  const plain = ([load, build]: Script): string => `${load};\n${build};\n`;
  // The same require-and-build, timed inside the process: the load, then the first token.
  const timed = ([load, build]: Script): string =>
    `const t0 = process.hrtime.bigint();\n${load};\nconst t1 = process.hrtime.bigint();\n${build};\n`
    + 'process.stdout.write(`${Number(t1 - t0) / 1e6} ${Number(process.hrtime.bigint() - t1) / 1e6}`);\n';
  // Script files, as a handler or a script is run (`node -e` starts with Node's crypto and stream
  // modules already loaded, which hides ~5 ms that both libraries pay for their random source or
  // hashing). They sit inside this package's directory (test-output/, ignored by git) so that both
  // names resolve as in an app: agora-token from node_modules, this package through its own
  // `exports` map.
  const scriptDir = join(root, 'test-output', 'cold-start');
  mkdirSync(scriptDir, { recursive: true });
  const script = (name: string, text: string): string => {
    const file = join(scriptDir, name);
    writeFileSync(file, text);
    return file;
  };
  const runs = QUICK ? 5 : 21;
  const variants: Array<[string, string[]]> = [
    ['empty node', [script('empty.cjs', '')]],
    ['ours require', [script('ours.cjs', plain(ourScript('cjs')))]],
    ['agora-token require', [script('agora-token.cjs', plain(theirScript('cjs')))]],
    ['ours import', [script('ours.mjs', plain(ourScript('esm')))]],
    ['agora-token import', [script('agora-token.mjs', plain(theirScript('esm')))]],
    ['ours timed', [script('ours-timed.cjs', timed(ourScript('cjs')))]],
    ['agora-token timed', [script('agora-token-timed.cjs', timed(theirScript('cjs')))]],
  ];
  const times = new Map<string, number[]>(variants.map(([name]) => [name, []]));
  // What the timed scripts print: the load and the first token, each run.
  const inside = new Map<string, { load: number[]; first: number[] }>(
    variants.filter(([name]) => name.endsWith(' timed')).map(([name]) => [name, { load: [], first: [] }]),
  );
  for (let r = 0; r < runs; r++) {
    for (const [name, argv] of r % 2 ? variants : [...variants].reverse()) {
      const t0 = process.hrtime.bigint();
      const result = spawnSync(process.execPath, argv, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (result.status !== 0) throw new Error(`cold start ${name}: ${result.stderr}`);
      times.get(name)!.push(ms);
      const printed = inside.get(name);
      if (printed) {
        const [load, first] = String(result.stdout).split(' ').map(Number);
        printed.load.push(load);
        printed.first.push(first);
      }
    }
  }
  const base = median(times.get('empty node')!);
  console.log('');
  console.log(`cold start: a fresh process runs a script file that loads the package by name and builds one Chat user token; ${runs} runs each, alternating; medians (and minus an empty node, ${base.toFixed(1)} ms)`);
  for (const kind of ['require', 'import']) {
    const a = median(times.get(`ours ${kind}`)!);
    const b = median(times.get(`agora-token ${kind}`)!);
    console.log(`${pad(kind, 10)}ours ${a.toFixed(1)} ms (+${(a - base).toFixed(1)})   agora-token ${b.toFixed(1)} ms (+${(b - base).toFixed(1)})   ours/theirs ${(a / b).toFixed(3)} (${((a - base) / (b - base)).toFixed(2)} of the load cost)`);
  }
  const ours = inside.get('ours timed')!;
  const theirs = inside.get('agora-token timed')!;
  const both = (t: { load: number[]; first: number[] }): number => median(t.load.map((load, i) => load + t.first[i]));
  console.log(`inside the process (require, medians): load ours ${median(ours.load).toFixed(1)} ms, agora-token ${median(theirs.load).toFixed(1)} ms; first token ours ${median(ours.first).toFixed(1)} ms, agora-token ${median(theirs.first).toFixed(1)} ms; both ours ${both(ours).toFixed(1)} ms, agora-token ${both(theirs).toFixed(1)} ms`);
  console.log('  (agora-token loads node:crypto when required; ours loads Web Crypto at the first token, for its salt: ~5 ms of either, in a process that has not loaded them)');
}

// ------------------------------------------------------------------------------------- heap

console.log('');
console.log('heap allocated per built token (JS heap, GC-profiler accounting; + ArrayBuffer bytes outside the heap)');
console.log(`${pad('operation', 30)}${lpad('ours', 28)}${lpad('peer', 28)}`);
for (const op of [...operations.filter((o) => o.builds), ownedOperations[0], op006]) {
  const a = heapPerCall(op.ours, 50_000);
  const b = heapPerCall(op.theirs, 10_000);
  const cell = (c: HeapCost): string => `${fmtBytes(c.heap)} + ${fmtBytes(c.arrayBuffers)} AB`;
  console.log(`${pad(op.name, 30)}${lpad(cell(a), 28)}${lpad(cell(b), 28)}`);
}
// Read the sink once, so that every result counts as used.
if (sink === 0.5) console.log('unreachable');
