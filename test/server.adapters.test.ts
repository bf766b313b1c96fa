/**
 * The token server mounted the ways docs/server.md shows: `toNodeListener` in node:http,
 * Express 5 and Fastify 5 (real servers on loopback), and `server.fetch` in Hono. Every token
 * returned is verified.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { TokenError, verifyToken } from '../src/index';
import { createTokenServer, toNodeListener, type TokenServer } from '../src/server/index';

const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERT = '5cfd2fd1755d40ecb72977518be15d3b';
const server = createTokenServer({ appId: APP_ID, appCertificate: CERT });
const closers: (() => Promise<unknown>)[] = [];
afterAll(() => Promise.all(closers.map((close) => close())));

async function listen(http: Server): Promise<string> {
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => {
    http.close(resolve);
    http.closeAllConnections();
  }));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

/** The same checks through any mount: a community route, the guide route, POST, HEAD, errors. */
async function exercise(base: string): Promise<void> {
  const rtc = (await (await fetch(`${base}/rtc/room1/publisher/uid/42/?expiry=600`)).json()) as { rtcToken: string; expire: number };
  expect(verifyToken(rtc.rtcToken, CERT, { appId: APP_ID, service: 'rtc', privilege: 'publishVideoStream', channelName: 'room1', uid: 42 }).expire).toBe(600);
  const text = await (await fetch(`${base}/chat/app/token`)).text();
  verifyToken(text, CERT, { service: 'chat', privilege: 'app' });
  const posted = await fetch(`${base}/getToken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tokenType: 'rtm', uid: 'bob' }) });
  expect(posted.status).toBe(200);
  verifyToken(((await posted.json()) as { token: string }).token, CERT, { service: 'rtm', privilege: 'login' });
  const bad = await fetch(`${base}/getToken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"tokenType":"nope"}' });
  expect([bad.status, ((await bad.json()) as { error: string }).error]).toEqual([400, 'invalid_token_type']);
  const huge = await fetch(`${base}/getToken`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(10_000) });
  expect(huge.status).toBe(413);
  const head = await fetch(`${base}/ping`, { method: 'HEAD' });
  expect([head.status, head.headers.get('content-length'), await head.text()]).toEqual([200, '18', '']);
  const missing = await fetch(`${base}/rtm/0`);
  expect([missing.status, ((await missing.json()) as { error: string }).error]).toEqual([400, 'invalid_user_id']);
}

describe('adapters', () => {
  it('node:http: createServer(toNodeListener(server))', async () => {
    await exercise(await listen(createServer(toNodeListener(server))));
  });

  it('Express 5: app.use(toNodeListener(server)), next to the app\'s own routes', async () => {
    const app = express();
    app.get('/hello', (_req, res) => {
      res.send('app route');
    });
    app.use(toNodeListener(server));
    const base = await listen(createServer(app));
    await exercise(base);
    expect(await (await fetch(`${base}/hello`)).text()).toBe('app route');
  });

  it('Express 5: under a prefix with app.use("/tokens", …)', async () => {
    const app = express();
    app.use('/tokens', toNodeListener(server));
    await exercise(`${await listen(createServer(app))}/tokens`);
  });

  it('Fastify 5: a plugin that hands the raw request to the listener', async () => {
    const fastify = Fastify();
    const listener = toNodeListener(server);
    await fastify.register(async (scope) => {
      // Leave the body to the token server (POST /getToken reads at most 4 KB itself).
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
      scope.all('/*', (request, reply) => {
        reply.hijack();
        listener(request.raw, reply.raw);
      });
    });
    fastify.get('/hello', async () => 'app route');
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => fastify.close());
    const base = `http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}`;
    await exercise(base);
    expect(await (await fetch(`${base}/hello`)).text()).toBe('app route');
  });

  it('Hono (fetch-native): app.all("*", (c) => server.fetch(c.req.raw))', async () => {
    const app = new Hono();
    app.get('/hello', (c) => c.text('app route'));
    app.all('*', (c) => server.fetch(c.req.raw));
    const rtc = (await (await app.request('/rtc/room1/audience/userAccount/alice')).json()) as { rtcToken: string };
    verifyToken(rtc.rtcToken, CERT, { service: 'rtc', privilege: 'joinChannel', channelName: 'room1', uid: 'alice' });
    const posted = await app.request('/getToken', { method: 'POST', body: '{"tokenType":"chat","uid":"alice"}' });
    verifyToken(((await posted.json()) as { token: string }).token, CERT, { service: 'chat', privilege: 'user' });
    expect(await (await app.request('/hello')).text()).toBe('app route');
  });

  it('toNodeListener refuses an object that is not a token server', () => {
    const impostor: TokenServer = { fetch: (request) => server.fetch(request) };
    expect(() => toNodeListener(impostor)).toThrow(TokenError);
  });
});
