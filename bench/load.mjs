// Loopback load on `agora-access-token2 serve` (dist/cli.js, demo credentials, embedded user
// directory): 10 s of autocannon on the Chat user-token endpoint for 1000 distinct users, JSON
// answers. Prints requests/s, latency p50/p99, errors and non-2xx answers, and checks a sample
// of the tokens it returned with verifyToken. Run `npm run build` first; `npm run bench:load`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const library = new URL('../dist/index.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('bench/load.mjs: dist/cli.js is missing; run `npm run build` first');
  process.exit(2);
}
const { verifyToken } = await import(library.href);

const DURATION = Number(process.env.LOAD_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 32);
const USERS = 1000;

const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AGORA_|PORT$)/.test(name)));
const server = spawn(process.execPath, [cli, 'serve', '--port', '0', '--quiet'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
let banner = '';
const { url, certificate } = await new Promise((resolve, reject) => {
  server.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${banner}`)));
  server.stdout.on('data', (chunk) => {
    banner += chunk;
    const url = /listening on (http:\/\/[\d.:]+)/.exec(banner)?.[1];
    const certificate = /AGORA_APP_CERTIFICATE=([0-9a-f]{32})/.exec(banner)?.[1];
    if (url && certificate) resolve({ url, certificate });
  });
});

let n = 0;
const samples = [];
const result = await autocannon({
  url,
  connections: CONNECTIONS,
  duration: DURATION,
  headers: { accept: 'application/json' },
  requests: [{
    method: 'GET',
    setupRequest: (request) => ({ ...request, path: `/chat/user/user-${n++ % USERS}/token` }),
    onResponse: (status, body) => {
      if (samples.length < 200 && n % 97 === 0) samples.push(body);
    },
  }],
});
server.kill('SIGTERM');

let verified = 0;
for (const body of samples) {
  const { token } = JSON.parse(body);
  verifyToken(token, certificate, { service: 'chat', privilege: 'user' });
  verified++;
}

const errors = result.errors + result.timeouts;
console.log(`serve, GET /chat/user/{name}/token (JSON), ${USERS} users, ${CONNECTIONS} connections, ${DURATION} s, node ${process.version}`);
console.log(`  requests/s  ${Math.round(result.requests.average)} (total ${result.requests.total})`);
console.log(`  latency     p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`);
console.log(`  errors      ${errors}, non-2xx ${result.non2xx}`);
console.log(`  verified    ${verified} sampled tokens with verifyToken`);
if (errors > 0 || result.non2xx > 0 || verified === 0) process.exitCode = 1;
