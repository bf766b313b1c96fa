/**
 * The community token servers' protocol (agora-token-service and the clients written for it:
 * React UIKit, Unity and Flutter quickstarts) through the public entry: every route with and
 * without its trailing slash, both lifetime names, each 400, HEAD, /ping, /readyz — and every
 * token returned verified for its channel, uid/account, user id and lifetime.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyToken, type DecodedToken007 } from '../src/index';
import { createTokenServer, type TokenServer } from '../src/server/index';
import { startFakeChatRest, type FakeChatRest } from './helpers/fake-chat-rest';

const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERT = '5cfd2fd1755d40ecb72977518be15d3b';
const server = createTokenServer({ appId: APP_ID, appCertificate: CERT, chatUserTokenSubject: 'username' });

type Body = Record<string, unknown>;

async function call(s: TokenServer, path: string, init: RequestInit = {}): Promise<{ status: number; body: Body; response: Response }> {
  const response = await s.fetch(new Request(`http://localhost${path}`, init));
  const text = await response.clone().text();
  const json = response.headers.get('content-type')?.startsWith('application/json') === true;
  return { status: response.status, body: json && text !== '' ? (JSON.parse(text) as Body) : {}, response };
}

/** Verifies one token: app, service, privilege, channel and uid when given, lifetime exactly. */
function check(token: unknown, expire: number, expected: { service: string; privilege: string; channelName?: string; uid?: string | number }): DecodedToken007 {
  expect(typeof token).toBe('string');
  const decoded = verifyToken(token as string, CERT, { appId: APP_ID, ...expected }) as DecodedToken007;
  expect(decoded.expire).toBe(expire);
  for (const service of decoded.services) {
    for (const seconds of Object.values(service.privileges)) expect(seconds).toBe(expire);
  }
  return decoded;
}

function serviceOf(decoded: DecodedToken007, name: string) {
  const service = decoded.services.find((s) => s.name === name);
  expect(service, `${name} service`).toBeDefined();
  return service!;
}

