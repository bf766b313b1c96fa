/**
 * The handler's own light request and reply. Both adapters produce and consume these — the
 * `fetch` adapter from and to `Request`/`Response`, the Node adapter straight from
 * `IncomingMessage` and into `res.writeHead`/`res.end` — so one routing and validation path
 * serves every runtime, and the Node path allocates no `Request`, `Response`, `URL` or `Headers`.
 */

import { utf8Length } from '../bytes/utf8';
import type { ServerErrorCode } from './http-error';

/** Largest request body read (POST /getToken); a longer one is a 413. */
export const MAX_BODY_BYTES = 4096;

/** What the handler needs to know about a request. */
export interface ServerRequest {
  /** Upper-case method, as sent. */
  readonly method: string;
  /** The path as sent (still percent-encoded), without the query. */
  readonly path: string;
  /** The query string without `?`; `''` when there is none. */
  readonly query: string;
  /** The address of the client's connection (the socket's, or given to `fetch`); `undefined` when unknown. */
  readonly clientAddress: string | undefined;
  /** A request header by lower-case name; `undefined` when absent. */
  header(name: string): string | undefined;
  /**
   * The body as text, at most `limit` bytes: resolves `undefined` when it is longer (the rest
   * is discarded). Read once, only by routes that take a body.
   */
  readBody(limit: number): Promise<string | undefined>;
  /** The request as a Web `Request` (made on demand, for the `authorize` hook; no body). */
  toRequest(): Request;
}

/** What the handler answers; `body` is omitted on HEAD by the adapters. */
export interface ServerReply {
  readonly status: number;
  /** Lower-case names. `content-length` is set by the adapters. */
  readonly headers: Record<string, string>;
  readonly body: string | Uint8Array | null;
  /** The error code of an error answer (for the log; not sent as a header). */
  readonly error?: ServerErrorCode;
}

/** Headers every answer carries: tokens must not be cached by browsers or proxies. */
const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export const JSON_TYPE = 'application/json; charset=utf-8';

/** A reply with a body of the given type, the common headers and any extra ones. */
export function bodyReply(status: number, body: string, contentType: string, headers?: Record<string, string>): ServerReply {
  return { status, headers: { ...COMMON_HEADERS, 'content-type': contentType, ...headers }, body };
}

/** A JSON reply. */
export function jsonReply(status: number, value: unknown, headers?: Record<string, string>): ServerReply {
  return bodyReply(status, JSON.stringify(value), JSON_TYPE, headers);
}

/** A `Response` (from an `authorize` hook) as a reply: status, headers and the whole body. */
export async function replyFromResponse(response: Response): Promise<ServerReply> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = response.body === null ? null : new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers, body };
}

/** True when the client asked for JSON (`Accept: application/json`, not with q=0). */
export function wantsJson(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  if (accept === 'application/json') return true;
  return accept.split(',').some((item) => {
    const [type, ...params] = item.split(';').map((part) => part.trim().toLowerCase());
    return type === 'application/json' && !params.some((param) => /^q=0(\.0*)?$/.test(param));
  });
}

/** The `content-length` of a reply body: its UTF-8 size, counted without encoding a string. */
export function bodyByteLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? utf8Length(body) : body.byteLength;
}
