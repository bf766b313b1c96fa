import type { HttpError } from './http-error';

/** Headers every answer carries: tokens must not be cached by browsers or proxies. */
const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

/** A response with a body of the given type, the common headers and any extra ones. */
export function bodyResponse(
  status: number, body: string, contentType: string, headers: Record<string, string> = {},
): Response {
  return new Response(body, { status, headers: { ...COMMON_HEADERS, 'content-type': contentType, ...headers } });
}

/** A JSON response. */
export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return bodyResponse(status, JSON.stringify(value), 'application/json; charset=utf-8', headers);
}

/** The JSON error answer: `{ "error": code, "message": text }`. */
export function errorResponse(error: HttpError, headers: Record<string, string> = {}): Response {
  return jsonResponse(error.status, { error: error.code, message: error.message }, { ...error.headers, ...headers });
}

/** True when the client asked for JSON (`Accept: application/json`). */
export function wantsJson(request: Request): boolean {
  const accept = request.headers.get('accept') ?? '';
  return accept.split(',').some((item) => {
    const [type, ...params] = item.split(';').map((part) => part.trim().toLowerCase());
    return type === 'application/json' && !params.some((param) => /^q=0(\.0*)?$/.test(param));
  });
}