/** Each route, what it answers (the keys) and how its tokens are checked. */
const ROUTES: [string, string[], (body: Body, expire: number) => void][] = [
  ['/rtc/room1/publisher/uid/42', ['rtcToken'], (b, e) => {
    check(b.rtcToken, e, { service: 'rtc', privilege: 'publishVideoStream', channelName: 'room1', uid: 42 });
  }],
  ['/rtc/room1/subscriber/uid/42', ['rtcToken'], (b, e) => {
    const d = check(b.rtcToken, e, { service: 'rtc', privilege: 'joinChannel', channelName: 'room1', uid: 42 });
    expect(Object.keys(serviceOf(d, 'rtc').privileges)).toEqual(['1']); // join only
  }],
  ['/rtc/room1/audience/uid/7', ['rtcToken'], (b, e) => {
    const d = check(b.rtcToken, e, { service: 'rtc', privilege: 'joinChannel', channelName: 'room1', uid: 7 });
    expect(Object.keys(serviceOf(d, 'rtc').privileges)).toEqual(['1']);
  }],
  ['/rtc/room1/publisher/uid', ['rtcToken'], (b, e) => {
    expect(serviceOf(check(b.rtcToken, e, { service: 'rtc', privilege: 'publishAudioStream', channelName: 'room1' }), 'rtc').uid).toBe('');
  }],
  ['/rtc/room1/publisher/userAccount/alice', ['rtcToken'], (b, e) => {
    check(b.rtcToken, e, { service: 'rtc', privilege: 'publishAudioStream', channelName: 'room1', uid: 'alice' });
  }],
  ['/rtc/room1/subscriber/account/bob', ['rtcToken'], (b, e) => {
    check(b.rtcToken, e, { service: 'rtc', privilege: 'joinChannel', channelName: 'room1', uid: 'bob' });
  }],
  ['/rtm/alice', ['rtmToken'], (b, e) => {
    expect(serviceOf(check(b.rtmToken, e, { service: 'rtm', privilege: 'login' }), 'rtm').userId).toBe('alice');
  }],
  ['/rte/room1/publisher/uid/42', ['rtcToken', 'rtmToken'], (b, e) => {
    check(b.rtcToken, e, { service: 'rtc', privilege: 'publishVideoStream', channelName: 'room1', uid: 42 });
    const rtm = check(b.rtmToken, e, { service: 'rtm', privilege: 'login' });
    expect(serviceOf(rtm, 'rtm').userId).toBe('42');
    // The stream channel, as agora-token-service grants it: RTC join + publish data for the RTM user.
    check(b.rtmToken, e, { service: 'rtc', privilege: 'publishDataStream', channelName: 'room1', uid: '42' });
  }],
  ['/rte/room1/audience/userAccount/alice/alice-rtm', ['rtcToken', 'rtmToken'], (b, e) => {
    check(b.rtcToken, e, { service: 'rtc', privilege: 'joinChannel', channelName: 'room1', uid: 'alice' });
    expect(serviceOf(check(b.rtmToken, e, { service: 'rtm', privilege: 'login' }), 'rtm').userId).toBe('alice-rtm');
  }],
  ['/rte/room1/publisher/uid/0/watcher', ['rtcToken', 'rtmToken'], (b, e) => {
    expect(serviceOf(check(b.rtcToken, e, { service: 'rtc', privilege: 'joinChannel', channelName: 'room1' }), 'rtc').uid).toBe('');
    expect(serviceOf(check(b.rtmToken, e, { service: 'rtm', privilege: 'login' }), 'rtm').userId).toBe('watcher');
  }],
  ['/chat/app', ['chatToken'], (b, e) => {
    check(b.chatToken, e, { service: 'chat', privilege: 'app' });
  }],
  ['/chat/account/carol', ['chatToken'], (b, e) => {
    expect(serviceOf(check(b.chatToken, e, { service: 'chat', privilege: 'user' }), 'chat').userId).toBe('carol');
  }],
];

