/**
 * agora-access-token2/client with SDK-shaped fakes (the real agora-chat, agora-rtc-sdk-ng and
 * agora-rtm-sdk clients: client.sdk.browser.test.ts):
 * renew on will-expire, renew or re-open on expired, retries with backoff then onError, bad
 * tokens refused before the SDK sees them, one fetch for concurrent events, stop() removes
 * exactly what was added, and the renewBefore timers.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatTokenBuilder2, RtcRole, RtcTokenBuilder, RtcTokenBuilder2, RtmTokenBuilder2, TokenError } from '../src/index';
import {
  keepChatTokenFresh, keepRtcTokenFresh, keepRtmTokenFresh,
  type ChatConnectionLike, type ChatTokenHandlers, type RtcClientLike, type RtcTokenEvent, type RtmClientLike, type RtmLinkStateLike,
} from '../src/client/index';
import { startRefresher } from '../src/client/refresher';

const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERT = '5cfd2fd1755d40ecb72977518be15d3b';
const T0 = 1_750_000_000;
const now = () => Math.floor(Date.now() / 1000);
const chatToken = (user = 'alice', expire = 600, issueTs = now()) => ChatTokenBuilder2.buildUserToken(APP_ID, CERT, user, expire, { issueTs });

/** A Chat Connection as the SDK behaves: handlers by id, renewToken refused when closed. */
class FakeConnection implements ChatConnectionLike {
  handlers = new Map<string, ChatTokenHandlers>();
  opened = true;
  renewed: string[] = [];
  opens: { user: string; accessToken: string }[] = [];
  renewResult: unknown = { status: true };
  addEventHandler(id: string, handler: ChatTokenHandlers) { this.handlers.set(id, handler); }
  removeEventHandler(id: string) { this.handlers.delete(id); }
  async renewToken(token: string) {
    if (!this.opened) throw { status: false };
    this.renewed.push(token);
    return this.renewResult;
  }
  async open(parameters: { user: string; accessToken: string }) { this.opens.push(parameters); this.opened = true; return {}; }
  isOpened() { return this.opened; }
  /** As the SDK's EventHandler.dispatch does: every registered handler. */
  dispatch(event: keyof ChatTokenHandlers) { for (const h of this.handlers.values()) h[event]?.(); }
}

class FakeRtcClient implements RtcClientLike {
  listeners = new Map<string, Set<() => void>>();
  renewed: string[] = [];
  constructor(public channelName?: string, public uid?: number | string) {}
  on(event: RtcTokenEvent, listener: () => void) { (this.listeners.get(event) ?? this.listeners.set(event, new Set()).get(event)!).add(listener); }
  off(event: RtcTokenEvent, listener: () => void) { this.listeners.get(event)?.delete(listener); }
  async renewToken(token: string) { this.renewed.push(token); }
  emit(event: RtcTokenEvent) { for (const l of this.listeners.get(event) ?? []) l(); }
  count() { return [...this.listeners.values()].reduce((n, s) => n + s.size, 0); }
}

const flush = () => vi.advanceTimersByTimeAsync(0);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0 * 1000);
});
afterEach(() => vi.useRealTimers());

