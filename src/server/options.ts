import type { JwtAuthOptions } from './auth/jwt';
import type { ServerErrorCode } from './http-error';
import type { Rate } from './rate-limit';

/** The RTC user of a token: a numeric `uid` (0 = any user) or a user `account`. */
export interface RtcUser {
  readonly channel: string;
  /** `audience` in a path is a subscriber. */
  readonly role: 'publisher' | 'subscriber';
  /** The numeric uid (0 = any uid; also an empty uid in the path). */
  readonly uid?: number;
  /** The user account (`/userAccount/…`, `/account/…`, or a non-numeric `uid` of `POST /getToken`). */
  readonly account?: string;
}

/** What a token request asks for, after its path (or `POST /getToken` body) was parsed and checked. */
export type TokenRoute =
  | { readonly kind: 'chat-app' }
  /** `/chat/user/{username}/token`, `/chat/account/{username}`, or `POST /getToken` chat with a uid. */
  | { readonly kind: 'chat-user'; readonly username: string }
  | ({ readonly kind: 'rtc' } & RtcUser)
  /** With `channel` (`POST /getToken` rtm with a channel): also RTC join + publish-data for that stream channel. */
  | { readonly kind: 'rtm'; readonly userId: string; readonly channel?: string }
  /** `/rte/…`: an RTC token and an RTM token (with stream-channel privileges on `channel`) for `rtmUserId`. */
  | ({ readonly kind: 'rte'; readonly rtmUserId: string } & RtcUser);

/** The second argument of the {@link AuthorizeHook}. */
export interface AuthorizeContext {
  /** The token asked for. */
  readonly route: TokenRoute;
  /** The lifetime in seconds the token will get. */
  readonly expire: number;
}

/**
 * Decides whether a token request may be served, before any upstream call. Return `true` to
 * serve it, `false` for a `403 forbidden`, or a `Response` to send instead (e.g. a 401 with
 * `WWW-Authenticate`). A hook that throws gives a `500 internal_error`.
 *
 * @example
 * ```ts
 * // Only a signed-in user gets their own Chat token; app tokens stay on the server.
 * const authorize: AuthorizeHook = async (request, { route }) => {
 *   const session = await sessions.fromCookie(request.headers.get('cookie'));
 *   return route.kind === 'chat-user' && session?.username === route.username;
 * };
 * ```
 */
export type AuthorizeHook = (
  request: Request,
  context: AuthorizeContext,
) => boolean | Response | Promise<boolean | Response>;

/** Where Chat users are looked up and registered: the Agora Chat REST API. */
export interface ChatRestOptions {
  /** The Chat App Key, `org#app` (Agora Console → Chat → Basic information). */
  readonly appKey: string;
  /** The REST host, e.g. `a41.chat.agora.io` or `https://a41.chat.agora.io` (https is assumed). */
  readonly restHost: string;
  /** Lifetime of the app token used for REST calls, seconds (default 3600, at most 86400). */
  readonly appTokenExpire?: number;
  /** Renew the cached app token this many seconds before it expires (default 300, at most half its lifetime). */
  readonly appTokenRenewBefore?: number;
  /** Give up on one upstream call after this many milliseconds (default 5000). A timeout is not retried. */
  readonly timeoutMs?: number;
  /** Retries after a 429, a 5xx or a failed connection (default 2, at most 5). */
  readonly retries?: number;
  /** First backoff delay in milliseconds, doubled per retry, with jitter (default 200). */
  readonly backoffMs?: number;
  /** Longest wait between attempts, also the cap on a `Retry-After` header, ms (default 2000). */
  readonly maxBackoffMs?: number;
  /** Keep a username → UUID answer this many seconds (default 600; 0 = ask every time). */
  readonly userCacheSeconds?: number;
  /**
   * Calls to the REST API allowed at once (default 32, at most 1024). More wait up to
   * `queueTimeoutMs`, then get `503 upstream_busy` with `Retry-After`.
   */
  readonly concurrency?: number;
  /** How long a call may wait for one of the `concurrency` slots, ms (default 1000, at most 60000). */
  readonly queueTimeoutMs?: number;
}

/** Cross-origin access: which origins may call the token endpoints from a browser. */
export interface CorsOptions {
  /** `'*'` (the default, as the guide's server), one origin, a list, or a predicate. */
  readonly origin: '*' | string | readonly string[] | ((origin: string) => boolean);
  /** `Access-Control-Max-Age` of preflight answers, seconds (default 600). */
  readonly maxAge?: number;
}

/** One line of the server's log: a served request or an upstream problem. Never holds secrets. */
export type TokenServerLogEntry =
  | {
      readonly type: 'request';
      readonly method: string;
      readonly path: string;
      readonly status: number;
      readonly ms: number;
      /** The error code when the response is an error. */
      readonly error?: ServerErrorCode;
    }
  | {
      readonly type: 'upstream';
      /** What happened, e.g. `retry after 503`, `app token refreshed after 401`. */
      readonly message: string;
      readonly method: string;
      /** The REST path, e.g. `/org/app/users/alice`. */
      readonly path: string;
      readonly attempt: number;
    }
  | { readonly type: 'error'; readonly message: string };