describe('community routes: JSON under the community keys, with and without a trailing slash', () => {
  it.each(ROUTES.flatMap(([path, keys, verify]) => [[path, keys, verify], [`${path}/`, keys, verify]] as const))(
    'GET %s', async (path, keys, verify) => {
      // No Accept header: community clients send none and read JSON.
      const { status, body, response } = await call(server, path);
      expect(status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(Object.keys(body).sort()).toEqual([...keys, 'expire', 'expiresAt'].sort());
      expect(body.expire).toBe(3600);
      verify(body, 3600);
      const issueTs = (verifyToken(body[keys[0]] as string, CERT) as DecodedToken007).issueTs;
      expect(body.expiresAt).toBe(issueTs + 3600);
    },
  );

  it.each(ROUTES.map(([path, , verify]) => [path, verify] as const))('GET %s?expiry=600 and ?expire=600', async (path, verify) => {
    for (const query of ['?expiry=600', '?expire=600', '?expiry=600&expire=600']) {
      for (const suffix of ['', '/']) {
        const { status, body } = await call(server, `${path}${suffix}${query}`);
        expect([path + suffix + query, status, body.expire]).toEqual([path + suffix + query, 200, 600]);
        verify(body, 600);
      }
    }
  });

  it('?expiry=0 / ?expire=0 ask for the default lifetime', async () => {
    expect((await call(server, '/rtc/room1/publisher/uid/1?expiry=0')).body.expire).toBe(3600);
    expect((await call(server, '/chat/app/?expire=0')).body.expire).toBe(3600);
  });

  it('/ping answers pong; /chat/account/ alone is a 404', async () => {
    for (const path of ['/ping', '/ping/']) expect((await call(server, path)).body).toEqual({ message: 'pong' });
    for (const path of ['/chat/account', '/chat/account/', '/chat/app/x', '/rte/room1/publisher/uid/1/2/3', '/rtm/a/b']) {
      const { status, body } = await call(server, path);
      expect([path, status, body.error]).toEqual([path, 404, 'not_found']);
    }
  });

  it('the guide routes keep their answers: plain text, or { token, expire, expiresAt } with Accept', async () => {
    const text = await call(server, '/chat/app/token').then((r) => r.response.text());
    check(text, 3600, { service: 'chat', privilege: 'app' });
    const { body } = await call(server, '/chat/user/dave/token/?expiry=120', { headers: { accept: 'application/json' } });
    expect(Object.keys(body).sort()).toEqual(['expire', 'expiresAt', 'token']);
    expect(serviceOf(check(body.token, 120, { service: 'chat', privilege: 'user' }), 'chat').userId).toBe('dave');
  });
});

describe('lifetimes: every invalid value is a 400, never ignored', () => {
  it.each([
    '?expiry=abc', '?expire=abc', '?expiry=-1', '?expire=1.5', '?expiry=1e3', '?expiry=', '?expire=%20600',
    '?expiry=86401', '?expire=4294967296', '?expiry=600&expire=601', '?expire=600&expire=700', '?expiry=0&expire=600',
  ])('/rtc/room1/publisher/uid/1%s → 400 invalid_expire', async (query) => {
    const { status, body } = await call(server, `/rtc/room1/publisher/uid/1${query}`);
    expect([status, body.error]).toEqual([400, 'invalid_expire']);
  });

  it('the cap is the server\'s maxExpire (Chat at most 86400)', async () => {
    const long = createTokenServer({ appId: APP_ID, appCertificate: CERT, maxExpire: 172800 });
    expect((await call(long, '/rtm/alice?expiry=172800')).body.expire).toBe(172800);
    expect((await call(long, '/rtm/alice?expiry=172801')).status).toBe(400);
    expect((await call(long, '/chat/app?expiry=86401')).body.error).toBe('invalid_expire');
  });
});

describe('path 400s', () => {
  it.each([
    ['/rtm/0', 'invalid_user_id'],
    ['/rtm', 'invalid_user_id'],
    ['/rtm/', 'invalid_user_id'],
    ['/rte/room1/publisher/uid/0', 'invalid_user_id'],
    ['/rte/room1/publisher/uid/', 'invalid_user_id'],
    ['/rte/room1/publisher/uid/42/0', 'invalid_user_id'],
    ['/rtc/room1/host/uid/1', 'invalid_role'],
    ['/rte/room1/host/uid/1', 'invalid_role'],
    ['/rtc/room1/publisher/uid/abc', 'invalid_uid'],
    ['/rtc/room1/publisher/uid/4294967296/', 'invalid_uid'],
    ['/rtc/r%C3%A9/publisher/uid/1', 'invalid_channel'],
    ['/rtc/room1/publisher/userAccount/%ZZ', 'invalid_account'],
    ['/chat/account/Alice', 'invalid_username'],
  ])('%s → 400 %s', async (path, code) => {
    const { status, body } = await call(server, path);
    expect([status, body.error]).toEqual([400, code]);
    expect(typeof body.message).toBe('string');
  });
});

describe('POST /getToken', () => {
  const post = (body: string, path = '/getToken', headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    call(server, path, { method: 'POST', body, headers });

  it('rtc: a numeric uid is a uid, anything else an account; role defaults to subscriber', async () => {
    for (const path of ['/getToken', '/getToken/']) {
      const byUid = await post(JSON.stringify({ tokenType: 'rtc', channel: 'room1', role: 'publisher', uid: '42', expire: 900 }), path);
      expect(Object.keys(byUid.body).sort()).toEqual(['expire', 'expiresAt', 'token']);
      check(byUid.body.token, 900, { service: 'rtc', privilege: 'publishVideoStream', channelName: 'room1', uid: 42 });
    }
    const numeric = await post(JSON.stringify({ tokenType: 'rtc', channel: 'room1', uid: 7 }));
    const d = check(numeric.body.token, 3600, { service: 'rtc', privilege: 'joinChannel', channelName: 'room1', uid: 7 });
    expect(Object.keys(serviceOf(d, 'rtc').privileges)).toEqual(['1']);
    const account = await post(JSON.stringify({ tokenType: 'rtc', channel: 'room1', role: 'audience', uid: 'alice' }));
    check(account.body.token, 3600, { service: 'rtc', privilege: 'joinChannel', channelName: 'room1', uid: 'alice' });
  });

  it('rtm: a login token; with a channel also the stream channel (RTC join + publish data)', async () => {
    const plain = await post(JSON.stringify({ tokenType: 'rtm', uid: 'bob' }));
    const p = check(plain.body.token, 3600, { service: 'rtm', privilege: 'login' });
    expect(p.services.map((s) => s.name)).toEqual(['rtm']);
    expect(serviceOf(p, 'rtm').userId).toBe('bob');
    const stream = await post(JSON.stringify({ tokenType: 'rtm', uid: 'bob', channel: 'stream1', expire: 300 }));
    const s = check(stream.body.token, 300, { service: 'rtm', privilege: 'login' });
    check(stream.body.token, 300, { service: 'rtc', privilege: 'publishDataStream', channelName: 'stream1', uid: 'bob' });
    expect(Object.keys(serviceOf(s, 'rtc').privileges).sort()).toEqual(['1', '4']);
  });

  it('chat: without uid an app token, with uid a user token through the user directory', async () => {
    check((await post('{"tokenType":"chat"}')).body.token, 3600, { service: 'chat', privilege: 'app' });
    const user = await post('{"tokenType":"chat","uid":"erin","expire":60}');
    expect(serviceOf(check(user.body.token, 60, { service: 'chat', privilege: 'user' }), 'chat').userId).toBe('erin');
  });

  it('takes ?expiry= too, and a body and a query that disagree are a 400', async () => {
    expect((await post('{"tokenType":"chat"}', '/getToken?expiry=120')).body.expire).toBe(120);
    expect((await post('{"tokenType":"chat","expire":120}', '/getToken?expire=120')).body.expire).toBe(120);
    expect((await post('{"tokenType":"chat","expire":120}', '/getToken?expiry=60')).body.error).toBe('invalid_expire');
  });

  it.each([
    ['', 'invalid_body'],
    ['   ', 'invalid_body'],
    ['not json', 'invalid_body'],
    ['[1,2]', 'invalid_body'],
    ['"rtc"', 'invalid_body'],
    ['null', 'invalid_body'],
    ['{"tokenType":"rtc","channel":"room1","uid":"1","extra":1}', 'invalid_body'],
    ['{"channel":"room1","uid":"1"}', 'invalid_token_type'],
    ['{"tokenType":"rte","channel":"room1","uid":"1"}', 'invalid_token_type'],
    ['{"tokenType":"rtc","uid":"1"}', 'invalid_channel'],
    ['{"tokenType":"rtc","channel":"room1"}', 'invalid_uid'],
    ['{"tokenType":"rtc","channel":"room1","uid":-1}', 'invalid_uid'],
    ['{"tokenType":"rtc","channel":"room1","uid":4294967296}', 'invalid_uid'],
    ['{"tokenType":"rtc","channel":"room1","uid":1e21}', 'invalid_uid'],
    ['{"tokenType":"rtc","channel":"room1","uid":"1","role":"host"}', 'invalid_role'],
    ['{"tokenType":"rtm"}', 'invalid_user_id'],
    ['{"tokenType":"rtm","uid":"0"}', 'invalid_user_id'],
    ['{"tokenType":"chat","uid":"Not OK"}', 'invalid_username'],
    ['{"tokenType":"chat","expire":"600"}', 'invalid_expire'],
    ['{"tokenType":"chat","expire":86401}', 'invalid_expire'],
    ['{"tokenType":"chat","channel":7}', 'invalid_body'],
  ])('body %j → 400 %s', async (body, code) => {
    const { status, body: answer } = await post(body);
    expect([status, answer.error]).toEqual([400, code]);
  });

  it('a body over 4 KB → 413, declared or streamed', async () => {
    const big = JSON.stringify({ tokenType: 'chat', channel: 'x'.repeat(5000) });
    expect((await post(big)).body.error).toBe('payload_too_large');
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1000)));
        controller.close();
      },
    });
    const streamed = await call(server, '/getToken', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect([streamed.status, streamed.body.error]).toEqual([413, 'payload_too_large']);
  });

  it('GET /getToken → 405 with Allow: POST, OPTIONS; POST elsewhere → 405', async () => {
    const get = await call(server, '/getToken');
    expect([get.status, get.body.error, get.response.headers.get('allow')]).toEqual([405, 'method_not_allowed', 'POST, OPTIONS']);
    expect((await post('{}', '/rtm/alice')).status).toBe(405);
  });
});

