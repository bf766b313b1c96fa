import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TokenServer } from './handler';

/** A running Node HTTP server around a {@link TokenServer}. */
export interface NodeTokenServer {
  readonly server: Server;
  /** `http://host:port`, with the port actually bound (useful with port 0). */
  readonly url: string;
  close(): Promise<void>;
}

/** The token server answers GETs only; a body is never read, so a large one cannot cost memory. */
function toRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  // The path comes from the request line; the origin is ours, not the client's Host header.
  return new Request(new URL(req.url ?? '/', origin), { method: req.method, headers });
}

async function writeResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = response.body === null ? undefined : new Uint8Array(await response.arrayBuffer());
  if (body !== undefined) headers['content-length'] = String(body.byteLength);
  res.writeHead(response.status, headers);
  res.end(body);
}

/**
 * Serves `handler` with `node:http` on `host:port` (port 0: any free port). Resolves once the
 * socket listens.
 */
export function serveNode(handler: TokenServer, options: { port: number; host: string }): Promise<NodeTokenServer> {
  let origin = 'http://localhost';
  const server = createServer((req, res) => {
    req.resume(); // discard any body
    Promise.resolve()
      .then(() => handler.fetch(toRequest(req, origin)))
      .then((response) => writeResponse(response, res))
      .catch(() => {
        // handler.fetch never rejects: this is a request `Request` refuses (a TRACE, a header
        // value fetch forbids) or a client that went away while we wrote.
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'application/json' });
        res.end(res.headersSent ? undefined : '{"error":"bad_request","message":"this request cannot be served"}');
      });
  });
  server.keepAliveTimeout = 5000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      origin = `http://${host}:${port}`;
      resolve({
        server,
        url: origin,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}
