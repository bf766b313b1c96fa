import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenServer, type TokenServerLogEntry, type TokenServerOptions } from '../src/server/index';
import { HttpError } from '../src/server/http-error';
import { MemoryUserDirectory } from '../src/server/memory-user-directory';
import { UpstreamGate } from '../src/server/upstream-gate';
import { RateLimiter, clientKey, createClientLimits, parseRate } from '../src/server/rate-limit';
import { createHostCheck, enforceHost, hostName, isLoopback } from '../src/server/host-check';
import { TokenError } from '../src/index';
import { startFakeChatRest } from './helpers/fake-chat-rest';
import { startHungHost, startStubHost, type StubHost } from './helpers/stub-host';

const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERT = '5cfd2fd1755d40ecb72977518be15d3b';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tokenServer(restHost: string, chat: Partial<NonNullable<TokenServerOptions['chat']>> = {}, log?: (e: TokenServerLogEntry) => void) {
  return createTokenServer({
    appId: APP_ID,
    appCertificate: CERT,
    chat: { appKey: 'org#app', restHost, retries: 0, backoffMs: 1, ...chat },
    log,
  });
}

async function ask(server: ReturnType<typeof createTokenServer>, user: string) {
  const response = await server.fetch(new Request(`http://localhost/chat/user/${user}/token`, { headers: { accept: 'application/json' } }));
  const body = (await response.json()) as { error?: string };
  return { status: response.status, error: body.error, retryAfter: response.headers.get('retry-after') };
}

/** Polls until `done()` or `ms` pass; the time it took. */
async function waitFor(done: () => boolean, ms: number): Promise<number> {
  const started = Date.now();
  while (!done() && Date.now() - started < ms) await sleep(25);
  return Date.now() - started;
}

/** Node's `gc()`, also without `--expose-gc`: the leak only shows once requests are collected. */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('Chat REST calls always end', () => {
  let hung: StubHost;
  beforeEach(async () => {
    hung = await startHungHost();
  });
  afterEach(() => hung.close());

  it('2,000 first-time users against a hung REST host: every request 503, the upstream sockets closed within seconds', async () => {
    // Before the fix, fetch(new Request(url, { signal })) lost its abort once the Request was
    // collected: every socket stayed open until the host gave up (300 s).
    const gc = collectGarbage();
    const collector = setInterval(gc, 300);
    try {
      const server = tokenServer(hung.url, { timeoutMs: 3000, concurrency: 1024, queueTimeoutMs: 30_000 });
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 2000 }, (_, i) => ask(server, `hung${i}`)));
      const answeredMs = Date.now() - started;
      expect(answers.filter((a) => a.status === 503 && a.error === 'upstream_timeout')).toHaveLength(2000);
      const reached = hung.requests;
      // Sockets were opened at the host (how many before the timeouts depends on the machine's
      // load: ~4,000 accepted and ~2,000 requests on a quiet one) ...
      expect(hung.accepted).toBeGreaterThan(0);
      // ... and all of them are closed within seconds (before the fix: 300 s).
      const releasedMs = await waitFor(() => hung.open === 0, 20_000);
      expect(hung.open).toBe(0);
      expect(releasedMs).toBeLessThan(15_000);
      console.log(`hung host: 2000 requests answered 503 upstream_timeout in ${answeredMs} ms; ${reached} reached the host, `
        + `${hung.accepted} sockets accepted, all closed ${releasedMs} ms after the last answer`);
    } finally {
      clearInterval(collector);
    }
  });

  it('the concurrency cap: excess calls wait, then 503 upstream_busy with Retry-After; only the cap reaches the host', async () => {
    const before = hung.requests;
    const server = tokenServer(hung.url, { timeoutMs: 800, concurrency: 2, queueTimeoutMs: 150 });
    const answers = await Promise.all(['b1', 'b2', 'b3', 'b4', 'b5'].map((u) => ask(server, u)));
    expect(answers.filter((a) => a.error === 'upstream_timeout')).toHaveLength(2);
    const busy = answers.filter((a) => a.error === 'upstream_busy');
    expect(busy).toHaveLength(3);
    for (const answer of busy) {
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe('1');
    }
    expect(hung.requests - before).toBe(2);
  });
});

