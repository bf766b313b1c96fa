import type { CorsOptions } from './options';

const ALLOWED_METHODS = 'GET, OPTIONS';
const DEFAULT_ALLOWED_HEADERS = 'Accept, Authorization, Content-Type';

function originAllowed(origin: string, rule: CorsOptions['origin']): boolean {
  if (rule === '*') return true;
  if (typeof rule === 'string') return rule === origin;
  if (typeof rule === 'function') return rule(origin);
  return rule.includes(origin);
}

/**
 * The CORS headers of an answer to `request`. With `origin: '*'` every origin may read the
 * answer (the guide's server does the same); otherwise the request's `Origin` is echoed when
 * it is allowed and nothing is sent when it is not, so the browser withholds the answer.
 */
export function corsHeaders(request: Request, cors: CorsOptions | false): Record<string, string> {
  if (cors === false) return {};
  if (cors.origin === '*') return { 'access-control-allow-origin': '*' };
  const origin = request.headers.get('origin');
  const headers: Record<string, string> = { vary: 'Origin' };
  if (origin !== null && originAllowed(origin, cors.origin)) headers['access-control-allow-origin'] = origin;
  return headers;
}

/** The answer to a CORS preflight (`OPTIONS` with `Access-Control-Request-Method`). */
export function preflightHeaders(request: Request, cors: CorsOptions | false): Record<string, string> {
  const headers = corsHeaders(request, cors);
  if (!('access-control-allow-origin' in headers)) return headers;
  const requested = request.headers.get('access-control-request-headers');
  return {
    ...headers,
    'access-control-allow-methods': ALLOWED_METHODS,
    // Echo what the page asks for, bounded; an Authorization header is what an authorize hook reads.
    'access-control-allow-headers': requested && requested.length <= 1000 ? requested : DEFAULT_ALLOWED_HEADERS,
    'access-control-max-age': String(cors === false ? 0 : cors.maxAge ?? 600),
  };
}
