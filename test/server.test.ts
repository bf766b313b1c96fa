import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeToken, TokenError, verifyToken, type DecodedToken007 } from '../src/index';
import {
  createTokenServer, tokenServerOptionsFromEnv, type TokenServer, type TokenServerLogEntry, type TokenServerOptions,
} from '../src/server/index';
import { startFakeChatRest, type FakeChatRest } from './helpers/fake-chat-rest';

const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERT = '5cfd2fd1755d40ecb72977518be15d3b';

/** Everything the servers said, to check at the end that the certificate never shows. */
const transcript: string[] = [];
const logs: TokenServerLogEntry[] = [];

async function get(server: TokenServer, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
  const response = await server.fetch(new Request(`http://localhost${path}`, { method, headers }));
  const copy = response.clone();
  const sent: string[] = [];
  copy.headers.forEach((value, name) => sent.push(`${name}: ${value}`));
  transcript.push(`${response.status} ${sent.join('; ')} ${await copy.text()}`);
  return response;
}

async function json(server: TokenServer, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await get(server, path, { accept: 'application/json' });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function decoded007(token: string): DecodedToken007 {
  const decoded = decodeToken(token);
  if (decoded.version !== '007') throw new Error('expected a 007 token');
  return decoded;
}

describe('token server with the Chat REST API (fake, loopback)', () => {
  let fake: FakeChatRest;
  let clock = Date.now();

  function server(extra: Partial<TokenServerOptions> = {}, chat: Partial<NonNullable<TokenServerOptions['chat']>> = {}): TokenServer {
    return createTokenServer({
      appId: APP_ID,
      appCertificate: CERT,
      chat: { appKey: `${fake.org}#${fake.app}`, restHost: fake.url, timeoutMs: 3000, retries: 2, backoffMs: 5, maxBackoffMs: 20, ...chat },
      log: (entry) => {
        logs.push(entry);
        transcript.push(JSON.stringify(entry));
      },
      now: () => clock,
      ...extra,
    });
  }

  beforeAll(async () => {
    fake = await startFakeChatRest({ appId: APP_ID, appCertificate: CERT, now: () => Math.floor(clock / 1000) });
  });
  afterAll(() => fake.close());
  afterEach(() => {
    fake.requests.length = 0;
    fake.users.clear();
    fake.clearFaults();
    clock = Date.now();
  });

  it('registers a new user (GET 404 → POST) and returns a user token for their UUID', async () => {
    const s = server();
    const response = await get(s, '/chat/user/alice/token');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const token = await response.text();
    const uuid = fake.users.get('alice')!.uuid;
    const verified = verifyToken(token, CERT, { appId: APP_ID, service: 'chat', privilege: 'user', now: Math.floor(clock / 1000) });
    expect((verified as DecodedToken007).services[0].userId).toBe(uuid);
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `GET /${fake.org}/${fake.app}/users/alice 404`,
      `POST /${fake.org}/${fake.app}/users 200`,
    ]);
    expect(fake.requests[1].body).toMatchObject({ username: 'alice' }); // one user: an object, not the batch form
  });

  it('finds an existing user without registering, and answers JSON { token, expire, expiresAt }', async () => {
    fake.users.set('bob', { username: 'bob', uuid: 'b0b-0000-1111' });
    const { status, body } = await json(server(), '/chat/user/bob/token');
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(['expire', 'expiresAt', 'token']);
    const decoded = decoded007(body.token as string);
    expect(decoded.services[0].userId).toBe('b0b-0000-1111');
    expect(body.expire).toBe(3600);
    expect(body.expiresAt).toBe(decoded.issueTs + 3600);
    expect(fake.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('builds the user token for the username when chatUserTokenSubject is "username"', async () => {
    const { body } = await json(server({ chatUserTokenSubject: 'username' }), '/chat/user/carol/token');
    expect(decoded007(body.token as string).services[0].userId).toBe('carol');
    expect(fake.users.has('carol')).toBe(true);
  });

  it('concurrent first requests for one user make one registration', async () => {
    const slow = await startFakeChatRest({ appId: APP_ID, appCertificate: CERT, latencyMs: 30 });
    try {
      const s2 = createTokenServer({ appId: APP_ID, appCertificate: CERT, chat: { appKey: `${slow.org}#${slow.app}`, restHost: slow.url } });
      const tokens = await Promise.all(Array.from({ length: 20 }, () => get(s2, '/chat/user/dave/token').then((r) => r.text())));
      expect(slow.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
      expect(slow.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
      const uuids = new Set(tokens.map((t) => decoded007(t).services[0].userId));
      expect([...uuids]).toEqual([slow.users.get('dave')!.uuid]);
    } finally {
      await slow.close();
    }
  });

  it('a lost registration race (duplicate_unique_property_exists) re-reads the user', async () => {
    fake.raceNextRegistration('erin');
    const response = await get(server(), '/chat/user/erin/token');
    expect(response.status).toBe(200);
    expect(decoded007(await response.text()).services[0].userId).toBe(fake.users.get('erin')!.uuid);
    expect(fake.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 404', 'POST 400', 'GET 200']);
  });

  it('a 404 that is not the REST API\'s "no such user" (an HTML page, another error) is an error, not a registration', async () => {
    fake.inject({ times: 1, method: 'GET', status: 404, body: '<html>Not Found</html>' });
    const html = await json(server(), '/chat/user/gina/token');
    expect([html.status, html.body.error]).toEqual([502, 'upstream_rejected']);
    fake.inject({ times: 1, method: 'GET', status: 404, body: JSON.stringify({ error: 'some_other_error' }) });
    expect((await json(server(), '/chat/user/gina/token')).status).toBe(502);
    expect(fake.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('an answer whose entity names another user is not taken for this one', async () => {
    fake.inject({ times: 1, method: 'GET', status: 200, body: JSON.stringify({ entities: [{ username: 'mallory', uuid: 'mallory-uuid' }] }) });
    const answer = await json(server(), '/chat/user/hank/token');
    expect([answer.status, answer.body.error]).toEqual([502, 'upstream_bad_response']);
  });

  it('remembers a user for userCacheSeconds, then asks again', async () => {
    const s = server({}, { userCacheSeconds: 60 });
    await get(s, '/chat/user/frank/token');
    await get(s, '/chat/user/frank/token');
    expect(fake.requests).toHaveLength(2); // GET 404 + POST, then the cache
    clock += 61_000;
    await get(s, '/chat/user/frank/token');
    expect(fake.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET']);
  });

  it.each([
    ['Alice', 'upper case'],
    ['a'.repeat(65), 'too long'],
    ['al%20ice', 'a space'],
    ['al%2Fice', 'a slash'],
    ['%E0%A4%A', 'broken percent-encoding'],
    ['', 'empty'],
  ])('rejects username %j (%s) with 400 before any upstream call', async (name) => {
    const { status, body } = await json(server(), `/chat/user/${name}/token`);
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_username');
    expect(fake.requests).toHaveLength(0);
  });

  it('accepts the longest legal username (64 of a-z 0-9 _ - .)', async () => {
    const name = 'a0_-.'.repeat(12) + 'abcd';
    expect(name).toHaveLength(64);
    expect((await get(server(), `/chat/user/${name}/token`)).status).toBe(200);
  });

  it('caches the REST app token and renews it before it expires', async () => {
    const s = server({}, { appTokenExpire: 600, appTokenRenewBefore: 120, userCacheSeconds: 0 });
    await get(s, '/chat/user/gina/token');
    await get(s, '/chat/user/gina/token');
    const first = new Set(fake.requests.map((r) => r.token));
    expect(first.size).toBe(1);
    const [token1] = first;
    const expiresAt = decoded007(token1!).expiresAt;

    clock += 479_000; // 479 s of 600: before the renewal point (480)
    await get(s, '/chat/user/gina/token');
    expect(fake.requests.at(-1)!.token).toBe(token1);
    clock += 2_000; // 481 s: renewed, while the old token still has 119 s left
    await get(s, '/chat/user/gina/token');
    const token2 = fake.requests.at(-1)!.token!;
    expect(token2).not.toBe(token1);
    expect(Math.floor(clock / 1000)).toBeLessThan(expiresAt);
    expect(decoded007(token2).services[0].privileges[2]).toBe(600);
  });

  describe('upstream faults', () => {
    it('a delay past the timeout → 503 upstream_timeout (not retried)', async () => {
      fake.inject({ times: 1, delayMs: 3000 });
      const started = Date.now();
      const { status, body } = await json(server({}, { timeoutMs: 150 }), '/chat/user/hank/token');
      expect(status).toBe(503);
      expect(body.error).toBe('upstream_timeout');
      expect(Date.now() - started).toBeLessThan(2500);
      expect(fake.requests).toHaveLength(1);
    });

    it('500 then success → retried, 200', async () => {
      fake.inject({ times: 2, status: 500 });
      const response = await get(server(), '/chat/user/ivan/token');
      expect(response.status).toBe(200);
      expect(fake.requests.map((r) => r.status)).toEqual([500, 500, 404, 200]);
    });

    it('500 every time → 502 upstream_error after 1 + retries attempts', async () => {
      fake.inject({ times: 99, status: 500 });
      const { status, body } = await json(server({}, { retries: 2 }), '/chat/user/judy/token');
      expect(status).toBe(502);
      expect(body.error).toBe('upstream_error');
      expect(fake.requests).toHaveLength(3);
    });

    it('429 resource_limited (the pricing plan\'s limit) → 502 upstream_rejected naming it, not retried', async () => {
      fake.inject({ times: 99, status: 429, body: JSON.stringify({ error: 'resource_limited', error_description: 'exceeded the limit of the free edition' }) });
      const answer = await json(server(), '/chat/user/ivan/token');
      expect([answer.status, answer.body.error]).toEqual([502, 'upstream_rejected']);
      expect(answer.body.message).toMatch(/HTTP 429 \(resource_limited\)/);
      expect(fake.requests).toHaveLength(1);
    });

    it('429 every time → 503 upstream_rate_limited with Retry-After', async () => {
      fake.inject({ times: 99, status: 429, retryAfter: '0' });
      const response = await get(server({}, { retries: 1 }), '/chat/user/kate/token', { accept: 'application/json' });
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: string }).error).toBe('upstream_rate_limited');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(fake.requests).toHaveLength(2);
    });

    it('429 once, honouring Retry-After → 200', async () => {
      fake.inject({ times: 1, status: 429, retryAfter: '0' });
      expect((await get(server(), '/chat/user/kate/token')).status).toBe(200);
    });

    it('401 once → one app-token refresh with a new token, then 200', async () => {
      fake.inject({ times: 1, status: 401 });
      const response = await get(server(), '/chat/user/liam/token');
      expect(response.status).toBe(200);
      const [first, second] = fake.requests;
      expect(first.status).toBe(401);
      expect(second.token).not.toBe(first.token);
      expect(logs.some((e) => e.type === 'upstream' && /refreshed/.test(e.message))).toBe(true);
    });

    it('401 every time → 502 upstream_unauthorized after exactly one refresh', async () => {
      fake.inject({ times: 99, status: 401 });
      const { status, body } = await json(server(), '/chat/user/mona/token');
      expect(status).toBe(502);
      expect(body.error).toBe('upstream_unauthorized');
      expect(fake.requests).toHaveLength(2);
    });

    it('a server with the wrong certificate is refused by the REST API → 502 upstream_unauthorized', async () => {
      const wrong = server({ appCertificate: '0'.repeat(32) });
      const { status, body } = await json(wrong, '/chat/user/nina/token');
      expect(status).toBe(502);
      expect(body.error).toBe('upstream_unauthorized');
    });

    it('connection refused → 503 upstream_unavailable after the retries', async () => {
      const dead = await startFakeChatRest({ appId: APP_ID, appCertificate: CERT });
      const url = dead.url;
      await dead.close();
      const s = createTokenServer({ appId: APP_ID, appCertificate: CERT, chat: { appKey: 'o#a', restHost: url, retries: 1, backoffMs: 1 } });
      const { status, body } = await json(s, '/chat/user/olga/token');
      expect(status).toBe(503);
      expect(body.error).toBe('upstream_unavailable');
    });

    it('an unreadable 200 → 502 upstream_bad_response', async () => {
      fake.inject({ times: 1, status: 200, body: '<html>not json' });
      const { status, body } = await json(server(), '/chat/user/pete/token');
      expect(status).toBe(502);
      expect(body.error).toBe('upstream_bad_response');
    });

    it('a wrong app key → 502 upstream_rejected naming the upstream error', async () => {
      const { status, body } = await json(server({}, { appKey: 'nosuch#app' }), '/chat/user/quin/token');
      expect(status).toBe(502);
      expect(body.error).toBe('upstream_rejected');
      expect(body.message).toMatch(/organization_application_not_found/);
    });

    it('a failed request leaves no state behind: the next one succeeds', async () => {
      const s = server();
      fake.inject({ times: 3, status: 500 });
      expect((await get(s, '/chat/user/rita/token')).status).toBe(502);
      expect((await get(s, '/chat/user/rita/token')).status).toBe(200);
      expect(fake.requests.map((r) => r.status)).toEqual([500, 500, 500, 404, 200]);
    });
  });
});

describe('token server, embedded defaults and the rest of its surface', () => {
  const base: TokenServerOptions = { appId: APP_ID, appCertificate: CERT, log: (e) => transcript.push(JSON.stringify(e)) };

  it('without a REST host: user tokens for the username by default (the made-up UUIDs are unknown to Agora), as agora-token-service', async () => {
    const s = createTokenServer(base);
    const userIdOf = async (path: string) => decoded007(await (await get(s, path)).text()).services[0].userId;
    expect(await userIdOf('/chat/user/alice/token')).toBe('alice');
    expect((await json(s, '/chat/account/alice')).status).toBe(200);
    expect(decoded007((await json(s, '/chat/account/alice')).body.chatToken as string).services[0].userId).toBe('alice');
  });

  it('without a REST host, with chatUserTokenSubject uuid: an in-memory directory that gives each user one UUID', async () => {
    const s = createTokenServer({ ...base, chatUserTokenSubject: 'uuid' });
    const a1 = decoded007(await (await get(s, '/chat/user/alice/token')).text()).services[0].userId!;
    const a2 = decoded007(await (await get(s, '/chat/user/alice/token')).text()).services[0].userId!;
    const b = decoded007(await (await get(s, '/chat/user/bob/token')).text()).services[0].userId!;
    expect(a1).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a2).toBe(a1);
    expect(b).not.toBe(a1);
    expect(await (await get(s, '/healthz')).json()).toEqual({ status: 'ok', directory: 'memory', demo: false });
  });

  it('GET /chat/app/token: an app token that verifies; ?expire= within the Chat cap', async () => {
    const s = createTokenServer(base);
    const token = await (await get(s, '/chat/app/token')).text();
    const verified = verifyToken(token, CERT, { appId: APP_ID, service: 'chat', privilege: 'app' }) as DecodedToken007;
    expect(verified.expire).toBe(3600);
    expect((await json(s, '/chat/app/token?expire=86400')).body.expire).toBe(86400);
    const tooLong = await json(s, '/chat/app/token?expire=86401');
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toBe('invalid_expire');
    expect((await json(s, '/chat/app/token?expire=1e3')).status).toBe(400);
    // 0 asks for the server's default lifetime (as agora-token-service's expire 0), never a 0 s token.
    expect((await json(s, '/chat/app/token?expire=0')).body.expire).toBe(3600);
  });

  it('caps Chat lifetimes at 86400 s even when longer ones are allowed for RTC', async () => {
    const s = createTokenServer({ ...base, expire: 172800, maxExpire: 172800 });
    expect((await json(s, '/chat/user/alice/token')).body.expire).toBe(86400);
    expect((await json(s, '/rtm/alice')).body.expire).toBe(172800);
    expect((await json(s, '/chat/account/alice?expiry=90000')).status).toBe(400);
    expect((await json(s, '/chat/user/alice/token?expire=90000')).status).toBe(400);
  });

  it('RTC tokens by uid and by account, RTM tokens (community JSON); each verifies for what was asked', async () => {
    const s = createTokenServer(base);
    const byUid = (await (await get(s, '/rtc/room%201/publisher/uid/42?expire=600')).json()) as { rtcToken: string; expire: number };
    const rtc = verifyToken(byUid.rtcToken, CERT, { service: 'rtc', privilege: 'publishAudioStream', channelName: 'room 1', uid: 42 }) as DecodedToken007;
    expect([rtc.expire, byUid.expire]).toEqual([600, 600]);
    const { rtcToken: byAccount } = (await (await get(s, '/rtc/room1/subscriber/account/alice/')).json()) as { rtcToken: string };
    expect(() => verifyToken(byAccount, CERT, { service: 'rtc', privilege: 'publishAudioStream' })).toThrow(TokenError);
    verifyToken(byAccount, CERT, { service: 'rtc', privilege: 'joinChannel', channelName: 'room1', uid: 'alice' });
    const { rtmToken: rtm } = (await (await get(s, '/rtm/alice')).json()) as { rtmToken: string };
    verifyToken(rtm, CERT, { service: 'rtm', privilege: 'login' });
    expect(decoded007(rtm).services[0].userId).toBe('alice');
    const anyUid = decoded007(((await (await get(s, '/rtc/room1/publisher/uid/0')).json()) as { rtcToken: string }).rtcToken);
    expect(anyUid.services[0].uid).toBe('');
  });

  it.each([
    ['/rtc/room1/owner/uid/1', 'invalid_role'],
    ['/rtc/room1/publisher/uid/4294967296', 'invalid_uid'],
    ['/rtc/room1/publisher/uid/-1', 'invalid_uid'],
    [`/rtc/${'c'.repeat(65)}/publisher/uid/1`, 'invalid_channel'],
    ['/rtc/r%C3%A9/publisher/uid/1', 'invalid_channel'],
    ['/rtm/null', 'invalid_user_id'],
    [`/rtm/${'u'.repeat(65)}`, 'invalid_user_id'],
    ['/rtc/room1/publisher/account/%ZZ', 'invalid_account'],
  ])('%s → 400 %s', async (path, code) => {
    const { status, body } = await json(createTokenServer(base), path);
    expect(status).toBe(400);
    expect(body.error).toBe(code);
  });

  it('unknown paths → 404, other methods → 405 with Allow, all as JSON', async () => {
    const s = createTokenServer(base);
    for (const path of ['/nope', '/chat/user/alice', '/chat/app/token/x', '/rtc/a/publisher/x/1', '/']) {
      const r = await json(s, path);
      expect([path, r.status, r.body.error]).toEqual([path, 404, 'not_found']);
    }
    const post = await get(s, '/chat/app/token', {}, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('CORS: every origin by default (as the guide), preflight answered', async () => {
    const s = createTokenServer(base);
    const r = await get(s, '/chat/app/token', { origin: 'https://app.example' });
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    const pre = await get(s, '/chat/user/alice/token', {
      origin: 'https://app.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization',
    }, 'OPTIONS');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST, OPTIONS');
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization');
  });

  it('CORS: a configured origin list echoes allowed origins only; cors: false sends none', async () => {
    const s = createTokenServer({ ...base, cors: { origin: ['https://good.example'] } });
    const good = await get(s, '/chat/app/token', { origin: 'https://good.example' });
    expect(good.headers.get('access-control-allow-origin')).toBe('https://good.example');
    expect(good.headers.get('vary')).toBe('Origin');
    const bad = await get(s, '/chat/app/token', { origin: 'https://evil.example' });
    expect(bad.headers.get('access-control-allow-origin')).toBeNull();
    const none = createTokenServer({ ...base, cors: false });
    expect((await get(none, '/chat/app/token', { origin: 'https://x.example' })).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('authorize hook: sees the route, can refuse (403), answer itself, or fail safely (500)', async () => {
    const seen: unknown[] = [];
    const s = createTokenServer({
      ...base,
      authorize: (request, context) => {
        seen.push(context);
        if (context.route.kind === 'chat-app') return false;
        if (request.headers.get('authorization') === 'Bearer boom') throw new Error('session store down');
        if (context.route.kind === 'chat-user' && request.headers.get('authorization') !== `Bearer ${context.route.username}`) {
          return new Response('sign in first', { status: 401, headers: { 'www-authenticate': 'Bearer' } });
        }
        return true;
      },
    });
    const app = await json(s, '/chat/app/token');
    expect([app.status, app.body.error]).toEqual([403, 'forbidden']);
    const anon = await get(s, '/chat/user/alice/token');
    expect([anon.status, await anon.text()]).toEqual([401, 'sign in first']);
    const own = await get(s, '/chat/user/alice/token', { authorization: 'Bearer alice' });
    expect(own.status).toBe(200);
    const boom = await get(s, '/chat/user/alice/token', { authorization: 'Bearer boom', accept: 'application/json' });
    expect(boom.status).toBe(500);
    expect(((await boom.json()) as { error: string }).error).toBe('internal_error');
    expect(seen[0]).toEqual({ route: { kind: 'chat-app' }, expire: 3600 });
    expect(seen[1]).toEqual({ route: { kind: 'chat-user', username: 'alice' }, expire: 3600 });
  });

  it('refuses bad options at creation with a TokenError naming the option', () => {
    expect(() => createTokenServer({ appId: 'x', appCertificate: CERT })).toThrow(/appId/);
    expect(() => createTokenServer({ ...base, chat: { appKey: 'no-hash', restHost: 'h' } })).toThrow(/appKey/);
    expect(() => createTokenServer({ ...base, expire: 0 })).toThrow(/expire/);
    expect(() => createTokenServer({ ...base, chat: { appKey: 'o#a', restHost: 'h', retries: 50 } })).toThrow(/retries/);
  });

  it('tokenServerOptionsFromEnv: real credentials, demo credentials, and clear refusals', () => {
    const env = { AGORA_APP_ID: APP_ID, AGORA_APP_CERTIFICATE: CERT, AGORA_CHAT_APP_KEY: 'o#a', AGORA_CHAT_REST_HOST: 'a41.chat.agora.io' };
    expect(tokenServerOptionsFromEnv(env)).toEqual({ appId: APP_ID, appCertificate: CERT, chat: { appKey: 'o#a', restHost: 'a41.chat.agora.io' } });
    const demo = tokenServerOptionsFromEnv({}, { allowDemo: true });
    expect(demo.demo).toBe(true);
    expect(demo.appId).toMatch(/^[0-9a-f]{32}$/);
    expect(demo.appCertificate).not.toBe(tokenServerOptionsFromEnv({}, { allowDemo: true }).appCertificate);
    expect(() => tokenServerOptionsFromEnv({})).toThrow(/not set/);
    expect(() => tokenServerOptionsFromEnv({ AGORA_APP_ID: APP_ID })).toThrow(/AGORA_APP_CERTIFICATE/);
    expect(() => tokenServerOptionsFromEnv({ ...env, AGORA_CHAT_APP_KEY: '' })).toThrow(/AGORA_CHAT_APP_KEY/);
  });

  it('the page and the browser build are served only when the bundle is given', async () => {
    expect((await get(createTokenServer(base), '/')).status).toBe(404);
    expect((await get(createTokenServer({ ...base, browserBundle: 'export const x = 1;' }), '/')).status).toBe(404);
    const s = createTokenServer({ ...base, browserBundle: 'export const x = 1;', pageScript: 'console.log("page");', demo: true });
    const page = await get(s, '/');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).toMatch(/Demo credentials/);
    expect(await (await get(s, '/agora-access-token2.js')).text()).toBe('export const x = 1;');
    expect(await (await get(s, '/page.js')).text()).toBe('console.log("page");');
  });

  it('never puts the certificate in a response or a log entry', () => {
    expect(transcript.length).toBeGreaterThan(50);
    for (const line of transcript) {
      expect(line.toLowerCase()).not.toContain(CERT);
    }
    expect(logs.some((e) => e.type === 'request')).toBe(true);
  });
});
