/**
 * The token server in Cloudflare's runtime: a Worker module that imports
 * `agora-access-token2/server` (bundled by esbuild from the package's exports), run by `workerd`
 * on a loopback port, with the Chat REST API played by the fake. Its Chat app and user tokens
 * must verify. The Worker keeps no state of its own: users live in the REST API, so any number
 * of instances can serve.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyToken, type DecodedToken007 } from '../src/index';
import { startFakeChatRest, type FakeChatRest } from './helpers/fake-chat-rest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WORKERD = join(ROOT, 'node_modules/.bin/workerd');
const SERVER_BUILD = join(ROOT, 'dist/server/index.js');
const BUNDLE = join(ROOT, 'dist/browser/agora-access-token2.js');
const PAGE_SCRIPT = join(ROOT, 'dist/browser/page.js');
const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERT = '5cfd2fd1755d40ecb72977518be15d3b';

const WORKER = `
import { createTokenServer, tokenServerOptionsFromEnv } from 'agora-access-token2/server';
import browserBundle from 'agora-access-token2.js.txt';
import pageScript from 'page.js.txt';

let server;
export default {
  fetch(request, env) {
    server ??= createTokenServer({ ...tokenServerOptionsFromEnv(env), browserBundle, pageScript });
    return server.fetch(request);
  },
};
`;

function capnp(bindings: Record<string, string>): string {
  const text = Object.entries(bindings).map(([name, value]) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`);
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .tokenWorker),
    (name = "loopback", network = (allow = ["local", "private"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "main") ],
);
const tokenWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "agora-access-token2.js.txt", text = embed "agora-access-token2.js"),
    (name = "page.js.txt", text = embed "page.js"),
  ],
  compatibilityDate = "2024-09-23",
  bindings = [ ${text.join(', ')} ],
  globalOutbound = "loopback",
);
`;
}

const missing = !existsSync(WORKERD) ? 'node_modules/.bin/workerd is not installed' : !existsSync(SERVER_BUILD) ? 'dist/server/index.js is missing (npm run build)' : undefined;
if (missing) console.log(`server.workerd.test.ts skipped: ${missing}`);

describe.skipIf(missing !== undefined)('the token server on workerd', () => {
  let fake: FakeChatRest;
  let workerd: ChildProcess;
  let dir: string;
  let url: string;
  let log = '';

  beforeAll(async () => {
    fake = await startFakeChatRest({ appId: APP_ID, appCertificate: CERT });
    dir = mkdtempSync(join(tmpdir(), 'token-workerd-'));
    await build({
      stdin: { contents: WORKER, resolveDir: ROOT, sourcefile: 'worker.js' },
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'import'],
      mainFields: ['module', 'main'], // as Worker bundlers resolve CommonJS-only dependencies (crc-32)
      external: ['agora-access-token2.js.txt', 'page.js.txt'],
      outfile: join(dir, 'worker.js'),
      logLevel: 'silent',
    });
    writeFileSync(join(dir, 'agora-access-token2.js'), readFileSync(BUNDLE));
    writeFileSync(join(dir, 'page.js'), readFileSync(PAGE_SCRIPT));
    writeFileSync(join(dir, 'config.capnp'), capnp({
      AGORA_APP_ID: APP_ID,
      AGORA_APP_CERTIFICATE: CERT,
      AGORA_CHAT_APP_KEY: `${fake.org}#${fake.app}`,
      AGORA_CHAT_REST_HOST: fake.url,
    }));
    // workerd reports the port it bound (we asked for 0) on the control descriptor, fd 3.
    workerd = spawn(WORKERD, ['serve', 'config.capnp', '--control-fd=3'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    workerd.stdout!.on('data', (chunk) => (log += chunk));
    workerd.stderr!.on('data', (chunk) => (log += chunk));
    const port = await new Promise<number>((resolve, reject) => {
      let control = '';
      const timer = setTimeout(() => reject(new Error(`workerd did not start within 15 s:\n${log}`)), 15_000);
      workerd.on('exit', (code) => reject(new Error(`workerd exited with ${code}:\n${log}`)));
      (workerd.stdio[3] as NodeJS.ReadableStream).on('data', (chunk) => {
        control += chunk;
        const match = /"event":"listen","socket":"http","port":(\d+)/.exec(control);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
    });
    url = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (workerd && workerd.exitCode === null) {
      await new Promise((resolve) => {
        workerd.once('exit', resolve);
        workerd.kill('SIGTERM');
      });
    }
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('bundles the Worker from the package export, free of Node built-ins', () => {
    const code = readFileSync(join(dir, 'worker.js'), 'utf8');
    expect(code).toContain('createTokenServer');
    expect(code).not.toMatch(/from\s*["']node:|require\(["']node:/);
  });

  it('GET /chat/app/token: an app token that verifies', async () => {
    const response = await fetch(`${url}/chat/app/token`);
    expect(response.status).toBe(200);
    verifyToken(await response.text(), CERT, { appId: APP_ID, service: 'chat', privilege: 'app' });
  });

  it('GET /chat/user/{name}/token: the user is registered through the REST API; the token verifies', async () => {
    const response = await fetch(`${url}/chat/user/wanda/token`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; expire: number; expiresAt: number };
    const decoded = verifyToken(body.token, CERT, { appId: APP_ID, service: 'chat', privilege: 'user' }) as DecodedToken007;
    expect(decoded.services[0].userId).toBe(fake.users.get('wanda')!.uuid);
    expect(body.expiresAt).toBe(decoded.expiresAt);
    expect(fake.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 404', 'POST 200']);
    // The fake accepted the Worker's Bearer app token (it checks it with verifyToken).
    verifyToken(fake.requests[0].token!, CERT, { service: 'chat', privilege: 'app' });
  });

  it('answers errors as JSON and serves the page', async () => {
    const bad = await fetch(`${url}/chat/user/No!/token`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_username' });
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Agora Chat tokens');
    expect(log).not.toContain(CERT);
  });
});
