import type { ServerRequest } from './exchange';
import type { CorsOptions } from './options';

const ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';
const DEFAULT_ALLOWED_HEADERS = 'Accept, Authorization, Content-Type';
const ANY_ORIGIN: Readonly<Record<string, string>> = { 'access-control-allow-origin': '*' };
const NONE: Readonly<Record<string, string>> = {};

function originAllowed(origin: string, rule: CorsOptions['origin']): boolean {
  if (rule === '*') return true;
  if (typeof rule === 'string') return rule === origin;
  if (typeof rule === 'function') return rule(origin);
  return rule.includes(origin);
}

/**
 * The CORS headers of an answer to `request` (shared, never to be changed). With `origin: '*'`
 * every origin may read the answer (the guide's server does the same); otherwise the request's
 * `Origin` is echoed when it is allowed and nothing is sent when it is not, so the browser
 * withholds the answer.
 */
export function corsHeaders(request: ServerRequest, cors: CorsOptions | false): Readonly<Record<string, string>> {
  if (cors === false) return NONE;
  if (cors.origin === '*') return ANY_ORIGIN;
  const origin = request.header('origin');
  const headers: Record<string, string> = { vary: 'Origin' };
  if (origin !== undefined && originAllowed(origin, cors.origin)) headers['access-control-allow-origin'] = origin;
  return headers;
}

/** The answer to a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`). */
export function preflightHeaders(request: ServerRequest, cors: CorsOptions | false): Record<string, string> {
  const headers = corsHeaders(request, cors);
  if (!('access-control-allow-origin' in headers)) return { ...headers };
  const requested = request.header('access-control-request-headers');
  return {
    ...headers,
    'access-control-allow-methods': ALLOWED_METHODS,
    // Echo what the page asks for, bounded; an Authorization header is what an authorize hook reads.
    'access-control-allow-headers': requested && requested.length <= 1000 ? requested : DEFAULT_ALLOWED_HEADERS,
    'access-control-max-age': String(cors === false ? 0 : cors.maxAge ?? 600),
  };
}