describe('HEAD, /healthz and /readyz', () => {
  it('HEAD answers the headers of GET without a body, wherever GET is allowed', async () => {
    for (const path of ['/rtc/room1/publisher/uid/42', '/ping/', '/healthz', '/readyz', '/chat/app/token']) {
      const get = await call(server, path);
      const head = await server.fetch(new Request(`http://localhost${path}`, { method: 'HEAD' }));
      expect([path, head.status]).toEqual([path, 200]);
      expect(await head.text()).toBe('');
      expect(head.headers.get('content-type')).toBe(get.response.headers.get('content-type'));
      const length = new TextEncoder().encode(await get.response.text()).byteLength;
      // A token's length varies a little with its random salt (it is deflated); the rest is exact.
      const slack = path.includes('token') || path.startsWith('/rtc') ? 8 : 0;
      expect(Math.abs(Number(head.headers.get('content-length')) - length)).toBeLessThanOrEqual(slack);
    }
    expect((await call(server, '/getToken', { method: 'HEAD' })).status).toBe(405);
  });

  describe('with the Chat REST API', () => {
    let fake: FakeChatRest;
    let clock = Date.now();
    beforeAll(async () => {
      fake = await startFakeChatRest({ appId: APP_ID, appCertificate: CERT });
    });
    afterAll(() => fake.close());

    it('/readyz: 200 while the REST API answers (asking once when it has not), 503 when it stops; /healthz stays 200', async () => {
      const s = createTokenServer({
        appId: APP_ID, appCertificate: CERT, now: () => clock,
        chat: { appKey: `${fake.org}#${fake.app}`, restHost: fake.url, retries: 0, timeoutMs: 500 },
      });
      const ready = await call(s, '/readyz');
      expect([ready.status, ready.body]).toEqual([200, { status: 'ready', directory: 'rest' }]);
      expect(fake.requests).toHaveLength(1); // one probe lookup (a 404 is an answer)
      await call(s, '/readyz/');
      expect(fake.requests).toHaveLength(1); // answered recently: no new call
      await call(s, '/chat/account/frank');
      const calls = fake.requests.length;
      clock += 20_000;
      expect((await call(s, '/readyz')).status).toBe(200);
      expect(fake.requests).toHaveLength(calls); // the lookup 20 s ago counts
      fake.inject({ times: 99, status: 500 });
      clock += 31_000;
      const down = await call(s, '/readyz');
      expect([down.status, down.body.error, down.response.headers.get('retry-after')]).toEqual([503, 'not_ready', '5']);
      expect((await call(s, '/healthz')).status).toBe(200);
      fake.clearFaults();
      expect((await call(s, '/readyz')).status).toBe(200);
    });
  });
});