describe('keepChatTokenFresh', () => {
  it('renews on onTokenWillExpire: fetchToken → renewToken, and tells onRenewed', async () => {
    const conn = new FakeConnection();
    const fresh = chatToken();
    const renewals: unknown[] = [];
    keepChatTokenFresh(conn, { user: 'alice', fetchToken: async () => fresh, onRenewed: (r) => renewals.push([r.reason, r.action, r.expiresAt]) });
    conn.dispatch('onTokenWillExpire');
    await flush();
    expect(conn.renewed).toEqual([fresh]);
    expect(conn.opens).toEqual([]);
    expect(renewals).toEqual([['will-expire', 'renewToken', T0 + 600]]);
  });

  it('on onTokenExpired: renews when the connection is still open, opens again when it is not', async () => {
    const conn = new FakeConnection();
    const fresh = chatToken();
    const actions: string[] = [];
    keepChatTokenFresh(conn, { user: 'alice', fetchToken: async () => fresh, onRenewed: (r) => actions.push(`${r.reason}:${r.action}`) });
    conn.dispatch('onTokenExpired');
    await flush();
    expect(conn.renewed).toEqual([fresh]);
    conn.opened = false; // the SDK closes the connection when the token ends
    conn.dispatch('onTokenExpired');
    await flush();
    expect(conn.opens).toEqual([{ user: 'alice', accessToken: fresh }]);
    expect(actions).toEqual(['expired:renewToken', 'expired:open']);
  });

  it('on onTokenExpired with a renewal the SDK refuses (status false): opens again', async () => {
    const conn = new FakeConnection();
    conn.renewResult = { status: false };
    const fresh = chatToken();
    keepChatTokenFresh(conn, { user: 'alice', fetchToken: async () => fresh });
    conn.dispatch('onTokenExpired');
    await flush();
    expect(conn.opens).toEqual([{ user: 'alice', accessToken: fresh }]);
  });

  it('a refused renewal on will-expire is ERR_TOKEN_RENEW', async () => {
    const conn = new FakeConnection();
    conn.renewResult = { status: false };
    const errors: TokenError[] = [];
    keepChatTokenFresh(conn, { user: 'alice', fetchToken: async () => chatToken(), onError: (e) => errors.push(e) });
    conn.dispatch('onTokenWillExpire');
    await flush();
    expect(errors.map((e) => e.code)).toEqual(['ERR_TOKEN_RENEW']);
    expect(conn.opens).toEqual([]);
  });

  it('retries a failing fetch with exponential backoff and jitter (first retry within 1 s), then onError', async () => {
    const conn = new FakeConnection();
    const calls: number[] = [];
    const errors: TokenError[] = [];
    keepChatTokenFresh(conn, {
      user: 'alice',
      fetchToken: async () => { calls.push(Date.now() - T0 * 1000); throw new Error('503 from the token server'); },
      onError: (e) => errors.push(e),
    });
    conn.dispatch('onTokenWillExpire');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(calls.length).toBe(4); // the default: 4 attempts
    const gaps = calls.slice(1).map((t, i) => t - calls[i]);
    expect(gaps[0]).toBeGreaterThanOrEqual(250);
    expect(gaps[0]).toBeLessThanOrEqual(500); // first retry within 1 s
    expect(gaps[1]).toBeGreaterThanOrEqual(500);
    expect(gaps[1]).toBeLessThanOrEqual(1000);
    expect(gaps[2]).toBeGreaterThanOrEqual(1000);
    expect(gaps[2]).toBeLessThanOrEqual(2000);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(TokenError);
    expect(errors[0].code).toBe('ERR_TOKEN_FETCH');
    expect(errors[0].message).toMatch(/failed 4 times; the last: 503 from the token server/);
    expect((errors[0] as Error & { cause?: Error }).cause?.message).toBe('503 from the token server');
    expect(conn.renewed).toEqual([]);
  });

  it('retry is configurable; a fetch that recovers is used', async () => {
    const conn = new FakeConnection();
    let n = 0;
    const fresh = chatToken();
    keepChatTokenFresh(conn, {
      user: 'alice', retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 100 },
      fetchToken: async () => { if (++n < 3) throw new Error('down'); return fresh; },
    });
    conn.dispatch('onTokenWillExpire');
    await vi.advanceTimersByTimeAsync(250);
    expect(n).toBe(3);
    expect(conn.renewed).toEqual([fresh]);
    let m = 0;
    const errors: string[] = [];
    const once = new FakeConnection();
    keepChatTokenFresh(once, { user: 'alice', retry: false, fetchToken: async () => { m++; throw new Error('x'); }, onError: (e) => errors.push(e.code) });
    once.dispatch('onTokenWillExpire');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(m).toBe(1);
    expect(errors).toEqual(['ERR_TOKEN_FETCH']);
  });

  it.each([
    ['malformed', () => '007eJxTnotatoken', 'ERR_TOKEN_'],
    ['a 006 token', () => RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 1, 1, T0 + 600), 'ERR_TOKEN_VERSION'],
    ['an RTC token (wrong service)', () => RtcTokenBuilder2.buildTokenWithUid(APP_ID, CERT, 'c', 1, RtcRole.PUBLISHER, 600, 600), 'ERR_SERVICE_MISSING'],
    ['a Chat app token (no user privilege)', () => ChatTokenBuilder2.buildAppToken(APP_ID, CERT, 600), 'ERR_UID_MISMATCH'],
    ['another user', () => chatToken('mallory'), 'ERR_UID_MISMATCH'],
    ['already expired', () => chatToken('alice', 60, T0 - 120), 'ERR_TOKEN_EXPIRED'],
    ['not a string', () => 42 as unknown as string, 'ERR_TOKEN_NOT_STRING'],
  ])('refuses %s: onError, never passed to the SDK, not retried', async (_, make, code) => {
    const conn = new FakeConnection();
    conn.opened = false;
    const errors: TokenError[] = [];
    const fetchToken = vi.fn(async () => make());
    keepChatTokenFresh(conn, { user: 'alice', fetchToken, onError: (e) => errors.push(e) });
    conn.dispatch('onTokenExpired');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(TokenError);
    expect(errors[0].code.startsWith(code)).toBe(true);
    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(conn.renewed).toEqual([]);
    expect(conn.opens).toEqual([]);
  });

  it('a Chat app token for user "" is refused when user is ""-free, and one without the user privilege is ERR_PRIVILEGE_MISSING', async () => {
    const conn = new FakeConnection();
    const errors: string[] = [];
    keepChatTokenFresh(conn, { user: 'alice', tokenUserId: '', fetchToken: async () => ChatTokenBuilder2.buildAppToken(APP_ID, CERT, 600), onError: (e) => errors.push(e.code) });
    conn.dispatch('onTokenWillExpire');
    await flush();
    expect(errors).toEqual(['ERR_PRIVILEGE_MISSING']);
  });

  it('the user id to expect: the login token\'s (a UUID), or tokenUserId', async () => {
    const uuid = '5ad4fc1e-3c9b-4c89-9d5a-3bd2b3b0d0a1';
    const conn = new FakeConnection();
    const errors: string[] = [];
    keepChatTokenFresh(conn, { user: 'alice', token: chatToken(uuid), fetchToken: async () => chatToken(uuid), onError: (e) => errors.push(e.code) });
    conn.dispatch('onTokenWillExpire');
    await flush();
    expect(conn.renewed).toHaveLength(1);
    const other = new FakeConnection();
    keepChatTokenFresh(other, { user: 'alice', tokenUserId: uuid, fetchToken: async () => chatToken('alice'), onError: (e) => errors.push(e.code) });
    other.dispatch('onTokenWillExpire');
    await flush();
    expect(errors).toEqual(['ERR_UID_MISMATCH']);
  });

  it('concurrent events share one fetch; an expired event during a renewal turns it into a re-open', async () => {
    const conn = new FakeConnection();
    let release!: (token: string) => void;
    const fetchToken = vi.fn(() => new Promise<string>((resolve) => { release = resolve; }));
    const reasons: string[] = [];
    keepChatTokenFresh(conn, { user: 'alice', fetchToken, onRenewing: (r) => reasons.push(r) });
    conn.dispatch('onTokenWillExpire');
    conn.dispatch('onTokenWillExpire');
    conn.opened = false;
    conn.dispatch('onTokenExpired');
    await flush();
    expect(fetchToken).toHaveBeenCalledTimes(1);
    release(chatToken());
    await flush();
    expect(conn.renewed).toEqual([]);
    expect(conn.opens).toHaveLength(1);
    expect(reasons).toEqual(['will-expire', 'expired']);
  });

  it('stop() removes exactly its handler (others stay) and a renewal under way never reaches the SDK', async () => {
    const conn = new FakeConnection();
    const mine: ChatTokenHandlers = { onTokenWillExpire: () => {} };
    conn.addEventHandler('app', mine);
    let release!: (token: string) => void;
    const stop = keepChatTokenFresh(conn, { user: 'alice', fetchToken: () => new Promise((resolve) => { release = resolve; }) });
    const stop2 = keepChatTokenFresh(conn, { user: 'alice', fetchToken: async () => chatToken() });
    expect(conn.handlers.size).toBe(3);
    conn.dispatch('onTokenWillExpire');
    stop();
    expect([...conn.handlers.keys()]).toHaveLength(2);
    expect(conn.handlers.get('app')).toBe(mine);
    release(chatToken());
    await flush();
    expect(conn.renewed).toHaveLength(1); // the second helper's, not the stopped one's
    stop2();
    expect([...conn.handlers.keys()]).toEqual(['app']);
  });

  it('renewBefore: renews on its own timer from the decoded expiry, and takes the expired path when the token ends', async () => {
    const conn = new FakeConnection();
    conn.opened = false; // e.g. Agora unreachable: the SDK never warns
    let up = true;
    const events: string[] = [];
    keepChatTokenFresh(conn, {
      user: 'alice', token: chatToken('alice', 60), renewBefore: 10, retry: { attempts: 2, baseDelayMs: 100 },
      fetchToken: async () => { if (!up) throw new Error('down'); return chatToken('alice', 60); },
      onRenewing: (r) => events.push(`renewing ${r}`),
      onToken: (t) => events.push(`token until +${t.expiresAt - T0}`),
      onRenewed: (r) => events.push(`${r.reason} ${r.action}`),
      onError: (e) => events.push(e.code),
    });
    await vi.advanceTimersByTimeAsync(49_000);
    expect(events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(events).toEqual(['renewing will-expire', 'token until +110', 'will-expire open']);
    up = false;
    await vi.advanceTimersByTimeAsync(50_000); // +100: renew fails, the token ends at +110
    await vi.advanceTimersByTimeAsync(11_000);
    expect(events.slice(3)).toEqual(['renewing will-expire', 'ERR_TOKEN_FETCH', 'renewing expired', 'ERR_TOKEN_FETCH']);
    expect(events).not.toContain('expired renewToken');
  });

  it('a renewal that completes after the token ended re-opens instead of renewing', async () => {
    const conn = new FakeConnection();
    let release!: (token: string) => void;
    const renewals: string[] = [];
    keepChatTokenFresh(conn, {
      user: 'alice', token: chatToken('alice', 30), renewBefore: 5,
      fetchToken: () => new Promise((resolve) => { release = resolve; }),
      onRenewed: (r) => renewals.push(`${r.reason} ${r.action}`),
    });
    await vi.advanceTimersByTimeAsync(26_000);
    conn.opened = false;
    await vi.advanceTimersByTimeAsync(10_000); // past the end while the fetch hangs
    release(chatToken('alice', 30));
    await flush();
    expect(conn.renewed).toEqual([]);
    expect(renewals).toEqual(['expired open']);
  });

  it('renewBefore with tokens that last no longer than it: renewals stay apart (half the life, at least 1 s), never a loop', async () => {
    const conn = new FakeConnection();
    let fetches = 0;
    keepChatTokenFresh(conn, {
      user: 'alice', token: chatToken('alice', 60), renewBefore: 60,
      fetchToken: async () => { fetches++; return chatToken('alice', 60); },
    });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fetches).toBe(1); // the login token is inside the window: renewed at once, and then not
    await vi.advanceTimersByTimeAsync(29_000);
    expect(fetches).toBe(2); // half of the new token's 60 s
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetches).toBe(4);
    expect(conn.renewed).toHaveLength(4);
  });

  it('a token that lasts longer than setTimeout can wait (24.8 days) is renewed at its time, not early', async () => {
    const conn = new FakeConnection();
    const days = 86_400_000;
    const reasons: string[] = [];
    keepChatTokenFresh(conn, {
      user: 'alice', token: chatToken('alice', 30 * 86_400), renewBefore: 60,
      fetchToken: async () => chatToken('alice', 30 * 86_400),
      onRenewing: (reason) => reasons.push(reason),
    });
    await vi.advanceTimersByTimeAsync(29 * days);
    expect(reasons).toEqual([]);
    await vi.advanceTimersByTimeAsync(days - 61_000);
    expect(reasons).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(reasons).toEqual(['will-expire']);
    expect(conn.opens).toEqual([]);
  });

  it('an expired event while the SDK takes a renewal: the new token then goes the expired way (re-open)', async () => {
    const conn = new FakeConnection();
    let finishRenew!: () => void;
    conn.renewToken = async (token: string) => {
      await new Promise<void>((resolve) => { finishRenew = resolve; });
      conn.renewed.push(token);
      return { status: true };
    };
    let fetches = 0;
    const reasons: string[] = [];
    const renewals: string[] = [];
    keepChatTokenFresh(conn, {
      user: 'alice', fetchToken: async () => { fetches++; return chatToken(); },
      onRenewing: (reason) => reasons.push(reason),
      onRenewed: (r) => renewals.push(`${r.reason} ${r.action}`),
    });
    conn.dispatch('onTokenWillExpire');
    await flush(); // fetched; renewToken under way
    conn.opened = false; // the old token ends: the SDK closes the connection
    conn.dispatch('onTokenExpired');
    finishRenew();
    await flush();
    expect(fetches).toBe(2);
    expect(conn.opens).toHaveLength(1);
    expect(reasons).toEqual(['will-expire', 'expired']);
    expect(renewals).toEqual(['will-expire renewToken', 'expired open']);

    // The same, with the SDK refusing the renewal on the connection that just closed: the
    // expired-way renewal after it re-opens, and no failure is reported for the first.
    const closing = new FakeConnection();
    let refuse!: () => void;
    closing.renewToken = () => new Promise((_, reject) => { refuse = () => reject(new Error('connection closed')); });
    const errors: string[] = [];
    keepChatTokenFresh(closing, { user: 'alice', fetchToken: async () => chatToken(), onError: (e) => errors.push(e.code) });
    closing.dispatch('onTokenWillExpire');
    await flush();
    closing.opened = false;
    closing.dispatch('onTokenExpired');
    refuse();
    await flush();
    expect(closing.opens).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('after stop(), nothing reaches the SDK: not an open after a failed renewal, not a renewal after onToken stopped it', async () => {
    const conn = new FakeConnection();
    let failRenew!: () => void;
    conn.renewToken = () => new Promise((_, reject) => { failRenew = () => reject(new Error('closed')); });
    const stop = keepChatTokenFresh(conn, { user: 'alice', fetchToken: async () => chatToken(), onError: () => {} });
    conn.dispatch('onTokenExpired'); // still open: renewToken first, open if it fails
    await flush();
    stop(); // e.g. the app logs out
    failRenew();
    await flush();
    expect(conn.opens).toEqual([]);

    const other = new FakeConnection();
    let stopOther!: () => void;
    stopOther = keepChatTokenFresh(other, { user: 'alice', fetchToken: async () => chatToken(), onToken: () => stopOther() });
    other.dispatch('onTokenWillExpire');
    await flush();
    expect(other.renewed).toEqual([]);

    // onRenewing that stops the helper: not even a fetch follows.
    const third = new FakeConnection();
    let fetches = 0;
    let stopThird!: () => void;
    stopThird = keepChatTokenFresh(third, { user: 'alice', fetchToken: async () => { fetches++; return chatToken(); }, onRenewing: () => stopThird() });
    third.dispatch('onTokenWillExpire');
    await flush();
    expect(fetches).toBe(0);
  });

  it('stop() during a retry\'s wait ends that renewal at once: no further fetch, its promise settles', async () => {
    let fetches = 0;
    const refresher = startRefresher(
      { fetchToken: async () => { fetches++; throw new Error('down'); }, retry: { attempts: 5, baseDelayMs: 60_000 }, onError: () => {} },
      () => ({ service: 'chat', privilege: [1, 'user'], fields: { userId: 'alice' } }),
      async () => 'renewToken',
    );
    let settled = false;
    void refresher.request('will-expire').then(() => { settled = true; });
    await flush();
    expect(fetches).toBe(1);
    refresher.stop();
    await flush();
    expect(settled).toBe(true);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(fetches).toBe(1);
  });

  it('a callback that throws is reported (console.error here) and the renewal goes on; so is an onError that throws', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const conn = new FakeConnection();
      const boom = () => { throw new Error('app bug'); };
      keepChatTokenFresh(conn, { user: 'alice', fetchToken: async () => chatToken(), onRenewing: boom, onToken: boom, onRenewed: boom });
      conn.dispatch('onTokenWillExpire');
      await flush();
      expect(conn.renewed).toHaveLength(1);
      expect(logged).toHaveBeenCalledTimes(3);
      const failing = new FakeConnection();
      failing.renewResult = { status: false };
      keepChatTokenFresh(failing, { user: 'alice', fetchToken: async () => chatToken(), onError: boom });
      failing.dispatch('onTokenWillExpire');
      await flush();
      expect(logged).toHaveBeenCalledTimes(4);
    } finally {
      logged.mockRestore();
    }
  });

  it('wrong options throw TokenError at once', () => {
    const conn = new FakeConnection();
    expect(() => keepChatTokenFresh(conn, { user: '', fetchToken: async () => '' })).toThrow(expect.objectContaining({ code: 'ERR_MISSING_ARGUMENT' }));
    expect(() => keepChatTokenFresh(conn, { user: 'a' } as never)).toThrow(expect.objectContaining({ code: 'ERR_MISSING_ARGUMENT' }));
    expect(() => keepChatTokenFresh(conn, { user: 'a', fetchToken: async () => '', renewBefore: -1 })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() => keepChatTokenFresh(conn, { user: 'a', fetchToken: async () => '', retry: { attempts: 0 } })).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(conn.handlers.size).toBe(0);
  });
});

