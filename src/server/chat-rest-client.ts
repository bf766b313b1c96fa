import type { AppTokenCache } from './app-token-cache';
import { HttpError } from './http-error';
import type { TokenServerLogEntry } from './options';
import { randomHex } from './random-id';
import type { UpstreamGate } from './upstream-gate';

/** A Chat user as the REST API returns it. */
export interface ChatUser {
  readonly username: string;
  readonly uuid: string;
}

/** Everything the client needs; numbers are already checked. */
export interface ChatRestClientConfig {
  /** `https://host` (or `http://` for a local fake), no trailing slash. */
  readonly baseUrl: string;
  readonly org: string;
  readonly app: string;
  readonly appToken: AppTokenCache;
  /**
   * Called as `fetch(url, init)`, never with a `Request`: Node 20's fetch does not reliably abort
   * a `Request` built with a signal once it is garbage-collected, and its socket then stays open.
   */
  readonly fetch: UpstreamFetch;
  /** Caps concurrent exchanges; omitted: no cap. */
  readonly gate?: UpstreamGate;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly log: (entry: TokenServerLogEntry) => void;
}

/** The `fetch` the client calls: the global one, or a caller's (tests, proxies). */
export type UpstreamFetch = (url: string, init: RequestInit) => Promise<Response>;

interface Reply {
  readonly status: number;
  /** The parsed JSON body; `undefined` when it was not JSON or was too large to read. */
  readonly body: unknown;
  /** Whether the body was empty or JSON; `false` for HTML, garbage or an oversized body. */
  readonly readable: boolean;
  /** The upstream `Content-Type`, cleaned for a log line. */
  readonly contentType: string;
  readonly retryAfter: string | null;
}

/** A real answer is well under 2 KB; more is not read. */
const MAX_BODY_BYTES = 64 * 1024;
const UUID_SHAPE = /^[A-Za-z0-9-]{1,64}$/;

/** The `error` field of an Agora REST error body, if there is one. */
function errorName(body: unknown): string | undefined {
  const error = (body as { error?: unknown } | undefined)?.error;
  return typeof error === 'string' ? error : undefined;
}

/** The `error` names with which the REST API answers a lookup of a user it does not have. */
const NO_SUCH_USER: ReadonlySet<string> = new Set(['service_resource_not_found', 'resource_not_found']);

function userFrom(body: unknown, username: string): ChatUser {
  const entities = (body as { entities?: unknown } | undefined)?.entities;
  // The entity for this user: one that names another is never taken for it.
  const entity = Array.isArray(entities)
    ? (entities as ({ username?: unknown; uuid?: unknown } | null)[]).find((e) => e != null && (e.username === undefined || String(e.username).toLowerCase() === username))
    : undefined;
  const uuid = entity?.uuid;
  if (typeof uuid !== 'string' || !UUID_SHAPE.test(uuid)) {
    throw new HttpError(502, 'upstream_bad_response', 'the Chat REST API answered without a user uuid');
  }
  return { username, uuid };
}

function rejected(reply: Reply, what: string): HttpError {
  const name = errorName(reply.body);
  const shown = name !== undefined && /^[a-z_]{1,64}$/.test(name) ? ` (${name})` : '';
  return new HttpError(502, 'upstream_rejected', `the Chat REST API refused to ${what}: HTTP ${reply.status}${shown}`);
}

async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) break;
      chunks.push(value);
    }
  } finally {
    // Stopped early (too large, aborted, failed): cancel the rest so its socket is not held.
    // After the end this does nothing.
    await reader.cancel().catch(() => undefined);
  }
  if (total > maxBytes) return undefined;
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function parseJson(text: string | undefined): { body: unknown; readable: boolean } {
  if (text === '') return { body: undefined, readable: true };
  if (text === undefined) return { body: undefined, readable: false };
  try {
    return { body: JSON.parse(text), readable: true };
  } catch {
    return { body: undefined, readable: false };
  }
}

/** An upstream header value for a log line: printable ASCII only, bounded. */
function shown(value: string | null): string {
  return value === null ? 'none' : value.replace(/[^\x20-\x7e]/g, '?').slice(0, 100);
}

/** A 3xx, or what a runtime that hides redirects (`redirect: 'manual'`) gives instead. */
function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The two Agora Chat REST calls the token server needs, with the failure policy of the issue:
 * a bounded timeout per call (not retried: the client can retry sooner than we could), bounded
 * retries with exponential backoff on 429, 5xx and failed connections, one app-token refresh on
 * 401; after that a 502/503 {@link HttpError} with a code. Every exchange ends: on a timeout it
 * is aborted (its socket closed), an unread body is cancelled, a redirect is never followed, and
 * with a gate at most its limit of exchanges run at once.
 */
export class ChatRestClient {
  constructor(private readonly config: ChatRestClientConfig) {}

  /**
   * `GET /{org}/{app}/users/{username}`: the user, or `undefined` on the REST API's 404 for an
   * unknown user. Any other 404 (an unknown org/app, a proxy's HTML page) is an error, not a
   * reason to register.
   */
  async getUser(username: string): Promise<ChatUser | undefined> {
    const reply = await this.call('GET', `/users/${encodeURIComponent(username)}`);
    if (reply.status === 200) return this.userFrom(reply, username);
    if (reply.status === 404 && NO_SUCH_USER.has(errorName(reply.body) ?? '')) return undefined;
    throw rejected(reply, `look up user "${username}"`);
  }

