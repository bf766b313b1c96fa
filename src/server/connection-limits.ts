import { TokenError } from '../index';

/** Connection limits of the Node HTTP server (`serve`, or your own `node:http` server). */
export interface ConnectionLimits {
  /** Connections open at once, all clients together (default 512; keep it below `ulimit -n`). */
  readonly maxConnections: number;
  /** Connections open at once from one client address (default 128). */
  readonly maxConnectionsPerClient: number;
  /**
   * A connection that sends no request, or stays idle between keep-alive requests, is closed
   * after this many ms (default 10000).
   */
  readonly idleTimeoutMs: number;
  /** The request line and headers must arrive within this many ms (default 10000). */
  readonly headersTimeoutMs: number;
  /** A whole request must arrive within this many ms (default 30000). */
  readonly requestTimeoutMs: number;
}

/** The limits `serve` uses unless a flag says otherwise. */
export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 512,
  maxConnectionsPerClient: 128,
  idleTimeoutMs: 10_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
};

/** The parts of a `node:net` socket the limits use. */
export interface LimitedSocket {
  readonly remoteAddress?: string;
  /** Closes the socket after `ms` of inactivity (0: never). */
  setTimeout(ms: number): unknown;
  /** Closes the socket at once. */
  destroy(): unknown;
  /** Runs `listener` when the socket is closed. */
  once(event: 'close', listener: () => void): unknown;
}

/** The parts of a `node:http` server the limits set (a `Server` from `createServer` fits). */
export interface LimitedServer {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
  maxConnections: number;
  /**
   * How often Node checks the header and request timeouts, ms (read when the server starts
   * listening; a `createServer` option that Node's type declarations leave out).
   */
  connectionsCheckingInterval?: number;
  /** A new connection. */
  on(event: 'connection', listener: (socket: LimitedSocket) => void): unknown;
  /** A request on a connection. */
  on(event: 'request', listener: (request: { readonly socket: LimitedSocket }) => void): unknown;
}

const LIMIT_RANGES: Readonly<Record<keyof ConnectionLimits, readonly [number, number]>> = {
  maxConnections: [1, 1_000_000],
  maxConnectionsPerClient: [1, 1_000_000],
  idleTimeoutMs: [100, 3_600_000],
  headersTimeoutMs: [100, 3_600_000],
  requestTimeoutMs: [100, 3_600_000],
};

/** Fills in defaults and checks each limit (a `TokenError` names the one that is wrong). */
export function resolveConnectionLimits(limits: Partial<ConnectionLimits> = {}): ConnectionLimits {
  const resolved = { ...DEFAULT_CONNECTION_LIMITS };
  for (const name of Object.keys(LIMIT_RANGES) as Array<keyof ConnectionLimits>) {
    const value = limits[name];
    if (value === undefined) continue;
    const [min, max] = LIMIT_RANGES[name];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new TokenError('ERR_INVALID_ARGUMENT', `${name} must be an integer from ${min} to ${max}`);
    }
    resolved[name] = value;
  }
  if (resolved.headersTimeoutMs > resolved.requestTimeoutMs) {
    throw new TokenError('ERR_INVALID_ARGUMENT', 'headersTimeoutMs must not exceed requestTimeoutMs');
  }
  return resolved;
}

/**
 * Sets the limits on a `node:http` server; call it before `listen`. Node closes a connection whose
 * headers or request are slow, or that idles after a keep-alive answer, but never one that
 * connects and sends nothing: that one gets `idleTimeoutMs` here, lifted once its first request
 * arrives (so a slow upstream answer is not cut). Connections over a client's share are closed
 * at once, so one client cannot hold every socket while `/healthz` starves.
 */
export function applyConnectionLimits(server: LimitedServer, limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.idleTimeoutMs;
  server.maxConnections = limits.maxConnections;
  // Node checks those two timeouts every 30 s by default, so a 10 s limit could take 40 s.
  server.connectionsCheckingInterval = Math.min(1000, limits.headersTimeoutMs);
  const perClient = new Map<string, number>();
  server.on('connection', (socket) => {
    const client = socket.remoteAddress ?? '?';
    const open = perClient.get(client) ?? 0;
    if (open >= limits.maxConnectionsPerClient) {
      socket.destroy();
      return;
    }
    perClient.set(client, open + 1);
    socket.once('close', () => {
      const left = (perClient.get(client) ?? 1) - 1;
      if (left <= 0) perClient.delete(client);
      else perClient.set(client, left);
    });
    socket.setTimeout(limits.idleTimeoutMs);
  });
  server.on('request', (request) => {
    request.socket.setTimeout(0);
  });
}
