// `serve` exposed, under load on loopback (autocannon in this process, the server a child process):
//   A. authentication and rate limits on: every request carries its connection's own JWT
//      (ES256, verified against a JWKS this process serves), GET /chat/user/{that user}/token;
//      three runs against one server process, its RSS sampled every second and after each run.
//      Allowed requests (200) must have 0 errors; 429s are the limiter, counted apart; a sample
//      of tokens is verified and must be for the JWT's user.
//   B. one client over its limit: autocannon floods from 127.0.0.1 (default 120/m per address),
//      while another client on 127.0.0.2 asks once every 600 ms (under its limit): the flood
//      must get 429s and every request of the other client a 200.
// `npm run bench:abuse` (after `npm run build`); ABUSE_SECONDS (30), ABUSE_CONNECTIONS (64),
// ABUSE_RUNS (3), ABUSE_USER_RATE (per-user limit of run A, default 6000/m).
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { APP_ID, CERT, cpuSeconds, rssMiB, start } from './processes.mjs';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('bench/abuse.mjs: dist/cli.js is missing; run `npm run build` first');
  process.exit(2);
}
const { verifyToken } = await import(new URL('../dist/index.js', import.meta.url).href);

const DURATION = Number(process.env.ABUSE_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.ABUSE_CONNECTIONS ?? 64);
const RUNS = Number(process.env.ABUSE_RUNS ?? 3);
const USER_RATE = process.env.ABUSE_USER_RATE ?? '6000/m';
const ISSUER = 'https://login.bench/';
const AUDIENCE = 'chat-tokens';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts of one autocannon result: allowed (2xx), limited (429), errors (anything else). */
function outcome(result) {
  const limited = result.statusCodeStats?.['429']?.count ?? 0;
  return { allowed: result['2xx'], limited, errors: result.errors + result.timeouts + (result.non2xx - limited) };
}

/** Samples the server's RSS every second while `work` runs; resolves with its result and the peak. */
async function withRss(pid, work) {
  let peak = rssMiB(pid) ?? 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid) ?? 0);
  }, 1000);
  try {
    return { value: await work(), peak };
  } finally {
    clearInterval(timer);
  }
}

// --- A: JWT per request, rate limits on -------------------------------------------------------
const keys = await generateKeyPair('ES256');
const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'bench', alg: 'ES256', use: 'sig' };
const jwks = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
});
await new Promise((resolve) => jwks.listen(0, '127.0.0.1', resolve));
const jwksUrl = `http://127.0.0.1:${jwks.address().port}/jwks.json`;
const users = Array.from({ length: CONNECTIONS }, (_, i) => `user-${i}`);
const tokens = await Promise.all(users.map((sub) => new SignJWT({})
  .setProtectedHeader({ alg: 'ES256', kid: 'bench' }).setSubject(sub).setIssuer(ISSUER).setAudience(AUDIENCE)
  .setIssuedAt().setExpirationTime('2h').sign(keys.privateKey)));

const authed = await start([cli, 'serve', '--port', '0', '--quiet', '--token-subject', 'username',
  '--jwks-url', jwksUrl, '--jwt-issuer', ISSUER, '--jwt-audience', AUDIENCE, '--rate-limit', USER_RATE]);