describe('Chat REST answers this server cannot trust', () => {
  it('a 307 is not followed: 502 upstream_bad_response, and the other origin never sees a request', async () => {
    const elsewhere = await startStubHost((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ entities: [{ uuid: 'attacker-uuid', username: 'alice' }] }));
    });
    const redirecting = await startStubHost((req, res) => {
      res.writeHead(307, { location: `${elsewhere.url}${req.url}` });
      res.end();
    });
    try {
      const logs: TokenServerLogEntry[] = [];
      const answer = await ask(tokenServer(redirecting.url, {}, (e) => logs.push(e)), 'alice');
      expect(answer).toMatchObject({ status: 502, error: 'upstream_bad_response' });
      expect(redirecting.requests).toBe(1);
      expect(elsewhere.requests).toBe(0);
      expect(logs.some((e) => e.type === 'upstream' && /redirect \(HTTP 307\)/.test(e.message))).toBe(true);
    } finally {
      await elsewhere.close();
      await redirecting.close();
    }
  });

  /** Asks a token server whose REST host always answers 200 with `body` as `contentType`. */
  async function askAnswering(contentType: string, body: string, user: string) {
    const host = await startStubHost((_, res) => {
      res.writeHead(200, { 'content-type': contentType });
      res.end(body);
    });
    try {
      const logs: TokenServerLogEntry[] = [];
      const answer = await ask(tokenServer(host.url, {}, (e) => logs.push(e)), user);
      return { answer, upstream: logs.flatMap((e) => (e.type === 'upstream' ? [e] : [])) };
    } finally {
      await host.close();
    }
  }

  it('an HTML 200 → 502 upstream_bad_response, logged with the upstream status and content type', async () => {
    const { answer, upstream } = await askAnswering('text/html; charset=utf-8', '<html><body>Sign in to the corporate proxy</body></html>', 'bob');
    expect(answer).toMatchObject({ status: 502, error: 'upstream_bad_response' });
    expect(upstream).toContainEqual({
      type: 'upstream', method: 'GET', path: '/org/app/users/bob', attempt: 1,
      message: 'unreadable answer: HTTP 200, content-type text/html; charset=utf-8',
    });
  });

  it('a JSON 200 without a uuid is logged too', async () => {
    const { answer, upstream } = await askAnswering('application/json', '{"entities":[]}', 'carl');
    expect(answer).toMatchObject({ status: 502, error: 'upstream_bad_response' });
    expect(upstream.map((e) => e.message)).toContain('HTTP 200 without a user uuid (content-type application/json)');
  });

  it('chat.concurrency and chat.queueTimeoutMs are checked', () => {
    expect(() => tokenServer('http://127.0.0.1:1', { concurrency: 0 })).toThrow(/chat\.concurrency/);
    expect(() => tokenServer('http://127.0.0.1:1', { queueTimeoutMs: -1 })).toThrow(/chat\.queueTimeoutMs/);
  });
});

describe('UpstreamGate', () => {
  it('runs at most `concurrency` tasks; a waiter gets the slot a finished task frees', async () => {
    const gate = new UpstreamGate({ concurrency: 1, maxWaitMs: 1000 });
    let release!: () => void;
    const first = gate.run(() => new Promise<string>((resolve) => {
      release = () => resolve('first');
    }));
    const second = gate.run(async () => 'second');
    await sleep(0);
    expect([gate.active, gate.queued]).toEqual([1, 1]);
    release();
    expect(await first).toBe('first');
    expect(await second).toBe('second');
    expect([gate.active, gate.queued]).toEqual([0, 0]);
  });

  it('a full queue is refused at once; a failing task frees its slot', async () => {
    const gate = new UpstreamGate({ concurrency: 1, maxWaitMs: 5000, maxQueue: 1 });
    const hold = gate.run(() => sleep(50));
    const queued = gate.run(async () => {
      throw new Error('boom');
    });
    await expect(gate.run(async () => 1)).rejects.toMatchObject({ status: 503, code: 'upstream_busy' });
    await hold;
    await expect(queued).rejects.toThrow('boom');
    expect(await gate.run(async () => 'after')).toBe('after');
  });
});

describe('the in-memory directory when full', () => {
  it('evicts the least recently used user instead of refusing everyone', async () => {
    const directory = new MemoryUserDirectory(3);
    const a = await directory.userFor('a');
    const b = await directory.userFor('b');
    await directory.userFor('c');
    expect(await directory.userFor('a')).toBe(a); // a is now the most recent
    await directory.userFor('d'); // full: b (least recent) goes
    expect(directory.size).toBe(3);
    expect(await directory.userFor('a')).toBe(a);
    const b2 = await directory.userFor('b'); // back, with a new UUID
    expect(b2.uuid).not.toBe(b.uuid);
    expect(directory.size).toBe(3);
  });

  it('100,000+ names from one script: the directory stays at its cap and still serves new users', async () => {
    const directory = new MemoryUserDirectory(1000);
    for (let i = 0; i < 5000; i++) await directory.userFor(`flood${i}`);
    expect(directory.size).toBe(1000);
    expect((await directory.userFor('latecomer')).username).toBe('latecomer');
  });

  it('beforeRegister runs for a new name only, and can refuse it', async () => {
    const directory = new MemoryUserDirectory();
    let calls = 0;
    await directory.userFor('known', { beforeRegister: () => calls++ });
    await directory.userFor('known', { beforeRegister: () => calls++ });
    expect(calls).toBe(1);
    const refuse = () => {
      throw new HttpError(429, 'rate_limited', 'no');
    };
    await expect(directory.userFor('fresh', { beforeRegister: refuse })).rejects.toMatchObject({ code: 'rate_limited' });
    expect(directory.size).toBe(1);
  });
});