describe('keepRtcTokenFresh', () => {
  const rtcToken = (channel = 'room', uid = 42) => RtcTokenBuilder2.buildTokenWithUid(APP_ID, CERT, channel, uid, RtcRole.PUBLISHER, 600, 600, { issueTs: now() });

  it('will-expire → renewToken; did-expire → onExpired (re-join) or renewToken', async () => {
    const client = new FakeRtcClient('room', 42);
    const fresh = rtcToken();
    const rejoined: string[] = [];
    keepRtcTokenFresh(client, { fetchToken: async () => fresh, onExpired: (t) => { rejoined.push(t); } });
    client.emit('token-privilege-will-expire');
    await flush();
    expect(client.renewed).toEqual([fresh]);
    client.emit('token-privilege-did-expire');
    await flush();
    expect(rejoined).toEqual([fresh]);
    const plain = new FakeRtcClient('room', 42);
    keepRtcTokenFresh(plain, { fetchToken: async () => fresh });
    plain.emit('token-privilege-did-expire');
    await flush();
    expect(plain.renewed).toEqual([fresh]);
  });

  it('did-expire after the SDK left the channel: the token to re-join with is checked against the channel and uid last seen', async () => {
    const client = new FakeRtcClient('room', 42);
    let next = rtcToken('other', 7);
    const errors: string[] = [];
    const rejoined: string[] = [];
    keepRtcTokenFresh(client, { fetchToken: async () => next, onExpired: (t) => { rejoined.push(t); }, onError: (e) => errors.push(e.code), retry: false });
    // As agora-rtc-sdk-ng does on did-expire: it leaves and resets before the event.
    client.channelName = undefined;
    client.uid = undefined;
    client.emit('token-privilege-did-expire');
    await flush();
    expect(errors).toEqual(['ERR_CHANNEL_MISMATCH']);
    expect(rejoined).toEqual([]);
    next = rtcToken('room', 42);
    client.emit('token-privilege-did-expire');
    await flush();
    expect(rejoined).toEqual([next]);
  });

  it('refuses a token for another channel or uid, or for Chat; uid 0 tokens fit any uid', async () => {
    const errors: string[] = [];
    for (const token of [rtcToken('other', 42), rtcToken('room', 7), chatToken(), rtcToken('room', 0)]) {
      const client = new FakeRtcClient('room', 42);
      keepRtcTokenFresh(client, { fetchToken: async () => token, onError: (e) => errors.push(e.code) });
      client.emit('token-privilege-will-expire');
      await flush();
      if (client.renewed.length) errors.push('renewed');
    }
    expect(errors).toEqual(['ERR_CHANNEL_MISMATCH', 'ERR_UID_MISMATCH', 'ERR_SERVICE_MISSING', 'renewed']);
  });

  it('one fetch for concurrent events; stop() calls off for exactly its two listeners', async () => {
    const client = new FakeRtcClient('room', 42);
    const other = () => {};
    client.on('token-privilege-will-expire', other);
    const fetchToken = vi.fn(async () => rtcToken());
    const stop = keepRtcTokenFresh(client, { fetchToken });
    expect(client.count()).toBe(3);
    client.emit('token-privilege-will-expire');
    client.emit('token-privilege-will-expire');
    await flush();
    expect(fetchToken).toHaveBeenCalledTimes(1);
    expect(client.renewed).toHaveLength(1);
    stop();
    expect(client.count()).toBe(1);
    expect(client.listeners.get('token-privilege-will-expire')?.has(other)).toBe(true);
  });
});

