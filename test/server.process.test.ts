/**
 * End to end: `agora-access-token2 serve` as a real process, talking HTTP, with the Chat REST
 * API played by the fake on loopback. Every token it returns must verify.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeToken, verifyToken, type DecodedToken007 } from '../src/index';
import { startFakeChatRest, type FakeChatRest } from './helpers/fake-chat-rest';
import { requireBuiltCli, startCli } from './helpers/run-cli';

const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERT = '5cfd2fd1755d40ecb72977518be15d3b';

describe('serve (a real process) with the Chat REST API', () => {
  let fake: FakeChatRest;
  let running: Awaited<ReturnType<typeof startCli>>;
  let url: string;

  beforeAll(async () => {
    requireBuiltCli();
    fake = await startFakeChatRest({ appId: APP_ID, appCertificate: CERT });
    running = await startCli(['serve', '--port', '0'], {
      AGORA_APP_ID: APP_ID,
      AGORA_APP_CERTIFICATE: CERT,
      AGORA_CHAT_APP_KEY: `${fake.org}#${fake.app}`,
      AGORA_CHAT_REST_HOST: fake.url,
    }, /open to everyone.*\n/);
    url = /listening on (http:\/\/[\d.:]+)/.exec(running.output())![1];
  });

  afterAll(async () => {
    await fake?.close();
    if (running) expect(await running.stop()).toBe(0); // SIGTERM: a clean exit
  });

  it('says where it listens and which user directory it uses, without printing the certificate', () => {
    const out = running.output();
    expect(out).toMatch(new RegExp(`Chat users: REST API at ${fake.url.replace(/[.]/g, '\\.')}`));
    expect(out).toContain(`app ID ${APP_ID}`);
    expect(out).not.toContain(CERT);
  });

  it('every token it returns verifies', async () => {
    const names = ['alice', 'bob', 'carol', 'dave', 'erin'];
    const userTokens = await Promise.all(names.map((name) => fetch(`${url}/chat/user/${name}/token`).then((r) => r.text())));
    names.forEach((name, i) => {
      const decoded = verifyToken(userTokens[i], CERT, { appId: APP_ID, service: 'chat', privilege: 'user' }) as DecodedToken007;
      expect(decoded.services[0].userId).toBe(fake.users.get(name)!.uuid);
    });

    const app = await fetch(`${url}/chat/app/token`, { headers: { accept: 'application/json' } });
    const body = (await app.json()) as { token: string; expire: number; expiresAt: number };
    const decodedApp = verifyToken(body.token, CERT, { service: 'chat', privilege: 'app' });
    expect(body.expiresAt).toBe(decodedApp.expiresAt);

    const { rtcToken: rtc } = (await (await fetch(`${url}/rtc/room1/publisher/uid/42?expire=120`)).json()) as { rtcToken: string };
    expect(verifyToken(rtc, CERT, { service: 'rtc', privilege: 'publishVideoStream', channelName: 'room1', uid: 42 }).expiresAt)
      .toBe((decodeToken(rtc) as DecodedToken007).issueTs + 120);
    const { rtcToken: account } = (await (await fetch(`${url}/rtc/room1/subscriber/account/bob`)).json()) as { rtcToken: string };
    verifyToken(account, CERT, { service: 'rtc', privilege: 'joinChannel', uid: 'bob' });
    const { rtmToken: rtm } = (await (await fetch(`${url}/rtm/bob`)).json()) as { rtmToken: string };
    verifyToken(rtm, CERT, { service: 'rtm', privilege: 'login' });

    // The REST calls carried a Bearer app token that the fake verified.
    expect(fake.requests.every((r) => r.status !== 401)).toBe(true);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(names.length);
  });

  it('the URLs the React UIKit and the Unity quickstart fetch (res.json(), rtcToken) give tokens that verify for their channel and uid', async () => {
    // The request agora-react-uikit's token fetch makes, written out here (not the UIKit's code):
    // `${tokenUrl}/rtc/${channel}/publisher/uid/${uid}/`, no Accept header.
    const tokenUrl = url;
    async function fetchRtcToken(channel: string, uid: number): Promise<string> {
      const res = await fetch(`${tokenUrl}/rtc/${channel}/publisher/uid/${uid}/`);
      const data = (await res.json()) as { rtcToken: string };
      return data.rtcToken;
    }
    for (const uid of [0, 42, 4294967295]) {
      const token = await fetchRtcToken('uikit-test', uid);
      const decoded = verifyToken(token, CERT, { appId: APP_ID, service: 'rtc', privilege: 'publishVideoStream', channelName: 'uikit-test', uid }) as DecodedToken007;
      expect(decoded.expire).toBe(3600);
    }
    // The Unity quickstart's renewal asks with ?expiry= (the community name).
    const res = await fetch(`${tokenUrl}/rtc/uikit-test/subscriber/uid/7/?expiry=600`);
    const { rtcToken } = (await res.json()) as { rtcToken: string };
    expect(verifyToken(rtcToken, CERT, { service: 'rtc', privilege: 'joinChannel', channelName: 'uikit-test', uid: 7 }).expire).toBe(600);
  });

  it('answers errors as JSON with a code, and logs one line per request', async () => {
    const response = await fetch(`${url}/chat/user/NOT%20OK/token`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_username' });
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok', directory: 'rest', demo: false });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(running.output()).toMatch(/GET \/chat\/user\/NOT%20OK\/token 400 \d+ms invalid_username/);
  });

  it('answers methods fetch\'s Request refuses (TRACE) with 405 and keeps serving', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${url}/chat/app/token`, { method: 'TRACE' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(405);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it('serves the page and the library\'s browser build', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<title>Agora Chat tokens<\/title>/);
    const bundle = await (await fetch(`${url}/agora-access-token2.js`)).text();
    expect(bundle).toBe(readFileSync(fileURLToPath(new URL('../dist/browser/agora-access-token2.js', import.meta.url)), 'utf8'));
  });
});
