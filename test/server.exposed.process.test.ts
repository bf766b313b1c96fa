/**
 * `agora-access-token2 serve` as a real process, exposed the way the flags set it up: JWT
 * authentication against a JWKS on loopback, the Host allowlist, per-client rate limits (two
 * clients on two loopback addresses), connection limits and idle timeouts.
 */
import { readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeToken, verifyToken, type DecodedToken007 } from '../src/index';
import { startFakeChatRest } from './helpers/fake-chat-rest';
import { httpFrom, type HttpAnswer } from './helpers/http-from';
import { requireBuiltCli, runCli, startCli } from './helpers/run-cli';
import { startStubHost, type StubHost } from './helpers/stub-host';

const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERT = '5cfd2fd1755d40ecb72977518be15d3b';
const ENV = { AGORA_APP_ID: APP_ID, AGORA_APP_CERTIFICATE: CERT };
const ISSUER = 'https://login.test/';
const AUDIENCE = 'chat-tokens';
const SECRET = 'server-to-server-secret-0123456789';
/** The last banner line (access: …) ends the banner. */
const READY = /access: .*\n/;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
type Running = Awaited<ReturnType<typeof startCli>>;

type Answer = HttpAnswer;

/** One request from `localAddress`, asking for JSON. */
function send(url: string, path: string, options: { method?: string; headers?: Record<string, string>; localAddress?: string } = {}): Promise<Answer> {
  return httpFrom(url, path, { ...options, headers: { accept: 'application/json', ...options.headers } });
}

const errorOf = (answer: Answer) => (JSON.parse(answer.body) as { error?: string }).error;
const urlOf = (running: Running) => /listening on (http:\/\/[\d.:]+)/.exec(running.output())![1];

describe('serve with JWT authentication from its flags (a JWKS served on loopback)', () => {
  let keys: { privateKey: CryptoKey; publicKey: CryptoKey };
  let jwksHost: StubHost;
  let running: Running;
  let url: string;

  const jwt = (sub: string, options: { exp?: number; iss?: string; aud?: string; scope?: string } = {}) =>
    new SignJWT(options.scope === undefined ? {} : { scope: options.scope })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setSubject(sub)
      .setIssuer(options.iss ?? ISSUER)
      .setAudience(options.aud ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '10m')
      .sign(keys.privateKey);
  const as = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    requireBuiltCli();
    keys = await generateKeyPair('ES256');
    const jwk: JWK = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwksHost = await startStubHost((req, res) => {
      res.writeHead(req.url === '/jwks.json' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(req.url === '/jwks.json' ? JSON.stringify({ keys: [jwk] }) : '{}');
    });
    running = await startCli([
      'serve', '--port', '0', '--quiet', '--jwks-url', `${jwksHost.url}/jwks.json`, '--jwt-issuer', ISSUER,
      '--jwt-audience', AUDIENCE, '--app-token-scope', 'chat:app',
    ], { ...ENV, AGORA_TOKEN_SERVER_SECRET: SECRET }, READY);
    url = urlOf(running);
  });

  afterAll(async () => {
    if (running) expect(await running.stop()).toBe(0);
    await jwksHost?.close();
  });

  it('says what is required in its banner, without the secret', () => {
    expect(running.output()).toMatch(/access: JWT required \(JWKS http:\/\/127\.0\.0\.1:\d+\/jwks\.json, issuer https:\/\/login\.test\/, audience chat-tokens, user claim sub\).*app token: a JWT with scope chat:app or the server secret/);
    expect(running.output()).not.toContain(SECRET);
  });

  it('the right user → 200 and a token that verifies; another user → 403', async () => {
    const alice = await jwt('alice');
    const own = await send(url, '/chat/user/alice/token', as(alice));
    expect(own.status).toBe(200);
    verifyToken((JSON.parse(own.body) as { token: string }).token, CERT, { appId: APP_ID, service: 'chat', privilege: 'user' });
    const other = await send(url, '/chat/user/bob/token', as(alice));
    expect([other.status, errorOf(other)]).toEqual([403, 'forbidden']);
  });

  it('no, expired, wrong-issuer or wrong-audience JWT → 401 with WWW-Authenticate', async () => {
    const none = await send(url, '/chat/user/alice/token');
    expect([none.status, errorOf(none), none.headers['www-authenticate']]).toEqual([401, 'unauthorized', 'Bearer realm="agora-access-token2"']);
    const past = Math.floor(Date.now() / 1000) - 120;
    for (const token of [await jwt('alice', { exp: past }), await jwt('alice', { iss: 'https://evil.test/' }), await jwt('alice', { aud: 'other' })]) {
      const answer = await send(url, '/chat/user/alice/token', as(token));
      expect([answer.status, errorOf(answer)]).toEqual([401, 'unauthorized']);
      expect(answer.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    }
  });

  it('the app token only with --app-token-scope or the server secret ($AGORA_TOKEN_SERVER_SECRET)', async () => {
    expect((await send(url, '/chat/app/token', as(await jwt('alice')))).status).toBe(403);
    const scoped = await send(url, '/chat/app/token', as(await jwt('ops', { scope: 'chat:app' })));
    expect(scoped.status).toBe(200);
    const secret = await send(url, '/chat/app/token', as(SECRET));
    expect(secret.status).toBe(200);
    verifyToken((JSON.parse(secret.body) as { token: string }).token, CERT, { service: 'chat', privilege: 'app' });
  });
});

