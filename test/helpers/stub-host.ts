/**
 * Bare HTTP hosts on loopback for the token server's upstream tests: one that accepts
 * connections and never answers (counting its open sockets), and one that answers every
 * request with a handler of the test's choosing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubHost {
  /** `http://127.0.0.1:port` */
  readonly url: string;
  /** Sockets open now. */
  readonly open: number;
  /** Sockets ever accepted. */
  readonly accepted: number;
  /** Requests received. */
  readonly requests: number;
  close(): Promise<void>;
}

async function start(server: Server, counts: { open: number; accepted: number; requests: number }): Promise<StubHost> {
  server.on('connection', (socket) => {
    counts.open++;
    counts.accepted++;
    socket.on('close', () => counts.open--);
  });
  server.on('request', () => counts.requests++);
  // Node's own limits would end a hung exchange for us after 300 s; the tests must see ours.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  server.keepAliveTimeout = 60_000;
  server.maxConnections = 100_000;
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get open() {
      return counts.open;
    },
    get accepted() {
      return counts.accepted;
    },
    get requests() {
      return counts.requests;
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** A host that accepts every connection and request and never answers. */
export function startHungHost(): Promise<StubHost> {
  return start(createServer(() => undefined), { open: 0, accepted: 0, requests: 0 });
}

/** A host that answers with `handler`. */
export function startStubHost(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<StubHost> {
  return start(createServer(handler), { open: 0, accepted: 0, requests: 0 });
}
