/**
 * The web page in headless Chromium, on the real Agora Chat Web SDK (bundled in page.js):
 * log in (token from this server, connection.open — Agora cannot be reached here, and the page
 * says so), at least two renewals by keepChatTokenFresh with a 4-second lifetime, the token
 * server down past the token's end ("session expired — logging in again", then a fresh login
 * once it is back, never a "renewed" after the end), and the inspector. No CSP violation.
 * Screenshots of each state go to test-output/page-*.png (the paths are printed).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatTokenBuilder2, RtcRole, RtcTokenBuilder2 } from '../src/index';
import { createTokenServer } from '../src/server/index';
import { serveNode, type NodeTokenServer } from '../src/server/node';

const CHROMIUM = '/usr/bin/chromium';
const PAGE_SCRIPT = fileURLToPath(new URL('../dist/browser/page.js', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../test-output/', import.meta.url));
const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERT = '5cfd2fd1755d40ecb72977518be15d3b';
const LIFETIME = 4;

const missing = !existsSync(CHROMIUM) ? `${CHROMIUM} is not installed (apt-get install chromium)` : !existsSync(PAGE_SCRIPT) ? `${PAGE_SCRIPT} is missing (npm run build)` : undefined;
if (missing) console.log(`page.browser.test.ts skipped: ${missing}`);

describe.skipIf(missing !== undefined)('the web page in headless Chromium', () => {
  let http: NodeTokenServer;
  let browser: Browser;
  let page: Page;
  const sent: string[] = [];
  const pageErrors: string[] = [];
  const consoleErrors: string[] = [];
  const shots: string[] = [];

  const shot = async (name: string) => {
    mkdirSync(OUTPUT, { recursive: true });
    const path = `${OUTPUT}page-${name}.png`;
    await page.screenshot({ path, fullPage: true });
    shots.push(path);
  };
  const events = () => page.locator('#events').innerText();
  const renewals = async () => Number(await page.locator('#renewals').innerText());

  beforeAll(async () => {
    const server = createTokenServer({
      appId: APP_ID, appCertificate: CERT, pageScript: readFileSync(PAGE_SCRIPT, 'utf8'), demo: true,
    });
    http = await serveNode(server, { port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1000, height: 1100 } });
    page.on('request', (request) => sent.push(`${request.method()} ${request.url()} ${JSON.stringify(request.headers())} ${request.postData() ?? ''}`));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto(`${http.url}/?expire=${LIFETIME}&renewBefore=2`);
  });

  afterAll(async () => {
    await browser?.close();
    await http?.close();
    if (shots.length) console.log(`page screenshots:\n  ${shots.join('\n  ')}`);
    if (consoleErrors.length) console.log(`console errors (the SDK, with Agora unreachable):\n  ${[...new Set(consoleErrors)].slice(0, 10).map((e) => e.slice(0, 200)).join('\n  ')}`);
  });

  it('loads the page and the bundled Chat SDK without errors, with the demo banner', async () => {
    await expect.poll(() => page.locator('#demo-banner').isVisible()).toBe(true);
    expect(sent.some((line) => line.includes('/page.js'))).toBe(true);
    expect(sent.filter((line) => !line.includes(http.url))).toEqual([]); // no CDN
    expect(pageErrors).toEqual([]);
  });

  it('logs in: token fetched and decoded, connection.open tried, "Agora unreachable" said plainly', async () => {
    await page.fill('#username', 'Alice');
    await page.click('#login');
    const chat = page.locator('#user-token [data-service="chat"]');
    await chat.waitFor({ timeout: 5000 });
    const text = await chat.innerText();
    expect(text).toMatch(/Chat service \(type 5\)/);
    expect(text).toMatch(/userId\s+"alice"/); // no Chat REST API: the token is for the username
    expect(await page.locator('#session-status').innerText()).toBe('Logged in as alice');
    await expect.poll(() => page.locator('#agora-status').innerText(), { timeout: 15_000 }).toMatch(/^Agora Chat cannot be reached/);
    await shot('login');
  });

  it('renews at least twice before expiry, driven by keepChatTokenFresh', async () => {
    const salt = () => page.locator('#user-token table').first().innerText();
    const before = await salt();
    await expect.poll(renewals, { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    expect(await salt()).not.toBe(before);
    const log = await events();
    expect(log).toMatch(/token renewed; new expiry/);
    expect(log).toMatch(/token will expire in [1-9]\d*s: renewing/); // before the end, not at it
    expect(log).not.toMatch(/expired/);
    expect(await page.locator('#countdown').innerText()).toMatch(/token expires in \ds/);
    expect(sent.filter((line) => line.includes('/chat/user/alice/token')).length).toBeGreaterThanOrEqual(3);
    await shot('renewed');
  });

  it('token server down past the end: "session expired — logging in again", then a fresh login, never "renewed" after expiry', async () => {
    await page.route('**/chat/user/**', (route) => route.abort('connectionrefused'));
    await expect.poll(() => page.locator('#session-status').innerText(), { timeout: 20_000 }).toBe('Session expired — logging in again');
    expect(await page.locator('#countdown').innerText()).toBe('token expired');
    await page.waitForTimeout(2500); // still down: stays expired
    expect(await page.locator('#session-status').innerText()).toBe('Session expired — logging in again');
    await shot('expired');
    const atExpiry = await events();
    const lines = atExpiry.split('\n');
    const expiredAt = lines.findIndex((l) => /session expired — logging in again/.test(l)); // newest first
    expect(expiredAt).toBeGreaterThanOrEqual(0);
    expect(lines.slice(0, expiredAt).join('\n')).not.toMatch(/token renewed/);

    await page.unroute('**/chat/user/**');
    await expect.poll(() => page.locator('#session-status').innerText(), { timeout: 15_000 }).toBe('Logged in as alice');
    expect(await page.locator('#countdown').innerText()).toMatch(/token expires in \ds/);
    const after = (await events()).split('\n');
    const reloggedAt = after.findIndex((l) => /logged in again with a fresh token/.test(l));
    const expiredLine = after.findIndex((l) => /session expired — logging in again/.test(l));
    expect(reloggedAt).toBeGreaterThanOrEqual(0);
    expect(after.slice(reloggedAt + 1, expiredLine).join('\n')).not.toMatch(/token renewed/); // between expiry and re-login
    await shot('relogin');
  });

  it('inspector: decodes and verifies a good token in the page', async () => {
    const token = RtcTokenBuilder2.buildTokenWithUid(APP_ID, CERT, 'room1', 42, RtcRole.PUBLISHER, 600, 600);
    await page.fill('#inspect-token', token);
    await page.fill('#inspect-certificate', CERT);
    await page.click('#inspect');
    await expect.poll(() => page.locator('#inspect-verdict').innerText()).toMatch(/^Valid/);
    const rtc = await page.locator('#inspect-result [data-service="rtc"]').innerText();
    expect(rtc).toMatch(/channelName\s+"room1"/);
    expect(rtc).toMatch(/publishVideoStream \(3\)/);
    expect(await page.locator('#inspect-error').innerText()).toBe('');
  });

  it('inspector: a tampered token shows the error; a forged one fails the signature check', async () => {
    const token = ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'alice', 600);
    const i = 60;
    const tampered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    await page.fill('#inspect-token', tampered);
    await page.fill('#inspect-certificate', '');
    await page.click('#inspect');
    await expect.poll(() => page.locator('#inspect-error').innerText()).toMatch(/^Cannot decode: ERR_TOKEN_[A-Z_]+: /);
    expect(await page.locator('#inspect-result').innerHTML()).toBe('');

    const forged = ChatTokenBuilder2.buildUserToken(APP_ID, 'f'.repeat(32), 'alice', 600);
    await page.fill('#inspect-token', forged);
    await page.fill('#inspect-certificate', CERT);
    await page.click('#inspect');
    await expect.poll(() => page.locator('#inspect-error').innerText()).toMatch(/^Not valid: ERR_SIGNATURE_MISMATCH/);
    await shot('inspector');
  });

  it('the certificate typed into the inspector never left the page; no CSP violation, no uncaught error', () => {
    expect(sent.length).toBeGreaterThan(3);
    for (const line of sent) expect(line).not.toContain(CERT);
    expect(pageErrors).toEqual([]);
    expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  });
});