describe('serve with rate limits, the Host allowlist and an idle timeout from its flags', () => {
  let running: Running;
  let url: string;

  beforeAll(async () => {
    requireBuiltCli();
    running = await startCli(['serve', '--port', '0', '--rate-limit', '5/m', '--register-rate-limit', '2/h', '--idle-timeout', '1000'], ENV, READY);
    url = urlOf(running);
  });
  afterAll(async () => {
    if (running) expect(await running.stop()).toBe(0);
  });

  it('its banner says what is open: CORS, the Host check, the limits, access', () => {
    const out = running.output();
    expect(out).toMatch(/CORS: any web page may read the answers \(--cors-origin ORIGIN to restrict, --cors-origin none to turn off\)/);
    expect(out).toMatch(/Host check: loopback names, IP literals \(others: 421\)/);
    expect(out).toMatch(/rate limits per client \(address\): token requests 5 per 60 s, new Chat users 2 per 3600 s/);
    expect(out).toMatch(/connections: at most 512 \(128 per address\), idle ones closed after 1 s/);
    expect(out).toMatch(/access: open to everyone/);
  });

  it('a client over its limit gets 429 with Retry-After while another client (another address) still gets tokens', async () => {
    const statuses: number[] = [];
    let refused: Answer | undefined;
    for (let i = 0; i < 7; i++) {
      const answer = await send(url, '/rtc/room/publisher/uid/1', { localAddress: '127.0.0.2' });
      statuses.push(answer.status);
      if (answer.status === 429) refused = answer;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(errorOf(refused!)).toBe('rate_limited');
    expect(Number(refused!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const other = await send(url, '/rtc/room/publisher/uid/1', { localAddress: '127.0.0.3' });
    expect(other.status).toBe(200);
    // The probes are not limited.
    expect((await send(url, '/healthz', { localAddress: '127.0.0.2' })).status).toBe(200);
  });

  it('the registration limit is stricter than the token limit: the third new user is refused, known users are served', async () => {
    const from = { localAddress: '127.0.0.4' };
    const statuses = [];
    for (const name of ['n1', 'n2', 'n3', 'n1']) statuses.push((await send(url, `/chat/user/${name}/token`, from)).status);
    expect(statuses).toEqual([200, 200, 429, 200]);
  });

  it('DNS rebinding: Host: attacker.example is refused with 421 JSON; the IP and localhost are answered', async () => {
    const evil = await send(url, '/chat/app/token', { headers: { host: 'attacker.example' }, localAddress: '127.0.0.5' });
    expect([evil.status, errorOf(evil)]).toEqual([421, 'host_not_allowed']);
    expect((await send(url, '/healthz', { headers: { host: 'attacker.example:8090' }, localAddress: '127.0.0.5' })).status).toBe(421);
    const port = new URL(url).port;
    expect((await send(url, '/healthz', { headers: { host: `localhost:${port}` }, localAddress: '127.0.0.5' })).status).toBe(200);
  });

  it('TRACE → 405 method_not_allowed with a JSON body', async () => {
    const trace = await send(url, '/chat/app/token', { method: 'TRACE', localAddress: '127.0.0.6' });
    expect([trace.status, errorOf(trace), trace.headers['content-type']]).toEqual([405, 'method_not_allowed', 'application/json; charset=utf-8']);
  });

  it('a socket that connects and sends nothing is closed within the idle timeout', async () => {
    const { port } = new URL(url);
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ port: Number(port), host: '127.0.0.1', localAddress: '127.0.0.7' }, () => resolve(s));
      s.on('error', reject);
    });
    const started = Date.now();
    await new Promise((resolve) => socket.once('close', resolve));
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(900);
    expect(took).toBeLessThan(3000);
  });
});

