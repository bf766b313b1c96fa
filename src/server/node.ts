import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { applyConnectionLimits, resolveConnectionLimits, type ConnectionLimits } from './connection-limits';
import type { TokenServer } from './handler';
import { toNodeListener } from './node-listener';

/** A running Node HTTP server around a {@link TokenServer}. */
export interface NodeTokenServer {
  readonly server: Server;
  /** `http://host:port`, with the port actually bound (useful with port 0). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves `handler` with `node:http` on `host:port` (port 0: any free port), with the
 * {@link ConnectionLimits} applied (defaults for those not given). Resolves once the socket listens.
 */
export function serveNode(
  handler: TokenServer, options: { port: number; host: string; limits?: Partial<ConnectionLimits> },
): Promise<NodeTokenServer> {
  const server = createServer(toNodeListener(handler));
  applyConnectionLimits(server, resolveConnectionLimits(options.limits));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        server,
        url: `http://${host}:${port}`,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}
