import { Agent, createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { applyConnectionLimits, DEFAULT_CONNECTION_LIMITS, resolveConnectionLimits } from '../src/server/connection-limits';
import { TokenError } from '../src/index';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A node:http server with the limits, answering /healthz at once and /slow after `slowMs`. */
async function limitedServer(limits: Parameters<typeof resolveConnectionLimits>[0], slowMs = 0): Promise<number> {
  const server = createServer((req, res) => {
    const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    if (req.url === '/slow') setTimeout(answer, slowMs);
    else answer();
  });
  applyConnectionLimits(server, resolveConnectionLimits(limits));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Opens a TCP connection (from `localAddress`) that sends nothing; resolves when connected. */
function idleSocket(port: number, localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress }, () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

function closed(socket: Socket): Promise<void> {
  return socket.closed ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

function get(port: number, path: string, agent = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ port, host: '127.0.0.1', path, agent: agent ? undefined : false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('connection limits of the Node server', () => {
  it('defaults: an idle socket closed within 10 s, headers within 10 s, requests within 30 s', () => {
    expect(DEFAULT_CONNECTION_LIMITS).toEqual({
      maxConnections: 512, maxConnectionsPerClient: 128, idleTimeoutMs: 10_000, headersTimeoutMs: 10_000, requestTimeoutMs: 30_000,
    });
    const server = createServer();
    applyConnectionLimits(server);
    expect([server.headersTimeout, server.requestTimeout, server.keepAliveTimeout, server.maxConnections, server.connectionsCheckingInterval])
      .toEqual([10_000, 30_000, 10_000, 512, 1000]);
  });

  it('a socket that connects and sends nothing is closed after the idle timeout (Node alone keeps it)', async () => {
    const port = await limitedServer({ idleTimeoutMs: 400 });
    const socket = await idleSocket(port);
    const started = Date.now();
    await closed(socket);
    const ms = Date.now() - started;
    expect(ms).toBeGreaterThanOrEqual(300);
    expect(ms).toBeLessThan(3000);

    // Without the limits Node holds it (the defect): still open well past that time.
    const bare = createServer((_, res) => res.end());
    servers.push(bare);
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const held = await idleSocket((bare.address() as AddressInfo).port);
    await sleep(1000);
    expect(held.closed).toBe(false);
  });

  it('a request slower than the idle timeout is not cut; a kept-alive socket idles out after it', async () => {
    const port = await limitedServer({ idleTimeoutMs: 300 }, 800);
    const agent = new Agent({ keepAlive: true });
    let socket: Socket | undefined;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ port, host: '127.0.0.1', path: '/slow', agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('socket', (s) => {
        socket = s;
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(200);
    const started = Date.now();
    await closed(socket!);
    expect(Date.now() - started).toBeLessThan(2000);
    agent.destroy();
  });

  it('/healthz keeps answering while one client holds hundreds of idle sockets', async () => {
    const port = await limitedServer({ maxConnectionsPerClient: 50, maxConnections: 400, idleTimeoutMs: 60_000 });
    // The attacker, from 127.0.0.2: 300 idle sockets; beyond 50 they are closed at once.
    const attempts = await Promise.all(Array.from({ length: 300 }, () => idleSocket(port, '127.0.0.2').catch(() => undefined)));
    await sleep(300);
    const open = attempts.filter((s) => s !== undefined && !s.closed);
    expect(open.length).toBe(50);
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(port, '/healthz')));
    expect(answers.every((status) => status === 200)).toBe(true);
  });

  it('resolveConnectionLimits checks every value', () => {
    expect(resolveConnectionLimits({ idleTimeoutMs: 5000 }).idleTimeoutMs).toBe(5000);
    for (const bad of [{ maxConnections: 0 }, { idleTimeoutMs: 1.5 }, { requestTimeoutMs: 10 }, { headersTimeoutMs: 60_000, requestTimeoutMs: 30_000 }]) {
      expect(() => resolveConnectionLimits(bad)).toThrow(TokenError);
    }
  });
});
