/**
 * The client helpers on the real SDKs, in headless Chromium (agora-chat needs a browser global
 * scope): a real agora-chat `Connection`, a real agora-rtc-sdk-ng client and a real
 * agora-rtm-sdk `RTM` client are constructed (no network), the helpers attached, and their
 * handlers driven through the SDKs' own machinery — the Chat SDK's token countdown
 * (`tokenExpireTimeCountDown`, whose timers dispatch onTokenWillExpire / onTokenExpired to every
 * handler registered with addEventHandler) and the RTC and RTM clients' own event emitters —
 * never by calling our handlers directly.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatTokenBuilder2, RtcRole, RtcTokenBuilder2, RtmTokenBuilder2 } from '../src/index';

const CHROMIUM = '/usr/bin/chromium';
const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERT = '5cfd2fd1755d40ecb72977518be15d3b';
const ENTRY = `
import * as chat from 'agora-chat';
import AgoraRTC from 'agora-rtc-sdk-ng';
import AgoraRTM from 'agora-rtm-sdk';
import * as client from ${JSON.stringify(fileURLToPath(new URL('../src/client/index.ts', import.meta.url)))};
const AgoraChat = chat.default.default ?? chat.default;
window.sdk = { AgoraChat, AgoraRTC, AgoraRTM, ...client };
`;

const missing = !existsSync(CHROMIUM) ? `${CHROMIUM} is not installed` : undefined;

describe.skipIf(missing !== undefined)('client helpers on the real SDKs (Chromium)', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const bundle = await build({
      stdin: { contents: ENTRY, resolveDir: fileURLToPath(new URL('..', import.meta.url)), loader: 'ts' },
      bundle: true, format: 'iife', platform: 'browser', write: false, logLevel: 'error',
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // A page on an http origin (the SDKs use localStorage), answered by Playwright: no server, no network.
    await page.route('http://sdk.test/**', (route) => route.request().url().endsWith('/sdk.js')
      ? route.fulfill({ body: bundle.outputFiles[0].text, contentType: 'text/javascript' })
      : route.fulfill({ body: '<!doctype html><script src="/sdk.js"></script>', contentType: 'text/html' }));
    await page.goto('http://sdk.test/');
    await page.waitForFunction(() => (window as { sdk?: unknown }).sdk !== undefined);
    expect(errors).toEqual([]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('agora-chat Connection: the SDK\'s own token timers reach keepChatTokenFresh through addEventHandler; stop() removes it', async () => {
    const token = ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'alice', 600);
    const result = await page.evaluate(async (token) => {
      const { AgoraChat, keepChatTokenFresh } = (window as any).sdk;
      const connection = new AgoraChat.connection({ appKey: 'example-org#example-app' });
      const seen = { fetches: 0, reasons: [] as string[], tokens: [] as string[], errors: [] as string[] };
      connection.addEventHandler('app', { onTokenWillExpire: () => seen.reasons.push('app: will-expire') });
      const stop = keepChatTokenFresh(connection, {
        user: 'alice',
        retry: false,
        fetchToken: async () => { seen.fetches++; return token; },
        onRenewing: (reason: string) => seen.reasons.push(reason),
        onToken: (fresh: { token: string }) => seen.tokens.push(fresh.token),
        onError: (error: { code: string }) => seen.errors.push(error.code),
      });
      const registered = Object.keys(connection.eventHandler.handlerData);
      connection.tokenExpireTimeCountDown(400); // the SDK's own countdown: will-expire at 320 ms, expired at 400 ms
      await new Promise((resolve) => setTimeout(resolve, 1500));
      stop();
      const after = Object.keys(connection.eventHandler.handlerData);
      connection.eventHandler.dispatch('onTokenWillExpire'); // after stop(): only the app's handler
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { ...seen, registered, after, opened: connection.isOpened() };
    }, token);
    expect(result.registered).toEqual(['app', expect.stringMatching(/^agora-access-token2:[0-9a-f]{16}$/)]);
    expect(result.reasons.slice(0, 3)).toEqual(['app: will-expire', 'will-expire', 'expired']);
    expect(result.fetches).toBeGreaterThanOrEqual(1);
    expect(result.tokens[0]).toBe(token);
    // Not connected (no network): the helper tried open({ user, accessToken }), which the SDK rejected.
    expect(result.errors.length).toBeGreaterThanOrEqual(1);
    expect(new Set(result.errors)).toEqual(new Set(['ERR_TOKEN_RENEW']));
    expect(result.after).toEqual(['app']);
    expect(result.reasons.at(-1)).toBe('app: will-expire');
    expect(result.reasons.filter((r) => r === 'will-expire')).toHaveLength(1);
  });

  it('agora-rtc-sdk-ng client: events from the client\'s own emitter reach keepRtcTokenFresh; stop() calls off for exactly its listeners', async () => {
    const token = RtcTokenBuilder2.buildTokenWithUid(APP_ID, CERT, 'room', 42, RtcRole.PUBLISHER, 600, 600);
    const result = await page.evaluate(async (token) => {
      const { AgoraRTC, keepRtcTokenFresh } = (window as any).sdk;
      const client = AgoraRTC.createClient({ mode: 'rtc', codec: 'vp8' });
      const seen = { fetches: 0, rejoined: [] as string[], errors: [] as string[] };
      const own = () => {};
      client.on('token-privilege-did-expire', own);
      const before = client.getListeners('token-privilege-did-expire').length + client.getListeners('token-privilege-will-expire').length;
      const stop = keepRtcTokenFresh(client, {
        fetchToken: async () => { seen.fetches++; return token; },
        onExpired: (t: string) => { seen.rejoined.push(t); },
        onError: (error: { code: string }) => seen.errors.push(error.code),
        retry: false,
      });
      const during = client.getListeners('token-privilege-did-expire').length + client.getListeners('token-privilege-will-expire').length;
      client.emit('token-privilege-did-expire');
      await new Promise((resolve) => setTimeout(resolve, 200));
      client.emit('token-privilege-will-expire'); // not joined: the SDK's renewToken refuses
      await new Promise((resolve) => setTimeout(resolve, 300));
      stop();
      const after = client.getListeners('token-privilege-did-expire');
      return { ...seen, before, during, afterCount: after.length, ownKept: after[0] === own };
    }, token);
    expect(result.rejoined).toEqual([token]);
    expect(result.fetches).toBe(2);
    expect(result.errors).toEqual(['ERR_TOKEN_RENEW']);
    expect([result.before, result.during, result.afterCount, result.ownKept]).toEqual([1, 3, 1, true]);
  });

  it('agora-rtm-sdk RTM client: the SDK\'s will-expire handler and its emitter reach keepRtmTokenFresh; stop() removes exactly its listeners', async () => {
    const token = RtmTokenBuilder2.buildToken(APP_ID, CERT, 'alice', 600);
    const result = await page.evaluate(async ({ token, appId }) => {
      const { AgoraRTM, keepRtmTokenFresh } = (window as any).sdk;
      const rtm = new AgoraRTM.RTM(appId, 'alice', {});
      // The client hands listeners to its implementation's emitter (client.addEventListener is
      // impl.on), whose own will-expire handler is what the SDK runs when the server warns.
      const impl = rtm._rtmImpl;
      const seen = { fetches: 0, relogins: [] as string[], errors: [] as string[] };
      const own = () => {};
      rtm.addEventListener('linkState', own);
      const count = () => impl.listenerCount('tokenPrivilegeWillExpire') + impl.listenerCount('linkState');
      const before = count();
      const stop = keepRtmTokenFresh(rtm, {
        userId: 'alice',
        fetchToken: async () => { seen.fetches++; return token; },
        onExpired: (t: string) => { seen.relogins.push(t); },
        onError: (error: { code: string }) => seen.errors.push(error.code),
        retry: false,
      });
      const during = count();
      const settle = () => new Promise((resolve) => setTimeout(resolve, 300));
      impl._tokenPrivilegeWillExpireHandler([]); // the SDK's handler: emits with no channel name (the login token)
      await settle(); // not logged in: the SDK's renewToken refuses
      impl.emit('tokenPrivilegeWillExpire', 'stream-channel'); // a stream channel's own token: left to the app
      impl.emit('linkState', { currentState: 'CONNECTED', reasonCode: 'LOGIN_SUCCESS' });
      await settle();
      const fetchesBeforeExpiry = seen.fetches;
      impl.emit('linkState', { currentState: 'FAILED', reasonCode: 'TOKEN_EXPIRED' });
      await settle();
      stop();
      const after = count();
      impl._tokenPrivilegeWillExpireHandler([]);
      await settle();
      return { ...seen, fetchesBeforeExpiry, before, during, after };
    }, { token, appId: APP_ID });
    expect(result.fetchesBeforeExpiry).toBe(1);
    expect(result.errors).toEqual(['ERR_TOKEN_RENEW']);
    expect(result.relogins).toEqual([token]);
    expect(result.fetches).toBe(2);
    expect([result.before, result.during, result.after]).toEqual([1, 3, 1]);
  });
});
