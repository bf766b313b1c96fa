/**
 * The server's exposure options through the public entry (`createTokenServer(...).fetch` and
 * `toNodeListener`): JWT authentication, the Host allowlist, per-client rate limits with the
 * client address, and the failures that must stay JSON answers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyToken } from '../src/index';
import {
  createTokenServer, toNodeListener, type TokenServerLogEntry, type TokenServerOptions,
} from '../src/server/index';
import { httpFrom, type HttpAnswer } from './helpers/http-from';

const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERT = '5cfd2fd1755d40ecb72977518be15d3b';
const ISSUER = 'https://login.test/';
const AUDIENCE = 'chat-tokens';
const SECRET = 'server-to-server-secret-0123456789';
const base: TokenServerOptions = { appId: APP_ID, appCertificate: CERT };

interface Answer {
  status: number;
  body: { error?: string; message?: string; token?: string; rtcToken?: string };
  headers: Headers;
}

async function ask(
  server: ReturnType<typeof createTokenServer>, path: string,
  init: { headers?: Record<string, string>; clientAddress?: string; method?: string } = {},
): Promise<Answer> {
  const request = new Request(`http://localhost${path}`, { method: init.method, headers: { accept: 'application/json', ...init.headers } });
  const response = await server.fetch(request, init.clientAddress === undefined ? undefined : { clientAddress: init.clientAddress });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : JSON.parse(text), headers: response.headers };
}

describe('JWT authentication (createTokenServer({ auth }))', () => {
  let keys: { privateKey: CryptoKey; publicKey: CryptoKey };
  let other: { privateKey: CryptoKey; publicKey: CryptoKey };
  let server: ReturnType<typeof createTokenServer>;

  const jwt = (sub: string, options: { exp?: string | number; iss?: string; aud?: string; scope?: string; key?: CryptoKey } = {}) =>
    new SignJWT(options.scope === undefined ? {} : { scope: options.scope })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject(sub)
      .setIssuer(options.iss ?? ISSUER)
      .setAudience(options.aud ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '10m')
      .sign(options.key ?? keys.privateKey);
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    keys = await generateKeyPair('ES256');
    other = await generateKeyPair('ES256');
    server = createTokenServer({
      ...base,
      auth: { publicKey: await exportSPKI(keys.publicKey), issuer: ISSUER, audience: AUDIENCE, appTokenScope: 'chat:app', serverSecret: SECRET },
    });
  });

  it('the right user → 200 with a token for them; another user → 403', async () => {
    const alice = await jwt('alice');
    const own = await ask(server, '/chat/user/alice/token', { headers: bearer(alice) });
    expect(own.status).toBe(200);
    verifyToken(own.body.token!, CERT, { appId: APP_ID, service: 'chat', privilege: 'user' });
    const rtm = await ask(server, '/rtm/alice', { headers: bearer(alice) });
    expect(rtm.status).toBe(200);
    const theirs = await ask(server, '/chat/user/bob/token', { headers: bearer(alice) });
    expect([theirs.status, theirs.body.error]).toEqual([403, 'forbidden']);
    expect((await ask(server, '/rte/room/publisher/uid/7/bob', { headers: bearer(alice) })).status).toBe(403);
  });

  it('requests for other users\' tokens (403) count against the address: probing meets the rate limit', async () => {
    const limited = createTokenServer({
      ...base,
      rateLimit: { requests: 5, perSeconds: 60 },
      auth: { publicKey: await exportSPKI(keys.publicKey), issuer: ISSUER, audience: AUDIENCE },
    });
    const alice = bearer(await jwt('alice'));
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await ask(limited, `/chat/user/user${i}/token`, { headers: alice, clientAddress: '198.51.100.9' })).status);
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429, 429, 429]);
  });

  it('no, expired, wrong-issuer, wrong-audience or foreign-key JWT → 401 unauthorized with WWW-Authenticate', async () => {
    const none = await ask(server, '/chat/user/alice/token');
    expect([none.status, none.body.error]).toEqual([401, 'unauthorized']);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="agora-access-token2"');
    const bad = [
      await jwt('alice', { exp: Math.floor(Date.now() / 1000) - 60 }),
      await jwt('alice', { iss: 'https://evil.test/' }),
      await jwt('alice', { aud: 'another-app' }),
      await jwt('alice', { key: other.privateKey }),
      'not.a.jwt',
    ];
    for (const token of bad) {
      const answer = await ask(server, '/chat/user/alice/token', { headers: bearer(token) });
      expect([answer.status, answer.body.error], token).toEqual([401, 'unauthorized']);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="agora-access-token2", error="invalid_token"/);
    }
  });

  it('the app token: only a JWT with the scope, or the server secret', async () => {
    expect((await ask(server, '/chat/app/token', { headers: bearer(await jwt('alice')) })).status).toBe(403);
    const scoped = await ask(server, '/chat/app/token', { headers: bearer(await jwt('ops', { scope: 'read chat:app' })) });
    expect(scoped.status).toBe(200);
    verifyToken(scoped.body.token!, CERT, { service: 'chat', privilege: 'app' });
    const secret = await ask(server, '/chat/app/token', { headers: bearer(SECRET) });
    expect(secret.status).toBe(200);
    expect((await ask(server, '/chat/app/token', { headers: bearer(`${SECRET}x`) })).status).toBe(401);
  });

  it('CORS exposes WWW-Authenticate to the page, and a preflight allows Authorization', async () => {
    const answer = await ask(server, '/chat/user/alice/token', { headers: { origin: 'https://app.example' } });
    expect(answer.headers.get('access-control-expose-headers')).toBe('www-authenticate');
    const preflight = await server.fetch(new Request('http://localhost/chat/user/alice/token', {
      method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    }));
    expect([preflight.status, preflight.headers.get('access-control-allow-headers')]).toEqual([204, 'authorization']);
  });

  it('rate limits key on the JWT user: alice over her limit, bob from the same address still served', async () => {
    const limited = createTokenServer({
      ...base, auth: { publicKey: await exportSPKI(keys.publicKey), issuer: ISSUER, audience: AUDIENCE }, rateLimit: { requests: 3, perSeconds: 60 },
    });
    const [alice, bob] = [await jwt('alice'), await jwt('bob')];
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask(limited, '/rtm/alice', { headers: bearer(alice), clientAddress: '192.0.2.1' })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await ask(limited, '/rtm/bob', { headers: bearer(bob), clientAddress: '192.0.2.1' })).status).toBe(200);
    // Bad tokens count against the address: a flood of them is limited too.
    const flood = [];
    for (let i = 0; i < 4; i++) flood.push((await ask(limited, '/rtm/alice', { headers: bearer('junk'), clientAddress: '192.0.2.9' })).status);
    expect(flood).toEqual([401, 401, 401, 429]);
  });
});

describe('Host allowlist (DNS rebinding)', () => {
  it('Host: attacker.example → 421 host_not_allowed JSON, on token routes and probes alike', async () => {
    const server = createTokenServer(base);
    for (const path of ['/chat/user/alice/token', '/healthz', '/nothing-here']) {
      const answer = await ask(server, path, { headers: { host: 'attacker.example' } });
      expect([answer.status, answer.body.error], path).toEqual([421, 'host_not_allowed']);
    }
    expect((await ask(server, '/healthz', { headers: { host: '127.0.0.1:8090' } })).status).toBe(200);
  });

  it('allowedHosts and the hosts of the CORS origins let a name in', async () => {
    const server = createTokenServer({ ...base, allowedHosts: ['tokens.example.com'], cors: { origin: ['https://app.example.net'] } });
    for (const host of ['tokens.example.com', 'app.example.net:443']) expect((await ask(server, '/healthz', { headers: { host } })).status, host).toBe(200);
    expect((await ask(server, '/healthz', { headers: { host: 'attacker.example' } })).status).toBe(421);
    expect((await ask(createTokenServer({ ...base, allowedHosts: ['*'] }), '/healthz', { headers: { host: 'any.example' } })).status).toBe(200);
  });
});

describe('per-client rate limits and the client address', () => {
  it('a client over its limit gets 429 with Retry-After while another client is still served', async () => {
    const server = createTokenServer({ ...base, rateLimit: { requests: 5, perSeconds: 60 } });
    const first = [];
    for (let i = 0; i < 7; i++) first.push(await ask(server, '/rtc/room/publisher/uid/1', { clientAddress: '198.51.100.1' }));
    expect(first.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(first[5].body.error).toBe('rate_limited');
    expect(Number(first[5].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const second = await ask(server, '/rtc/room/publisher/uid/1', { clientAddress: '198.51.100.2' });
    expect(second.status).toBe(200);
    verifyToken(second.body.rtcToken!, CERT, { service: 'rtc', privilege: 'joinChannel', uid: 1 });
    // The probes are not limited.
    expect((await ask(server, '/healthz', { clientAddress: '198.51.100.1' })).status).toBe(200);
  });

  it('registrations of new users are limited apart and stricter; known users are still served', async () => {
    const server = createTokenServer({ ...base, rateLimit: { requests: 100, perSeconds: 60 }, registrationRateLimit: { requests: 2, perSeconds: 3600 } });
    const from = { clientAddress: '203.0.113.5' };
    const statuses = [];
    for (const name of ['u1', 'u2', 'u3', 'u1', 'u2']) statuses.push((await ask(server, `/chat/user/${name}/token`, from)).status);
    expect(statuses).toEqual([200, 200, 429, 200, 200]);
    // u3 was never registered: another client registers it.
    expect((await ask(server, '/chat/user/u3/token', { clientAddress: '203.0.113.6' })).status).toBe(200);
  });

  it('the address: Deno\'s info.remoteAddr, IPv6 by /64, X-Forwarded-For only with trustProxy', async () => {
    const server = createTokenServer({ ...base, rateLimit: { requests: 1, perSeconds: 60 } });
    const deno = (hostname: string) => server.fetch(new Request('http://localhost/rtm/u'), { remoteAddr: { hostname } } as never);
    expect([(await deno('192.0.2.1')).status, (await deno('192.0.2.1')).status, (await deno('192.0.2.2')).status]).toEqual([200, 429, 200]);
    // One /64 is one client.
    expect((await ask(server, '/rtm/u', { clientAddress: '2001:db8:1:2::1' })).status).toBe(200);
    expect((await ask(server, '/rtm/u', { clientAddress: '2001:db8:1:2::ffff' })).status).toBe(429);
    // Without trustProxy the header is ignored: a spoofed X-Forwarded-For gives no new bucket.
    const spoof = (xff: string) => ask(server, '/rtm/u', { clientAddress: '192.0.2.50', headers: { 'x-forwarded-for': xff } });
    expect([(await spoof('1.1.1.1')).status, (await spoof('2.2.2.2')).status]).toEqual([200, 429]);

    const proxied = createTokenServer({ ...base, rateLimit: { requests: 1, perSeconds: 60 }, trustProxy: true });
    const via = (xff: string) => ask(proxied, '/rtm/u', { clientAddress: '10.0.0.1', headers: { 'x-forwarded-for': xff } });
    // The proxy appends the address it saw: the client cannot choose the last hop.
    expect([(await via('6.6.6.6, 198.51.100.7')).status, (await via('7.7.7.7, 198.51.100.7')).status, (await via('198.51.100.8')).status])
      .toEqual([200, 429, 200]);
    // Proxies that append the source port (ip:port, [ipv6]:port): the port does not make a new client.
    expect([(await via('203.0.113.5:5678')).status, (await via('203.0.113.5:5679')).status]).toEqual([200, 429]);
    expect([(await via('[2001:db8:9::1]:443')).status, (await via('2001:db8:9::2')).status]).toEqual([200, 429]);
  });

  it('toNodeListener with an authorize hook: a Host the URL parser refuses is a 421 or reaches the hook as localhost, never a 500', async () => {
    const seen: string[] = [];
    for (const allowedHosts of [undefined, ['*']]) {
      const server = createServer(toNodeListener(createTokenServer({ ...base, allowedHosts, authorize: (request) => { seen.push(new URL(request.url).host); return true; } })));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const statuses = [];
        for (const host of ['[::::]', '[1:2:3:4:5:6:7:8:9]', 'localhost:99999']) {
          statuses.push((await httpFrom(`http://127.0.0.1:${port}`, '/rtm/alice', { headers: { host } })).status);
        }
        expect(statuses).toEqual(allowedHosts === undefined ? [421, 421, 421] : [200, 200, 200]);
      } finally {
        await close(server);
      }
    }
    expect(seen).toEqual(['localhost', 'localhost', 'localhost']);
  });

  it('toNodeListener takes the address from the socket: two loopback addresses, two buckets', async () => {
    const server = createServer(toNodeListener(createTokenServer({ ...base, rateLimit: { requests: 2, perSeconds: 60 } })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const from = (localAddress: string) => nodeGet(port, '/rtm/u', localAddress).then((a) => a.status);
      const first = [await from('127.0.0.1'), await from('127.0.0.1'), await from('127.0.0.1')];
      expect(first).toEqual([200, 200, 429]);
      expect(await from('127.0.0.2')).toBe(200);
    } finally {
      await close(server);
    }
  });
});

describe('failures stay JSON answers', () => {
  it('a throwing cors.origin predicate → 500 internal_error JSON (fetch resolves), logged', async () => {
    const logs: TokenServerLogEntry[] = [];
    const server = createTokenServer({
      ...base,
      cors: { origin: () => { throw new Error('predicate bug'); } },
      log: (entry) => logs.push(entry),
    });
    const answer = await ask(server, '/rtm/u', { headers: { origin: 'https://app.example' } });
    expect([answer.status, answer.body.error]).toEqual([500, 'internal_error']);
    expect(answer.headers.get('content-type')).toMatch(/application\/json/);
    expect(logs.some((e) => e.type === 'error' && /predicate bug/.test(e.message))).toBe(true);
    const preflight = await ask(server, '/rtm/u', { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } });
    expect(preflight.status).toBe(500);
  });

  it('TRACE (which fetch\'s Request refuses) → 405 method_not_allowed JSON with Allow, through the Node listener', async () => {
    const server = createServer(toNodeListener(createTokenServer(base)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      for (const path of ['/chat/app/token', '/healthz', '/getToken']) {
        const answer = await nodeGet(port, path, '127.0.0.1', 'TRACE');
        expect([answer.status, JSON.parse(answer.body).error, answer.headers['content-type']], path).toEqual([405, 'method_not_allowed', 'application/json; charset=utf-8']);
        expect(answer.headers.allow).toBeDefined();
      }
    } finally {
      await close(server);
    }
  });
});

function nodeGet(port: number, path: string, localAddress: string, method = 'GET'): Promise<HttpAnswer> {
  return httpFrom(`http://127.0.0.1:${port}`, path, { localAddress, method });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