console.log(`A. serve with --jwks-url (ES256), --rate-limit ${USER_RATE} per JWT user, registration limit 20/h (default);`);
console.log(`   ${CONNECTIONS} connections, each its own user and JWT on every request, GET /chat/user/{user}/token, ${DURATION} s x ${RUNS}, node ${process.version}`);
console.log(`   server RSS at start ${rssMiB(authed.pid)?.toFixed(1)} MiB`);
const rssAfter = [];
let failed = false;
try {
  for (let run = 1; run <= RUNS; run++) {
    let next = 0;
    const samples = [];
    const requests = [{
      method: 'GET',
      setupRequest: (request, context) => {
        context.user ??= next++ % CONNECTIONS;
        return { ...request, path: `/chat/user/${users[context.user]}/token`, headers: { ...request.headers, authorization: `Bearer ${tokens[context.user]}` } };
      },
      onResponse: (status, body, context) => {
        if (status === 200 && samples.length < 300 && Math.random() < 0.01) samples.push({ user: users[context.user], body });
      },
    }];
    const cpuBefore = cpuSeconds(authed.pid);
    const { value: result, peak } = await withRss(authed.pid, () => autocannon({
      url: authed.url, connections: CONNECTIONS, duration: DURATION, headers: { accept: 'application/json' }, requests,
    }));
    const cpu = cpuSeconds(authed.pid) - cpuBefore;
    await sleep(1000);
    const rss = rssMiB(authed.pid);
    rssAfter.push(rss);
    const { allowed, limited, errors } = outcome(result);
    for (const { user, body } of samples) {
      const decoded = verifyToken(JSON.parse(body).token, CERT, { appId: APP_ID, service: 'chat', privilege: 'user' });
      if (decoded.services[0].userId !== user) throw new Error(`a token for ${decoded.services[0].userId} went to ${user}`);
    }
    console.log(`   run ${run}: ${Math.round(result.requests.average)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  `
      + `server CPU ${((cpu * 1e6) / result.requests.total).toFixed(0)} µs/req  allowed ${allowed}  429 ${limited}  errors ${errors}  `
      + `RSS peak ${peak.toFixed(1)} MiB, after ${rss?.toFixed(1)} MiB  verified ${samples.length} tokens (right user)`);
    if (errors > 0 || allowed === 0) failed = true;
  }
} finally {
  await authed.stop();
  jwks.close();
}
const growth = rssAfter.at(-1) - rssAfter[0];
const flat = Math.abs(growth) <= Math.max(8, rssAfter[0] * 0.1);
console.log(`   RSS after each run: ${rssAfter.map((r) => r.toFixed(1)).join(', ')} MiB; run ${RUNS} - run 1 = ${growth.toFixed(1)} MiB (${flat ? 'flat' : 'NOT flat'}: within max(8 MiB, 10%))`);
if (!flat) failed = true;

// --- B: one client over its limit, another served -----------------------------------------------
const open = await start([cli, 'serve', '--port', '0', '--quiet']);
console.log(`\nB. serve with its default limits (120/m token requests per address, no JWT); GET /rtc/room1/publisher/uid/42`);
console.log(`   flood: autocannon from 127.0.0.1, ${CONNECTIONS} connections, ${DURATION} s; meanwhile a client on 127.0.0.2 asks every 600 ms`);
try {
  const { port } = new URL(open.url);
  const polite = [];
  let flooding = true;
  const politeClient = (async () => {
    while (flooding) {
      const started = performance.now();
      const status = await new Promise((resolve) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/rtc/room1/publisher/uid/42', localAddress: '127.0.0.2', agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
        req.on('error', () => resolve(0));
        req.end();
      });
      polite.push({ status, ms: performance.now() - started });
      await sleep(600);
    }
  })();
  const result = await autocannon({ url: `${open.url}/rtc/room1/publisher/uid/42`, connections: CONNECTIONS, duration: DURATION });
  flooding = false;
  await politeClient;
  const flood = outcome(result);
  const politeOk = polite.filter((p) => p.status === 200).length;
  const slowest = Math.max(...polite.map((p) => p.ms));
  console.log(`   flood:  ${Math.round(result.requests.average)} req/s answered  allowed ${flood.allowed}  429 ${flood.limited}  errors ${flood.errors}`);
  console.log(`   other client: ${politeOk}/${polite.length} answered 200, slowest ${slowest.toFixed(1)} ms`);
  if (flood.limited === 0 || flood.errors > 0 || politeOk !== polite.length || polite.length === 0) failed = true;
} finally {
  await open.stop();
}
console.log('\n(loopback on a shared 2-core machine: autocannon and the server compete for CPU; req/s vary run to run)');
if (failed) {
  console.log('FAILED: see the lines above');
  process.exitCode = 1;
}
