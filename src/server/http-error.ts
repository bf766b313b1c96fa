/**
 * Every `error` code a token server response can carry (HTTP status in brackets). Clients
 * branch on these, never on messages.
 *
 * - Request: `invalid_username`, `invalid_channel`, `invalid_uid`, `invalid_account`,
 *   `invalid_user_id`, `invalid_role`, `invalid_expire`, and for `POST /getToken`
 *   `invalid_token_type` (tokenType missing or unknown) and `invalid_body` (empty, not JSON, not
 *   an object, an unknown field) (400); `unauthorized` (401 with `WWW-Authenticate`: `auth` is on and
 *   the JWT is missing, invalid or expired); `forbidden` (403: a valid JWT not for this token, or
 *   the `authorize` hook said no); `not_found` (404); `method_not_allowed` (405);
 *   `payload_too_large` (413, a body over 4 KB); `host_not_allowed` (421: the `Host` is not an
 *   allowed name — DNS rebinding, or add it to `allowedHosts`); `rate_limited` (429 with
 *   `Retry-After`: this client's token requests or registrations of new users are over their rate).
 * - Upstream (the Agora Chat REST API): `upstream_timeout` (503, no answer within the timeout),
 *   `upstream_unavailable` (503, connection failed after the retries), `upstream_rate_limited`
 *   (503, still 429 after the retries), `upstream_error` (502, still 5xx after the retries),
 *   `upstream_unauthorized` (502, 401 again after one app-token refresh: check the app ID,
 *   certificate and app key), `upstream_rejected` (502, another 4xx), `upstream_bad_response`
 *   (502, an answer this server cannot read, or a redirect, which is never followed),
 *   `upstream_busy` (503 with `Retry-After`: all `chat.concurrency` REST slots stayed busy for
 *   `chat.queueTimeoutMs`); `upstream_unavailable` also when the JWKS of `auth` cannot be read.
 * - Server: `user_directory_full` (no longer sent: the in-memory directory now forgets its least
 *   recently used user; kept so existing `switch`es compile),
 *   `not_ready` (503 from `/readyz`: the Chat REST API did not answer recently),
 *   `internal_error` (500, a bug or a throwing `authorize` hook; the details go to the log).
 */
export type ServerErrorCode =
  | 'invalid_username'
  | 'invalid_channel'
  | 'invalid_uid'
  | 'invalid_account'
  | 'invalid_user_id'
  | 'invalid_role'
  | 'invalid_expire'
  | 'invalid_token_type'
  | 'invalid_body'
  | 'payload_too_large'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'upstream_timeout'
  | 'upstream_unavailable'
  | 'upstream_rate_limited'
  | 'upstream_error'
  | 'upstream_unauthorized'
  | 'upstream_rejected'
  | 'upstream_bad_response'
  | 'user_directory_full'
  | 'not_ready'
  | 'upstream_busy'
  | 'unauthorized'
  | 'rate_limited'
  | 'host_not_allowed'
  | 'internal_error';

/**
 * A failure that becomes one JSON response `{ "error": code, "message": … }`. Messages are
 * written for the client: they never hold credentials, tokens or upstream bodies.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly code: ServerErrorCode;
  /** Extra response headers (`Allow`, `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: ServerErrorCode, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}
