import { TokenError } from '../index';
import { bodyByteLength, type ServerReply, type ServerRequest } from './exchange';
import { decodeChunks, declaredOver } from './fetch-adapter';
import { coreOf, type TokenServer } from './handler';

/**
 * What the listener reads of a Node request (`http.IncomingMessage`; Express's `req`,
 * Fastify's `request.raw`). Structural, so this module needs no `node:` import.
 */
export interface NodeRequestLike {
  readonly method?: string;
  readonly url?: string;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The connection; its `remoteAddress` is the client address of the rate limits. */
  readonly socket?: { readonly remoteAddress?: string };
  /** Body chunks (read only by `POST /getToken`). */
  on(event: 'data', listener: (chunk: Uint8Array) => void): unknown;
  /** The body is complete. */
  on(event: 'end', listener: () => void): unknown;
  /** The request failed while its body was read. */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** Discards the body (one declared over the limit). */
  resume(): unknown;
}

/** What the listener writes to (`http.ServerResponse`; Express's `res`, Fastify's `reply.raw`). */
export interface NodeResponseLike {
  readonly headersSent: boolean;
  /** Sends the status line and the headers. */
  writeHead(status: number, headers: Record<string, string>): unknown;
  /** Sends the body (none for HEAD) and ends the answer. */
  end(body?: Uint8Array | string): unknown;
}

/** A `(req, res) => void` for `node:http`'s `createServer`, Express and Fastify. */
export type NodeListener = (req: NodeRequestLike, res: NodeResponseLike) => void;

const encoder = new TextEncoder();

function headerValue(value: string | readonly string[] | undefined): string | undefined {
  return value === undefined || typeof value === 'string' ? value : value.join(', ');
}

function readNodeBody(req: NodeRequestLike, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    if (declaredOver(headerValue(req.headers['content-length']), limit)) {
      req.resume(); // discard it; nothing is kept
      resolve(undefined);
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk) => {
      if (over) return;
      size += chunk.byteLength;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(decodeChunks(chunks, size));
    });
    req.on('error', reject);
  });
}

/** A Web `Request` for the `authorize` hook: method, URL on this host, headers (no body). */
function webRequest(req: NodeRequestLike): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    for (const item of typeof value === 'string' ? [value] : value) headers.append(name, item);
  }
  const host = headerValue(req.headers.host);
  const origin = host !== undefined && /^[a-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9a-f:.]+\](:[0-9]{1,5})?$/i.test(host) ? `http://${host}` : 'http://localhost';
  try {
    return new Request(origin + (req.url ?? '/'), { method: req.method, headers });
  } catch {
    // A Host or target the URL parser refuses after all: the hook sees localhost (and the path
    // when it is one).
    const path = req.url !== undefined && req.url.startsWith('/') && !req.url.startsWith('//') ? req.url : '/';
    return new Request(`http://localhost${path}`, { method: req.method, headers });
  }
}

/** A Node request as the handler's light request: no `URL`, `Headers` or `Request` made. */
function fromNodeRequest(req: NodeRequestLike): ServerRequest {
  let target = req.url ?? '/';
  // An absolute-form request line (a proxy's) → its path.
  if (!target.startsWith('/')) target = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '') || '/';
  const mark = target.indexOf('?');
  return {
    method: req.method ?? 'GET',
    path: mark < 0 ? target : target.slice(0, mark),
    query: mark < 0 ? '' : target.slice(mark + 1),
    clientAddress: req.socket?.remoteAddress,
    header: (name) => headerValue(req.headers[name]),
    readBody: (limit) => readNodeBody(req, limit),
    toRequest: () => webRequest(req),
  };
}

function writeReply(res: NodeResponseLike, reply: ServerReply, head: boolean): void {
  const { body } = reply;
  const headers: Record<string, string> = { ...reply.headers };
  if (body !== null) headers['content-length'] = String(bodyByteLength(body));
  res.writeHead(reply.status, headers);
  // A string body goes out as a string: Node then sends the head and the body in one write,
  // where bytes would take a second buffer and a writev.
  res.end(head || body === null ? undefined : body);
}

const FAILED = encoder.encode('{"error":"internal_error","message":"the token server failed on this request"}');

/**
 * The token server as a Node request listener, for `node:http`, Express (`app.use(...)`) and
 * Fastify (see docs/server.md). Requests go straight into the same handler as `fetch`, and the
 * answer is written with `res.writeHead`/`res.end`: no `Request`, `Response`, `URL` or
 * `Headers` on the way (a `Request` is made only for an `authorize` hook). Mount it before any
 * body parser: `POST /getToken` reads its own body (at most 4 KB).
 *
 * Throws `TokenError` when `server` was not made by `createTokenServer`.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createTokenServer, toNodeListener } from 'agora-access-token2/server';
 *
 * const server = createTokenServer({ appId, appCertificate });
 * createServer(toNodeListener(server)).listen(8090);
 * ```
 */
export function toNodeListener(server: TokenServer): NodeListener {
  const handle = coreOf(server);
  if (handle === undefined) throw new TokenError('ERR_INVALID_ARGUMENT', 'server must be a token server made by createTokenServer');
  return (req, res) => {
    handle(fromNodeRequest(req)).then(
      (reply) => writeReply(res, reply, req.method === 'HEAD'),
      () => {
        // handle never rejects; this is a last guard so a request is always answered.
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(FAILED.byteLength) });
        res.end(res.headersSent ? undefined : FAILED);
      },
    ).catch(() => undefined); // a client that went away while we wrote
  };
}