describe('the REST directory and beforeRegister', () => {
  it('is asked before a POST, never for a known user; a refusal makes no registration', async () => {
    const fake = await startFakeChatRest({ appId: APP_ID, appCertificate: CERT, org: 'org', app: 'app' });
    try {
      // The directory is reached through the server's config (the handler wiring comes later).
      const { resolveConfig } = await import('../src/server/config');
      const config = resolveConfig({ appId: APP_ID, appCertificate: CERT, chat: { appKey: 'org#app', restHost: fake.url, userCacheSeconds: 0 } });
      let calls = 0;
      const refuse = () => {
        calls++;
        throw new HttpError(429, 'rate_limited', 'too many registrations');
      };
      await expect(config.directory.userFor('newbie', { beforeRegister: refuse })).rejects.toMatchObject({ code: 'rate_limited' });
      expect(fake.requests.map((r) => r.method)).toEqual(['GET']);
      expect(fake.users.size).toBe(0);
      const user = await config.directory.userFor('newbie', { beforeRegister: () => calls++ });
      expect(fake.users.get('newbie')?.uuid).toBe(user.uuid);
      await config.directory.userFor('newbie', { beforeRegister: refuse });
      expect(calls).toBe(2);
    } finally {
      await fake.close();
    }
  });
});

describe('RateLimiter', () => {
  it('limits a client over its rate with Retry-After while another client passes', () => {
    let now = 1_000_000;
    const limiter = new RateLimiter({ requests: 3, perSeconds: 60, now: () => now });
    expect([1, 2, 3].map(() => limiter.take('10.0.0.1').ok)).toEqual([true, true, true]);
    expect(limiter.take('10.0.0.1')).toEqual({ ok: false, retryAfter: 20 });
    expect(limiter.take('10.0.0.2')).toEqual({ ok: true });
    now += 19_000;
    expect(limiter.take('10.0.0.1')).toEqual({ ok: false, retryAfter: 1 });
    now += 1_000;
    expect(limiter.take('10.0.0.1')).toEqual({ ok: true });
  });

  it('enforce throws 429 rate_limited with Retry-After', () => {
    const limiter = new RateLimiter({ requests: 1, perSeconds: 3600, now: () => 0 });
    limiter.enforce('alice', 'registrations');
    let caught: unknown;
    try {
      limiter.enforce('alice', 'registrations');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(HttpError);
    expect(caught).toMatchObject({ status: 429, code: 'rate_limited', headers: { 'retry-after': '3600' } });
    expect((caught as Error).message).toMatch(/too many registrations from this client \(1 per 3600 s\)/);
  });

  it('a flood of distinct clients keeps memory bounded; the least recently seen are forgotten', () => {
    const limiter = new RateLimiter({ requests: 2, perSeconds: 60, maxClients: 1000, now: () => 0 });
    limiter.take('steady');
    limiter.take('steady');
    for (let i = 0; i < 100_000; i++) {
      limiter.take(`flood-${i}`);
      if (i % 500 === 0) expect(limiter.take('steady').ok).toBe(false); // seen recently: still limited
    }
    expect(limiter.size).toBe(1000);
  });

  it('createClientLimits: token requests and, stricter and separately, registrations of new users', async () => {
    const limits = createClientLimits({ tokens: { requests: 5, perSeconds: 60 }, registrations: { requests: 2, perSeconds: 3600 }, now: () => 0 });
    const directory = new MemoryUserDirectory();
    const asks = async (key: string, username: string) => {
      try {
        limits.tokenRequest(key);
        await directory.userFor(username, limits.registration(key));
        return 'ok';
      } catch (error) {
        return (error as HttpError).code;
      }
    };
    // A script registering names: two new users, then refused; known users still served.
    expect(await asks('script', 'n1')).toBe('ok');
    expect(await asks('script', 'n2')).toBe('ok');
    expect(await asks('script', 'n3')).toBe('rate_limited');
    expect(await asks('script', 'n1')).toBe('ok');
    expect(await asks('script', 'n2')).toBe('ok');
    expect(await asks('script', 'n2')).toBe('rate_limited'); // 6th token request in the minute
    expect(await asks('someone-else', 'n9')).toBe('ok');
    const off = createClientLimits({ tokens: false, registrations: false });
    for (let i = 0; i < 1000; i++) off.tokenRequest('x');
    expect(off.registration('x')).toEqual({});
  });

  it('parseRate reads command-line rates and refuses the rest', () => {
    expect(parseRate('120/m')).toEqual({ requests: 120, perSeconds: 60 });
    expect(parseRate('10/s')).toEqual({ requests: 10, perSeconds: 1 });
    expect(parseRate('20/h')).toEqual({ requests: 20, perSeconds: 3600 });
    expect(parseRate(' 30 / 90s ')).toEqual({ requests: 30, perSeconds: 90 });
    for (const bad of ['', '0/m', '10', '10/w', '-1/s', '10/0s', 'ten/m']) expect(() => parseRate(bad, '--rate-limit')).toThrow(TokenError);
    expect(() => parseRate('x', '--rate-limit')).toThrow(/--rate-limit must look like/);
  });

  it('clientKey: IPv4 as is, IPv4-mapped IPv6 as IPv4, IPv6 by its /64', () => {
    const keys = ['203.0.113.9', '::ffff:203.0.113.9', '2001:db8:1:2:aaaa::1', '2001:DB8:1:2:bbbb:cccc:dddd:eeee', '2001:db8::5', '::1'];
    expect(keys.map(clientKey)).toEqual(['203.0.113.9', '203.0.113.9', '2001:db8:1:2::/64', '2001:db8:1:2::/64', '2001:db8:0:0::/64', '0:0:0:0::/64']);
  });
});

describe('Host allowlist', () => {
  it('hostName: ports, IPv6 brackets, case, a final dot; junk refused', () => {
    const hosts = ['Example.COM:8090', 'example.com.', '[::1]:8090', '[::1]', '127.0.0.1:80'];
    expect(hosts.map(hostName)).toEqual(['example.com', 'example.com', '::1', '::1', '127.0.0.1']);
    for (const bad of ['', ':80', 'a b', 'evil.com:99999', 'evil.com:x', '[::1', 'user@evil.com', '[::::]', '[1:2:3:4:5:6:7:8:9]', '[::1]:99999']) expect(hostName(bad), bad).toBeUndefined();
    expect(hostName('[::ffff:192.0.2.1]:80')).toBe('::ffff:192.0.2.1');
  });

  it('by default: loopback names and IP literals pass, any other name (DNS rebinding) is refused', () => {
    const check = createHostCheck({});
    for (const ok of ['localhost:8090', 'LOCALHOST', '127.0.0.1:8090', '[::1]:8090', 'app.localhost', '192.0.2.7:8090', '[2001:db8::1]']) expect(check(ok)).toBe(true);
    for (const bad of ['attacker.example', 'attacker.example:8090', 'localhost.attacker.example', null, '']) expect(check(bad)).toBe(false);
  });

  it('the CORS origins and allowedHosts (with *. wildcards) add names; * turns the check off', () => {
    const check = createHostCheck({ cors: { origin: ['https://app.example.com', 'http://[::1]:5173'] }, allowedHosts: ['tokens.example.net:443', '*.internal.example'] });
    for (const ok of ['app.example.com', 'tokens.example.net', 'TOKENS.example.net:8090', 'a.internal.example', 'b.c.internal.example']) expect(check(ok)).toBe(true);
    for (const bad of ['example.com', 'internal.example', 'evil-app.example.com', 'xinternal.example']) expect(check(bad)).toBe(false);
    expect(createHostCheck({ allowedHosts: ['*'] })('anything.example')).toBe(true);
    expect(createHostCheck({ cors: { origin: '*' } })('anything.example')).toBe(false);
    expect(() => createHostCheck({ allowedHosts: ['bad host'] })).toThrow(TokenError);
  });

  it('enforceHost: a refused Host → 421 host_not_allowed naming allowedHosts and --allowed-host; no Host (not a browser) passes', () => {
    const check = createHostCheck({});
    expect(() => enforceHost(check, 'attacker.example')).toThrow(expect.objectContaining({ status: 421, code: 'host_not_allowed', message: expect.stringMatching(/allowedHosts.*--allowed-host/) }));
    expect(() => enforceHost(check, 'localhost:8090')).not.toThrow();
    expect(() => enforceHost(check, undefined)).not.toThrow();
    expect(() => enforceHost(check, 'attacker.example\u001b[31m')).toThrow(HttpError);
  });

  it('isLoopback tells a loopback bind from a public one', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.0.2.1', 'example.com']) expect(isLoopback(host)).toBe(false);
  });
});