describe('serve under ulimit -n 1024 while one client holds 1,100 idle sockets', () => {
  let running: Running;
  const attacker: Socket[] = [];

  beforeAll(async () => {
    requireBuiltCli();
    running = await startCli(['serve', '--port', '0', '--quiet'], ENV, READY, { fdLimit: 1024 });
  });
  afterAll(async () => {
    for (const socket of attacker) socket.destroy();
    if (running) expect(await running.stop()).toBe(0);
  });

  it('/healthz keeps answering, the server holds at most its per-client share, and the idle ones are closed within the default 10 s', async () => {
    const url = urlOf(running);
    const port = Number(new URL(url).port);
    const fds = () => readdirSync(`/proc/${running.child.pid}/fd`).length;
    const baseline = fds();
    // When each attacker socket connected and closed (a socket still in SYN retries never reached the server).
    const life = new Map<Socket, { connected?: number; closed?: number }>();
    for (let batch = 0; batch < 11; batch++) {
      await Promise.all(Array.from({ length: 100 }, () => new Promise<void>((resolve) => {
        const times: { connected?: number; closed?: number } = {};
        const socket = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.1' }, () => {
          times.connected = Date.now();
          resolve();
        });
        socket.on('error', () => resolve());
        socket.on('close', () => {
          times.closed = Date.now();
          resolve();
        });
        setTimeout(resolve, 2000); // do not wait on SYN retries
        attacker.push(socket);
        life.set(socket, times);
      })));
    }
    await sleep(500);
    const held = attacker.filter((s) => !s.closed && !s.destroyed && life.get(s)!.connected !== undefined).length;
    expect(held).toBeGreaterThan(0);
    // The server holds its per-client share (128), far from its 1,024 descriptors.
    expect(fds()).toBeLessThan(baseline + 200);

    const answers = await Promise.all(Array.from({ length: 20 }, () => send(url, '/healthz', { localAddress: '127.0.0.2' })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));

    // Default idle timeout 10 s: every socket the server held is closed by it 10 s after it
    // connected, and its descriptors are back to where they were. (Under load a few handshakes
    // overflow the accept queue: the client thinks them connected, the server never had them.)
    const deadline = Date.now() + 15_000;
    while (fds() > baseline + 2 && Date.now() < deadline) await sleep(200);
    await sleep(300);
    expect(fds()).toBeLessThanOrEqual(baseline + 2);
    const heldFor = [...life.values()].filter((t) => t.connected !== undefined && t.closed !== undefined)
      .map((t) => t.closed! - t.connected!).filter((ms) => ms > 1000);
    expect(heldFor.length).toBeGreaterThan(0);
    expect(heldFor.length).toBeLessThanOrEqual(128);
    for (const ms of heldFor) {
      expect(ms).toBeGreaterThanOrEqual(9000); // not before the timeout: it was the timeout
      expect(ms).toBeLessThan(12_500);
    }
  }, 45_000);
});

describe('serve: the Chat REST flags, CORS off, and bad flags', () => {
  it('--user-cache-seconds 0: a user deleted and re-created upstream gets the new UUID at once', async () => {
    const fake = await startFakeChatRest({ appId: APP_ID, appCertificate: CERT });
    const running = await startCli(['serve', '--port', '0', '--quiet', '--user-cache-seconds', '0', '--upstream-timeout', '2000', '--upstream-retries', '0', '--upstream-concurrency', '4', '--cors-origin', 'none'], {
      ...ENV, AGORA_CHAT_APP_KEY: `${fake.org}#${fake.app}`, AGORA_CHAT_REST_HOST: fake.url,
    }, READY);
    try {
      const url = urlOf(running);
      const userOf = async () => {
        const answer = await send(url, '/chat/user/alice/token', { headers: { origin: 'https://page.example' } });
        expect(answer.headers['access-control-allow-origin']).toBeUndefined(); // --cors-origin none
        return (decodeToken((JSON.parse(answer.body) as { token: string }).token) as DecodedToken007).services[0].userId;
      };
      const before = await userOf();
      expect(before).toBe(fake.users.get('alice')!.uuid);
      fake.users.delete('alice'); // deleted upstream; the next lookup registers it again
      const after = await userOf();
      expect(after).not.toBe(before);
      expect(after).toBe(fake.users.get('alice')!.uuid);
      expect(running.output()).toMatch(/CORS: off/);
    } finally {
      expect(await running.stop()).toBe(0);
      await fake.close();
    }
  });

  it.each([
    [['--rate-limit', '5/fortnight'], /--rate-limit must look like 120\/m/],
    [['--jwt-issuer', 'x'], /--jwt-issuer needs --jwks-url or --jwt-public-key/],
    [['--jwks-url', 'http://127.0.0.1:9/jwks.json'], /jwt.audience is required with jwksUrl/],
    [['--auth-rule', 'rtc=everyone', '--server-secret-file', '/nonexistent'], /--server-secret-file: cannot read/],
    [['--upstream-timeout', '100'], /--upstream-timeout tunes the Chat REST API/],
    [['--idle-timeout', '5'], /--idle-timeout must be a whole number from 100/],
    [['--cors-origin', 'none', '--cors-origin', 'https://a.example'], /--cors-origin none or \* cannot be combined/],
    [['--allowed-host', 'bad host'], /allowedHosts: "bad host" is not a host name/],
  ])('bad flags %j → exit 2 with one line', async (flags, pattern) => {
    const result = await runCli(['serve', '--port', '0', ...flags], { env: ENV });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