  /**
   * `POST /{org}/{app}/users`: registers the user with a random password (users log in with
   * tokens, never with it). `'exists'` when someone registered the name first.
   */
  async registerUser(username: string): Promise<ChatUser | 'exists'> {
    // One user as a JSON object: a taken name is then a 400 duplicate_unique_property_exists
    // (an array is the batch form, which answers a taken name with a 200 and no entity).
    const reply = await this.call('POST', '/users', { username, password: randomHex(16) });
    if (reply.status === 200) return this.userFrom(reply, username);
    if (reply.status === 400 && errorName(reply.body) === 'duplicate_unique_property_exists') return 'exists';
    throw rejected(reply, `register user "${username}"`);
  }

  private userFrom(reply: Reply & { note: (message: string) => void }, username: string): ChatUser {
    try {
      return userFrom(reply.body, username);
    } catch (error) {
      if (reply.readable) reply.note(`HTTP ${reply.status} without a user uuid (content-type ${reply.contentType})`);
      throw error;
    }
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Reply & { note: (message: string) => void }> {
    const { org, app, retries } = this.config;
    const restPath = `/${encodeURIComponent(org)}/${encodeURIComponent(app)}${path}`;
    let failures = 0;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const note = (message: string) => this.config.log({ type: 'upstream', message, method, path: restPath, attempt });
      let reply: Reply;
      try {
        reply = await this.exchange(method, restPath, body);
      } catch (error) {
        if (error instanceof HttpError) {
          note(error.message);
          throw error;
        }
        if (++failures > retries) {
          note('connection failed; giving up');
          throw new HttpError(503, 'upstream_unavailable', `could not reach the Chat REST API (${attempt} attempts)`);
        }
        note('connection failed; retrying');
        await sleep(this.backoff(failures, null));
        continue;
      }
      if (!reply.readable) note(`unreadable answer: HTTP ${reply.status}, content-type ${reply.contentType}`);
      if (reply.status === 401) {
        if (refreshed) {
          note('401 after an app token refresh; giving up');
          throw new HttpError(
            502, 'upstream_unauthorized',
            'the Chat REST API rejected the app token; check the app ID, app certificate and Chat app key',
          );
        }
        refreshed = true;
        this.config.appToken.invalidate();
        note('401; app token refreshed');
        continue;
      }
      // A 429 resource_limited is the pricing plan's limit, not a rate: retrying cannot help, so it
      // goes back to the caller as a refusal (502 upstream_rejected, naming it).
      const quota = reply.status === 429 && errorName(reply.body) === 'resource_limited';
      if ((reply.status === 429 && !quota) || reply.status >= 500) {
        if (++failures > retries) {
          note(`${reply.status}; giving up`);
          if (reply.status === 429) {
            const wait = Math.ceil(this.backoff(1, reply.retryAfter) / 1000);
            throw new HttpError(503, 'upstream_rate_limited', `the Chat REST API is rate limiting this app (${attempt} attempts)`, { 'retry-after': String(Math.max(1, wait)) });
          }
          throw new HttpError(502, 'upstream_error', `the Chat REST API failed with HTTP ${reply.status} (${attempt} attempts)`);
        }
        note(`${reply.status}; retrying`);
        await sleep(this.backoff(failures, reply.retryAfter));
        continue;
      }
      return { ...reply, note };
    }
  }

  /** Wait before retry `n` (1-based): exponential with jitter, or the server's `Retry-After`, capped. */
  private backoff(n: number, retryAfter: string | null): number {
    const { backoffMs, maxBackoffMs } = this.config;
    const asked = retryAfter !== null && /^[0-9]{1,6}$/.test(retryAfter) ? Number(retryAfter) * 1000 : undefined;
    if (asked !== undefined) return Math.min(maxBackoffMs, asked);
    const base = Math.min(maxBackoffMs, backoffMs * 2 ** (n - 1));
    return base / 2 + (Math.random() * base) / 2;
  }

  /** One exchange, through the gate when there is one. */
  private exchange(method: string, restPath: string, body: unknown): Promise<Reply> {
    const { gate } = this.config;
    return gate === undefined ? this.send(method, restPath, body) : gate.run(() => this.send(method, restPath, body));
  }

  /** One HTTP exchange, body included, within the timeout; aborted (socket closed) when it runs out. */
  private async send(method: string, restPath: string, body: unknown): Promise<Reply> {
    const { baseUrl, timeoutMs } = this.config;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new HttpError(503, 'upstream_timeout', `the Chat REST API did not answer within ${timeoutMs} ms`));
        controller.abort();
      }, timeoutMs);
    });
    const exchange = (async (): Promise<Reply> => {
      const headers: Record<string, string> = {
        accept: 'application/json',
        authorization: `Bearer ${this.config.appToken.get()}`,
      };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await this.config.fetch(baseUrl + restPath, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        redirect: 'manual',
      });
      if (isRedirect(response)) {
        await response.body?.cancel().catch(() => undefined);
        throw new HttpError(
          502, 'upstream_bad_response',
          `the Chat REST API answered with a redirect (HTTP ${response.status}), which is not followed; check the REST host`,
        );
      }
      const text = await readCapped(response, MAX_BODY_BYTES);
      return {
        status: response.status,
        ...parseJson(text),
        contentType: shown(response.headers.get('content-type')),
        retryAfter: response.headers.get('retry-after'),
      };
    })();
    exchange.catch(() => undefined); // settled after a timeout: nobody awaits it any more
    try {
      return await Promise.race([exchange, timeout]);
    } finally {
      clearTimeout(timer);
      // A custom fetch may ignore the signal; ours does not. Abort what is still open either way.
      controller.abort();
    }
  }
}
