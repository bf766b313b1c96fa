// Loopback load, three servers one after another in one run, each a child process:
//   1. bare node:http answering constant JSON (the ceiling),
//   2. `agora-access-token2 serve --quiet` (dist/cli.js),
//   3. Express 5 + agora-token (what users write today),
// with autocannon in this process (32 connections, Accept: application/json) on
// GET /rtc/room1/publisher/uid/42, a token built per request. The machine has 2 cores: the
// server under test gets one, autocannon the other; every server meets the same client, and
// each gets a warm-up before it is measured. Then the Chat user-token case on serve
// (1000 distinct users, embedded directory). Prints req/s and the server process's CPU time per
// request (from /proc: a measure the client's speed cannot flatter), the two ratios by both,
// errors and non-2xx
// (must be 0), and verifies a sample of the returned tokens with verifyToken.
// serve runs with --rate-limit off: this measures the request path, not the limiter's 429s
// (`npm run bench:abuse` measures serve with authentication and rate limits on).
// `npm run bench:load` (after `npm run build`); LOAD_SECONDS, LOAD_WARMUP_SECONDS, LOAD_CONNECTIONS.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { APP_ID, CERT, cpuSeconds, start } from './processes.mjs';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const library = new URL('../dist/index.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('bench/load.mjs: dist/cli.js is missing; run `npm run build` first');
  process.exit(2);
}
const { verifyToken } = await import(library.href);

const DURATION = Number(process.env.LOAD_SECONDS ?? 10);
const WARMUP = Number(process.env.LOAD_WARMUP_SECONDS ?? 2);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 32);
const USERS = 1000;
const RTC_PATH = '/rtc/room1/publisher/uid/42';
const SERVE = ['serve', '--port', '0', '--quiet', '--rate-limit', 'off', '--register-rate-limit', 'off'];

/** autocannon on `url`: warm-up, then the measured run; samples every 97th body. */
async function load(url, pid, path) {
  const options = { url, connections: CONNECTIONS, headers: { accept: 'application/json' } };
  let n = 0;
  const samples = [];
  const requests = [{
    method: 'GET',
    setupRequest: (request) => ({ ...request, path: typeof path === 'function' ? path(n++) : path }),
    onResponse: (status, body) => {
      if (samples.length < 200 && n % 97 === 0) samples.push(body);
    },
  }];
  if (WARMUP > 0) await autocannon({ ...options, duration: WARMUP, requests });
  samples.length = 0;
  const cpuBefore = cpuSeconds(pid);
  const result = await autocannon({ ...options, duration: DURATION, requests });
  const cpu = cpuBefore === undefined ? undefined : cpuSeconds(pid) - cpuBefore;
  // Server CPU per request: what a request costs the server, whether or not the client kept up.
  return { result, samples, cpuMicros: cpu === undefined ? undefined : (cpu * 1e6) / result.requests.total };
}

function report(name, { result, cpuMicros }) {
  const errors = result.errors + result.timeouts;
  const cpu = cpuMicros === undefined ? '' : `  server CPU ${cpuMicros.toFixed(1)} µs/req`;
  console.log(`  ${name.padEnd(38)} ${String(Math.round(result.requests.average)).padStart(7)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms${cpu}  errors ${errors}  non-2xx ${result.non2xx}`);
  if (errors > 0 || result.non2xx > 0) process.exitCode = 1;
  return { rate: result.requests.average, cpuMicros };
}

function ratio(label, ours, other, target) {
  const byRate = ours.rate / other.rate;
  const byCpu = ours.cpuMicros && other.cpuMicros ? other.cpuMicros / ours.cpuMicros : undefined;
  console.log(`  ${label.padEnd(38)} ${byRate.toFixed(2)}x by req/s${byCpu === undefined ? '' : `, ${byCpu.toFixed(2)}x by server CPU per request`}  (target >= ${target}x)`);
}

/** Verifies every sampled body's token(s); returns how many. */
function verify(samples, check) {
  if (samples.length === 0) process.exitCode = 1;
  for (const body of samples) check(JSON.parse(body));
  return samples.length;
}

async function run(args, path) {
  const server = await start(args);
  try {
    return await load(server.url, server.pid, path);
  } finally {
    await server.stop();
  }
}

const rtcCheck = (body) => verifyToken(body.rtcToken, CERT, {
  appId: APP_ID, service: 'rtc', privilege: 'publishVideoStream', channelName: 'room1', uid: 42,
});

console.log(`GET ${RTC_PATH}, Accept: application/json, ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s each, node ${process.version}, autocannon in the bench process`);
const bare = await run([fileURLToPath(new URL('./load-servers/bare-node.mjs', import.meta.url))], RTC_PATH);
const ours = await run([cli, ...SERVE], RTC_PATH);
const express = await run([fileURLToPath(new URL('./load-servers/express-agora-token.mjs', import.meta.url))], RTC_PATH);
const bareRate = report('bare node:http, constant JSON', bare);
const ourRate = report('agora-access-token2 serve', ours);
const expressRate = report('Express 5 + agora-token', express);
ratio('serve / bare node:http', ourRate, bareRate, '0.40');
ratio('serve / Express 5 + agora-token', ourRate, expressRate, '4');
console.log('  (2 cores: when autocannon, not the server, is the limit, req/s ratios flatter the faster server;');
console.log('   server CPU per request measures each server\'s own cost and does not depend on the client)');
const verified = verify(ours.samples, rtcCheck) + verify(express.samples, rtcCheck);
console.log(`  verified ${verified} sampled RTC tokens (serve and Express) with verifyToken: channel room1, uid 42, publisher`);

console.log(`\nGET /chat/user/{name}/token on serve (embedded directory), ${USERS} users, same load`);
const chat = await run([cli, ...SERVE], (n) => `/chat/user/user-${n % USERS}/token`);
report('agora-access-token2 serve, Chat user', chat);
const chatVerified = verify(chat.samples, (body) => verifyToken(body.token, CERT, { appId: APP_ID, service: 'chat', privilege: 'user' }));
console.log(`  verified ${chatVerified} sampled Chat user tokens with verifyToken`);
