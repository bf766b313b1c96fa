/*
 * Fuzzes decodeToken / verifyToken with ≥ 1,000,000 hostile inputs and prints
 * `cases, non-TokenError exceptions, false accepts`.
 *
 *   npm run bench:fuzz                 # 1,000,000 cases, seed 1
 *   npx vite-node bench/fuzz.ts -- 200000 7   # cases, seed
 *
 * Inputs: every golden token (007 and 006) mutated in its text (bit flips, substitutions,
 * insertions, deletions, truncations, repeats) or in its payload (bytes, u16 counts and lengths
 * set to 0/0x7fff/0x8000/0xffff …, truncation, insertion) and re-packed; random strings behind
 * "007", "006" or nothing; random bytes behind "007" (raw and zlib-wrapped) and "006" + app ID.
 * Each input is decoded and verified in strict and lenient mode with the seed's certificate
 * (and 006 channel/uid). A false accept is an input that verifies while the bytes its
 * signature covers differ from the seed's.
 */
import { deflateSync } from 'node:zlib';
import { makeRng } from '../test/support/deflate-payloads';
import { examine, loadSeeds, mutatePayload, mutateText, packPayload, type Finding } from '../test/support/token-fuzz';

const args = process.argv.slice(2).filter((a) => a !== '--');
const total = Number(args[0] ?? 1_000_000);
const rng = makeRng(Number(args[1] ?? 1));
const APP_ID = '970CA35de60c44645bbae8a215061b33';
const PREFIXES = ['', '007', '006', `006${APP_ID}`, '007eJ'];

function randomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng() & 0xff;
  return out;
}

function randomString(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(rng() % 8 === 0 ? rng() & 0xffff : 32 + (rng() % 95));
  return s;
}

const seeds = loadSeeds();
const counts = { textMutation: 0, payloadMutation: 0, randomString: 0, randomBytes: 0 };
const findings: Finding[] = [];
let nonTokenErrors = 0;
let falseAccepts = 0;
const started = performance.now();

for (let i = 0; i < total; i++) {
  const seed = seeds[rng() % seeds.length];
  const r = rng() % 100;
  let input: string;
  if (r < 45) {
    counts.textMutation++;
    input = mutateText(rng, seed.token);
  } else if (r < 75) {
    counts.payloadMutation++;
    let payload = mutatePayload(rng, seed.payload);
    if (rng() % 3 === 0) payload = mutatePayload(rng, payload);
    input = packPayload(seed, payload, rng() % 10);
  } else if (r < 85) {
    counts.randomString++;
    input = PREFIXES[rng() % PREFIXES.length] + randomString(rng() % 200);
  } else {
    counts.randomBytes++;
    const bytes = randomBytes(rng() % 300);
    const kind = rng() % 3;
    input = kind === 0 ? `007${Buffer.from(bytes).toString('base64')}`
      : kind === 1 ? `007${deflateSync(bytes).toString('base64')}`
      : `006${APP_ID}${Buffer.from(bytes).toString('base64')}`;
  }
  const finding = examine(input, seed);
  if (finding) {
    if (finding.kind === 'nonTokenError') nonTokenErrors++;
    else falseAccepts++;
    if (findings.length < 10) findings.push(finding);
  }
  if ((i + 1) % 100_000 === 0) {
    console.error(`  ${i + 1} cases, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

const seconds = (performance.now() - started) / 1000;
for (const f of findings) console.log(`${f.kind}: ${f.detail}`);
console.log(`inputs: ${JSON.stringify(counts)} from ${seeds.length} golden tokens; ${seconds.toFixed(1)} s`);
console.log(`cases: ${total}, non-TokenError exceptions: ${nonTokenErrors}, false accepts: ${falseAccepts}`);
if (nonTokenErrors > 0 || falseAccepts > 0) process.exitCode = 1;