describe('keepRtmTokenFresh', () => {
  class FakeRtmClient implements RtmClientLike {
    listeners: [string, unknown][] = [];
    renewed: string[] = [];
    addEventListener(event: string, listener: unknown) { this.listeners.push([event, listener]); }
    removeEventListener(event: string, listener: unknown) { this.listeners = this.listeners.filter(([e, l]) => e !== event || l !== listener); }
    async renewToken(token: string) { this.renewed.push(token); return {}; }
    emit(event: 'tokenPrivilegeWillExpire' | 'linkState', arg: string | RtmLinkStateLike) {
      for (const [e, l] of this.listeners) if (e === event) (l as (a: unknown) => void)(arg);
    }
  }
  const rtmToken = (user = 'bob') => RtmTokenBuilder2.buildToken(APP_ID, CERT, user, 600, { issueTs: now() });

  it('renews the login token on tokenPrivilegeWillExpire (""), re-logs in on TOKEN_EXPIRED, refuses other users; stop() removes both listeners', async () => {
    const client = new FakeRtmClient();
    const fresh = rtmToken();
    const relogin: string[] = [];
    const stop = keepRtmTokenFresh(client, { userId: 'bob', fetchToken: async () => fresh, onExpired: (t) => { relogin.push(t); } });
    client.emit('tokenPrivilegeWillExpire', '');
    client.emit('tokenPrivilegeWillExpire', 'a-stream-channel'); // that channel's RTC token: the app's
    await flush();
    expect(client.renewed).toEqual([fresh]);
    client.emit('linkState', { currentState: 'FAILED', reasonCode: 'TOKEN_EXPIRED' });
    await flush();
    expect(relogin).toEqual([fresh]);
    stop();
    expect(client.listeners).toEqual([]);

    const errors: string[] = [];
    const wrong = new FakeRtmClient();
    keepRtmTokenFresh(wrong, { userId: 'bob', fetchToken: async () => rtmToken('eve'), onError: (e) => errors.push(e.code) });
    wrong.emit('tokenPrivilegeWillExpire', '');
    await flush();
    expect(errors).toEqual(['ERR_UID_MISMATCH']);
    expect(wrong.renewed).toEqual([]);
  });
});
