import { bodyByteLength, type ServerReply, type ServerRequest } from './exchange';

const decoder = new TextDecoder();

/** Concatenates chunks and decodes them as UTF-8 (bad bytes become U+FFFD, then fail JSON). */
export function decodeChunks(chunks: readonly Uint8Array[], size: number): string {
  const all = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return decoder.decode(all);
}

/** True when a declared `Content-Length` is already over `limit`. */
export function declaredOver(contentLength: string | undefined, limit: number): boolean {
  return contentLength !== undefined && !(Number(contentLength) <= limit);
}

async function readLimited(request: Request, limit: number): Promise<string | undefined> {
  if (declaredOver(request.headers.get('content-length') ?? undefined, limit)) return undefined;
  if (request.body === null) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return decodeChunks(chunks, size);
    size += value.byteLength;
    if (size > limit) {
      reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
}

/**
 * A Web `Request` as the handler's light request. Some runtimes keep `Host` out of the headers:
 * then it is the host of the URL.
 */
export function fromFetchRequest(request: Request, clientAddress: string | undefined): ServerRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    path: url.pathname,
    query: url.search.length > 1 ? url.search.slice(1) : '',
    clientAddress,
    header: (name) => request.headers.get(name) ?? (name === 'host' ? url.host : undefined),
    readBody: (limit) => readLimited(request, limit),
    toRequest: () => request,
  };
}

/** The handler's reply as a Web `Response` (no body for HEAD, and for 204/304). */
export function toFetchResponse(reply: ServerReply, method: string): Response {
  const { status, body } = reply;
  if (body === null || method === 'HEAD' || status === 204 || status === 304) {
    const headers = body === null || status === 204 || status === 304
      ? reply.headers
      : { ...reply.headers, 'content-length': String(bodyByteLength(body)) };
    return new Response(null, { status, headers });
  }
  return new Response(typeof body === 'string' ? body : (body as Uint8Array<ArrayBuffer>), { status, headers: reply.headers });
}