/** Options of {@link createTokenServer}. Only `appId` and `appCertificate` are required. */
export interface TokenServerOptions {
  /** Agora app ID, 32 hex characters. */
  readonly appId: string;
  /** Agora app certificate, 32 hex characters. It never appears in a response or a log entry. */
  readonly appCertificate: string;
  /**
   * The Chat REST API used to look users up and register them. Omitted: an embedded in-memory
   * directory that assigns each new username a random UUID (for development; it forgets on
   * restart and is not shared between instances).
   */
  readonly chat?: ChatRestOptions;
  /**
   * What a Chat user token is built for: the Chat user's `uuid` (the guide's flow; the default
   * with `chat`) or the `username` (the newer flow, where the SDK logs in with the user ID and
   * token; the default without `chat`, whose embedded directory's UUIDs Agora does not know).
   */
  readonly chatUserTokenSubject?: 'uuid' | 'username';
  /** Default token lifetime in seconds (default 3600); Chat tokens use at most 86400. */
  readonly expire?: number;
  /** Largest `?expire=` a client may ask for, seconds (default 86400; Chat is capped at 86400). */
  readonly maxExpire?: number;
  /**
   * CORS for the token endpoints; default `{ origin: '*' }` (as the guide: any web page may read
   * the answers — with `auth` on that is safe, as a page cannot borrow a user's Bearer JWT);
   * `false` sends no CORS headers (only same-origin pages can read them).
   */
  readonly cors?: CorsOptions | false;
  /** Called before a token is made; see {@link AuthorizeHook}. Default: everyone gets every token. */
  readonly authorize?: AuthorizeHook;
  /**
   * The library's browser build (`dist/browser/agora-access-token2.js`), as text or bytes. Given,
   * the server serves it at `/agora-access-token2.js`.
   */
  readonly browserBundle?: string | Uint8Array;
  /**
   * The web page's script (`dist/browser/page.js`: the page on the Agora Chat Web SDK), as text
   * or bytes. Given, the server serves the web page at `/`; omitted, `/` answers 404.
   */
  readonly pageScript?: string | Uint8Array;
  /** Marks demo credentials: `/healthz` and the page say so. */
  readonly demo?: boolean;
  /** Receives one entry per request and per upstream retry or failure. */
  readonly log?: (entry: TokenServerLogEntry) => void;
  /**
   * Require a JWT from your app's sign-in (`Authorization: Bearer …`) on every token request,
   * verified with jose against a JWKS URL or one public key. Missing, invalid or expired → `401`
   * with `WWW-Authenticate`; valid but not for this token (another user, no scope) → `403`. User
   * tokens go only to the user the JWT names; the app token only to a JWT with
   * `appTokenScope` or to the `serverSecret`; RTC, RTM and RTE per `rules`. Omitted: no
   * authentication (the guide's open server; use `authorize` for your own check).
   */
  readonly auth?: JwtAuthOptions;
  /**
   * Host names this server answers to (`tokens.example.com`, `*.example.com`, `*` = any): a
   * request whose `Host` is another name gets `421 host_not_allowed`, so DNS rebinding cannot
   * reach it through a browser. Loopback names (`localhost`, `*.localhost`) and IP literals
   * always pass, and so do the hosts of the `cors` origins. Default: those only — set it to the
   * names your server is reached by.
   */
  readonly allowedHosts?: readonly string[];
  /**
   * Token requests per client: its JWT user when `auth` is on, else its address (IPv6 by /64).
   * Over it → `429 rate_limited` with `Retry-After`. Default: off here (the `serve` command
   * turns on 120 a minute). A request without a client address counts as one client
   * `unknown`: give the address to `fetch` (see {@link ClientInfo}) when you turn this on.
   */
  readonly rateLimit?: Rate | false;
  /**
   * Registrations of new Chat users per client, counted apart from and stricter than
   * `rateLimit` (a known user is not a registration). Default: off here (`serve`: 20 an hour).
   */
  readonly registrationRateLimit?: Rate | false;
  /**
   * Behind a reverse proxy: take the client address from `X-Forwarded-For`, this many hops from
   * its right end (`true` = 1, the address your proxy saw). Only with a proxy that sets the
   * header: otherwise any client picks its own address. Default `false`: the socket's address
   * (Node) or {@link ClientInfo.clientAddress}.
   */
  readonly trustProxy?: boolean | number;
  /** The `fetch` used for upstream calls (default `globalThis.fetch`). */
  readonly fetch?: (input: Request) => Promise<Response>;
  /** Clock in milliseconds (default `Date.now`); tokens are issued at its time. */
  readonly now?: () => number;
}
