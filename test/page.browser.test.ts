/**
 * The web page in headless Chromium: log in, see the decoded token, see it renewed before it
 * expires (a 3-second lifetime here), inspect tokens — a tampered one shows the error — and the
 * certificate typed into the inspector never leaves the page. A screenshot is kept in
 * test-output/page.png.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatTokenBuilder2, RtcRole, RtcTokenBuilder2 } from '../src/index';
import { createTokenServer } from '../src/server/index';
import { serveNode, type NodeTokenServer } from '../src/server/node';

const CHROMIUM = '/usr/bin/chromium';
const BUNDLE = fileURLToPath(new URL('../dist/browser/agora-access-token2.js', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../test-output/', import.meta.url));
const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERT = '5cfd2fd1755d40ecb72977518be15d3b';
const LIFETIME = 3;

const missing = !existsSync(CHROMIUM) ? `${CHROMIUM} is not installed (apt-get install chromium)` : !existsSync(BUNDLE) ? `${BUNDLE} is missing (npm run build)` : undefined;
if (missing) console.log(`page.browser.test.ts skipped: ${missing}`);

describe.skipIf(missing !== undefined)('the web page in headless Chromium', () => {
  let http: NodeTokenServer;
  let browser: Browser;
  let page: Page;
  const sent: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const server = createTokenServer({
      appId: APP_ID, appCertificate: CERT, expire: LIFETIME, browserBundle: readFileSync(BUNDLE, 'utf8'), demo: true,
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
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.goto(`${http.url}/`);
  });

  afterAll(async () => {
    await browser?.close();
    await http?.close();
  });

  it('loads the page script and the library without errors, with the demo banner', async () => {
    await expect.poll(() => page.locator('#demo-banner').isVisible()).toBe(true);
    expect(sent.some((line) => line.includes('/agora-access-token2.js'))).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('logs in and shows the decoded token: service, privilege, countdown', async () => {
    await page.fill('#username', 'Alice');
    await page.click('#login');
    const chat = page.locator('#user-token [data-service="chat"]');
    await chat.waitFor({ timeout: 5000 });
    const text = await chat.innerText();
    expect(text).toMatch(/Chat service \(type 5\)/);
    expect(text).toMatch(/userId\s+"[0-9a-f]{8}-[0-9a-f]{4}-4/); // the UUID the directory gave alice
    expect(text).toMatch(/user \(1\): until \d{4}-\d\d-\d\dT/);
    expect(await page.locator('#session-status').innerText()).toBe('Logged in as alice');
    expect(await page.locator('#countdown').innerText()).toMatch(/token expires in \ds|token expired/);
  });

  it('renews the token before it expires (the onTokenWillExpire flow)', async () => {
    const salt = () => page.locator('#user-token table').first().innerText();
    const renewals = async () => Number(await page.locator('#renewals').innerText());
    const [before, count] = [await salt(), await renewals()];
    await expect.poll(renewals, { timeout: 8000 }).toBeGreaterThan(count);
    expect(await salt()).not.toBe(before);
    const events = await page.locator('#events').innerText();
    expect(events).toMatch(/token renewed; new expiry/);
    expect(events).toMatch(/token will expire in [1-9]\d*s: renewing/); // before the end, not at it
    expect(events).not.toMatch(/renewal failed/);
    expect(sent.filter((line) => line.includes('/chat/user/alice/token')).length).toBeGreaterThanOrEqual(2);
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: `${OUTPUT}page.png`, fullPage: true });
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
    await page.screenshot({ path: `${OUTPUT}page-inspector.png`, fullPage: true });
  });

  it('the certificate typed into the inspector never left the page', () => {
    expect(sent.length).toBeGreaterThan(3);
    for (const line of sent) expect(line).not.toContain(CERT);
    expect(pageErrors).toEqual([]);
  });
});
