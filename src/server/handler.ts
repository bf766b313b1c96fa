import { resolveConfig, type ServerConfig } from './config';
import { corsHeaders, preflightHeaders } from './cors';
import {
  bodyReply, jsonReply, MAX_BODY_BYTES, replyFromResponse, wantsJson, type ServerReply, type ServerRequest,
} from './exchange';
import { askedExpire, lifetime } from './expire';
import { fromFetchRequest, toFetchResponse } from './fetch-adapter';
import { parseGetToken } from './get-token';
import { enforceHost } from './host-check';
import { HttpError } from './http-error';
import type { TokenRoute, TokenServerOptions } from './options';
import { pageHtml, PAGE_CSP } from './page';
import { matchRoute, type Answer, type Target } from './routes';
import { clientKey } from './rate-limit';
import { buildTokens, singleToken, type Tokens } from './tokens';
import type { UserLookup } from './user-directory';

/**
 * What the runtime knows about a request's connection, the second argument of
 * {@link TokenServer.fetch}: the client address that per-client rate limits count by. A `Request`
 * does not carry it; each runtime hands it over its own way:
 * - Bun: `Bun.serve({ fetch: (request, bun) => server.fetch(request, { clientAddress: bun.requestIP(request)?.address }) })`;
 * - Deno: `Deno.serve(server.fetch)` — Deno's own second argument (`info.remoteAddr`) is read as is;
 * - Cloudflare Workers: `server.fetch(request, { clientAddress: request.headers.get('cf-connecting-ip') ?? undefined })`
 *   (set by Cloudflare; trust it only there);
 * - Node: {@link toNodeListener} passes the socket's address itself.
 */
export interface ClientInfo {
  /** The client's IP address. */
  readonly clientAddress?: string;
  /** Deno's `ServeHandlerInfo.remoteAddr` (used when `clientAddress` is absent). */
  readonly remoteAddr?: { readonly hostname?: string };
}

/** A token server: one Web-standard handler, for any runtime with `Request` and `Response`. */
export interface TokenServer {
  /**
   * Answers one request; never throws (failures become JSON error responses). `info` gives the
   * client address when rate limits are on (see {@link ClientInfo}); anything else in a second
   * argument (Bun's server, a Worker's `env`) is ignored.
   */
  fetch(request: Request, info?: ClientInfo): Promise<Response>;
}

/**
 * The JSON body of a token answer of the guide's routes (`Accept: application/json`) and of
 * `POST /getToken`.
 */
export interface TokenResponseBody {
  /** The token (AccessToken2, `007…`). */
  readonly token: string;
  /** Lifetime in seconds. */
  readonly expire: number;
  /** Unix time in seconds when the token expires (`issueTs + expire`). */
  readonly expiresAt: number;
}

/**
 * The JSON body of a community route's answer (`/rtc/…` → `rtcToken`, `/rtm/…` → `rtmToken`,
 * `/rte/…` → both, `/chat/app` and `/chat/account/{id}` → `chatToken`), with the lifetime
 * beside it (community clients ignore the extra fields).
 */
export type CommunityTokenBody = Tokens & {
  /** Lifetime in seconds. */
  readonly expire: number;
  /** Unix time in seconds when the token(s) expire. */
  readonly expiresAt: number;
};

/** The handler core: one light request in, one light reply out (both adapters call it). */
export type Handle = (request: ServerRequest) => Promise<ServerReply>;

const cores = new WeakMap<TokenServer, Handle>();

/** The core of a server made by {@link createTokenServer}; `undefined` for any other object. */
export function coreOf(server: TokenServer): Handle | undefined {
  return cores.get(server);
}

const GET_ALLOW = 'GET, HEAD, OPTIONS';
const POST_ALLOW = 'POST, OPTIONS';

/**
 * The app server of Agora Chat's token guide and of the community token servers on
 * Web-standard `Request`/`Response`: Chat app and user tokens (users looked up and registered
 * through the Chat REST API, or an embedded in-memory directory), RTC, RTM and RTC+RTM tokens,
 * `POST /getToken`, `/ping`, `/healthz`, `/readyz`, and the web page at `/`.
 * Runs unchanged on Node (see the CLI's `serve` and {@link toNodeListener}), Bun, Deno and
 * Cloudflare Workers.
 *
 * Throws `TokenError` at once when an option is wrong (e.g. an app ID that is not 32 hex).
 *
 * @example
 * ```ts
 * import { createTokenServer } from 'agora-access-token2/server';
 *
 * const server = createTokenServer({
 *   appId: process.env.AGORA_APP_ID!,
 *   appCertificate: process.env.AGORA_APP_CERTIFICATE!,
 *   chat: { appKey: process.env.AGORA_CHAT_APP_KEY!, restHost: process.env.AGORA_CHAT_REST_HOST! },
 *   authorize: (request, { route }) => route.kind === 'chat-user' && isSignedInAs(request, route.username),
 * });
 * Bun.serve({ port: 8090, fetch: server.fetch });          // or: export default server (Workers)
 * ```
 */
export function createTokenServer(options: TokenServerOptions): TokenServer {
  const config = resolveConfig(options);
  const handle: Handle = config.logRequest === undefined
    ? (request) => answer(config, request)
    : (request) => logged(config, request);
  const server: TokenServer = {
    fetch: (request, info) => handle(fromFetchRequest(request, addressOf(info))).then((reply) => toFetchResponse(reply, request.method)),
  };
  cores.set(server, handle);
  return server;
}

/** The client address in a {@link ClientInfo}, read defensively: runtimes pass other objects there. */
function addressOf(info: unknown): string | undefined {
  if (info === null || typeof info !== 'object') return undefined;
  const { clientAddress, remoteAddr } = info as { clientAddress?: unknown; remoteAddr?: { hostname?: unknown } };
  if (typeof clientAddress === 'string') return clientAddress;
  const hostname = remoteAddr !== null && typeof remoteAddr === 'object' ? remoteAddr.hostname : undefined;
  return typeof hostname === 'string' ? hostname : undefined;
}

async function logged(config: ServerConfig, request: ServerRequest): Promise<ServerReply> {
  const started = Date.now();
  const reply = await answer(config, request);
  const { method, path } = request;
  const ms = Date.now() - started;
  config.logRequest!(reply.error === undefined
    ? { type: 'request', method, path: path.slice(0, 300), status: reply.status, ms }
    : { type: 'request', method, path: path.slice(0, 300), status: reply.status, ms, error: reply.error });
  return reply;
}

/** Answers one request; every failure becomes a JSON error reply. */
async function answer(config: ServerConfig, request: ServerRequest): Promise<ServerReply> {
  try {
    return await dispatch(config, request);
  } catch (caught) {
    const failure = caught instanceof HttpError ? caught : internalError(config, caught);
    const reply = jsonReply(failure.status, { error: failure.code, message: failure.message }, { ...failure.headers, ...errorCors(config, request, failure) });
    return { ...reply, error: failure.code };
  }
}

/**
 * The CORS headers of an error answer, with `Retry-After` / `WWW-Authenticate` exposed to the
 * page; none when the `cors.origin` predicate itself throws (that is the 500 being answered).
 */
function errorCors(config: ServerConfig, request: ServerRequest, failure: HttpError): Readonly<Record<string, string>> {
  let headers: Readonly<Record<string, string>>;
  try {
    headers = corsHeaders(request, config.cors);
  } catch {
    return {};
  }
  const exposed = Object.keys(failure.headers).filter((name) => name === 'retry-after' || name === 'www-authenticate');
  return exposed.length === 0 || !('access-control-allow-origin' in headers)
    ? headers
    : { ...headers, 'access-control-expose-headers': exposed.join(', ') };
}

function internalError(config: ServerConfig, caught: unknown): HttpError {
  // Only the error's class and message: a message in this library never holds a credential.
  const what = caught instanceof Error ? `${caught.name}: ${caught.message}` : 'a non-Error value was thrown';
  config.log({ type: 'error', message: what.slice(0, 500) });
  return new HttpError(500, 'internal_error', 'the token server failed on this request; the details are in its log');
}

async function dispatch(config: ServerConfig, request: ServerRequest): Promise<ServerReply> {
  const target = admit(config, request);
  if ('status' in target) return target;
  switch (target.kind) {
    case 'token':
      return tokenReply(config, request, target.route, askedExpire(request.query), target.answer);
    case 'get-token': {
      const raw = await request.readBody(MAX_BODY_BYTES);
      if (raw === undefined) throw new HttpError(413, 'payload_too_large', `the body is larger than ${MAX_BODY_BYTES} bytes`);
      const asked = parseGetToken(raw);
      return tokenReply(config, request, asked.route, askedExpire(request.query, asked.expire), 'get-token');
    }
    case 'ping':
      return jsonReply(200, { message: 'pong' }, corsHeaders(request, config.cors));
    case 'healthz':
      return jsonReply(200, { status: 'ok', directory: config.directory.kind, demo: config.demo }, corsHeaders(request, config.cors));
    case 'readyz':
      return readiness(config, request);
    case 'page':
      requirePage(config.pageScript, 'pageScript');
      return bodyReply(200, pageHtml({ demo: config.demo }), 'text/html; charset=utf-8', { 'content-security-policy': PAGE_CSP });
    case 'page-script':
      return bodyReply(200, requirePage(config.pageScript, 'pageScript'), 'text/javascript; charset=utf-8');
    case 'bundle':
      return bodyReply(200, requirePage(config.browserBundle, 'browserBundle'), 'text/javascript; charset=utf-8');
  }
}

/**
 * The per-request checks, in one place, before any work: the `Host` (every path, the probes
 * too: a rebound page must learn nothing), the route, the method (GET and HEAD everywhere, POST
 * on /getToken only) and CORS preflights. Returns what the path names, or the reply that ends
 * the request here. (Per-client limits need to know who asks: see {@link authorize}.)
 */
function admit(config: ServerConfig, request: ServerRequest): Target | ServerReply {
  enforceHost(config.hostAllowed, request.header('host'));
  const target = matchRoute(request.path);
  if (target === undefined) throw new HttpError(404, 'not_found', `nothing at ${request.path.slice(0, 200)}`);
  const { method } = request;
  const post = target.kind === 'get-token';
  if (post ? method === 'POST' : method === 'GET' || method === 'HEAD') return target;
  const allow = post ? POST_ALLOW : GET_ALLOW;
  if (method === 'OPTIONS') {
    const preflight = request.header('access-control-request-method') !== undefined;
    return { status: 204, headers: preflight ? preflightHeaders(request, config.cors) : { allow }, body: null };
  }
  throw new HttpError(405, 'method_not_allowed', `${method.slice(0, 20)} is not allowed here; use ${post ? 'POST' : 'GET'}`, { allow });
}

async function readiness(config: ServerConfig, request: ServerRequest): Promise<ServerReply> {
  const { directory } = config;
  if (directory.ready !== undefined && !(await directory.ready())) {
    throw new HttpError(503, 'not_ready', 'the Chat REST API has not answered recently; Chat user tokens may fail', { 'retry-after': '5' });
  }
  return jsonReply(200, { status: 'ready', directory: directory.kind }, corsHeaders(request, config.cors));
}

function requirePage(content: string | undefined, option: 'pageScript' | 'browserBundle'): string {
  if (content === undefined) {
    throw new HttpError(404, 'not_found', `the web page is off: start the server with the browser build (${option} option)`);
  }
  return content;
}

/**
 * An X-Forwarded-For hop's address without the port some proxies append (`1.2.3.4:5678`,
 * `[2001:db8::1]:443`): otherwise each source port would be a client of its own.
 */
function withoutPort(hop: string): string {
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/i.exec(hop);
  if (bracketed) return bracketed[1];
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(hop);
  return v4 ? v4[1] : hop;
}

/** The client's address: its connection's, or with `trustProxy` the trusted X-Forwarded-For hop. */
function clientAddress(config: ServerConfig, request: ServerRequest): string | undefined {
  if (config.proxyHops > 0) {
    const forwarded = request.header('x-forwarded-for');
    if (forwarded !== undefined) {
      const hops = forwarded.split(',');
      const hop = withoutPort(hops[Math.max(0, hops.length - config.proxyHops)].trim());
      if (hop !== '') return hop.slice(0, 64);
    }
  }
  return request.clientAddress;
}

/** What an authorized request may do. */
interface Admitted {
  /** Counts a registration of a new Chat user against the requester (undefined: no limit). */
  readonly lookup: UserLookup | undefined;
}

const UNLIMITED: Admitted = { lookup: undefined };

/**
 * The one place a token request is authorized, before any upstream call or token is made, in
 * this order: the JWT (`auth`: 401 / 403), the requester's rate limit (429; keyed by the JWT
 * user, or by the address — a 401 or 403 counts against the address too, so a flood of bad
 * tokens or of requests for others' tokens is limited as well; the server secret is not
 * limited), then the `authorize` hook (false → 403, a `Response` is sent instead). Returns the reply to send instead, or what the request may do.
 */
async function authorize(
  config: ServerConfig, request: ServerRequest, route: TokenRoute, expire: number,
): Promise<ServerReply | Admitted> {
  const { auth, limits } = config;
  let key: string | undefined;
  if (auth !== undefined) {
    const verdict = await auth.checkAuthorization(request.header('authorization'), route);
    if (!verdict.ok) {
      // A refusal counts against the address, so that probing for other users' tokens meets the
      // limit too (a 503, the identity provider's keys out of reach, is not the client's doing).
      if (verdict.error.status === 401 || verdict.error.status === 403) limits?.tokenRequest(addressKey(config, request));
      throw verdict.error;
    }
    if (verdict.via === 'jwt') key = `jwt:${verdict.subject}`;
  } else if (limits !== undefined) {
    key = addressKey(config, request);
  }
  if (key !== undefined) limits?.tokenRequest(key);

  if (config.authorize !== undefined) {
    const allowed = await config.authorize(request.toRequest(), { route, expire });
    if (allowed instanceof Response) return replyFromResponse(allowed);
    if (allowed !== true) throw new HttpError(403, 'forbidden', 'this token is not for you (the server\'s authorize hook said no)');
  }
  return key === undefined || limits === undefined ? UNLIMITED : { lookup: limits.registration(key) };
}

function addressKey(config: ServerConfig, request: ServerRequest): string {
  const address = clientAddress(config, request);
  return address === undefined ? 'unknown' : clientKey(address);
}

async function tokenReply(
  config: ServerConfig, request: ServerRequest, route: TokenRoute, asked: number | undefined, answer: Answer | 'get-token',
): Promise<ServerReply> {
  const chat = route.kind === 'chat-app' || route.kind === 'chat-user';
  const expire = lifetime(asked, chat ? config.chatExpire : config.expire, chat ? config.chatMaxExpire : config.maxExpire);
  const admitted = await authorize(config, request, route, expire);
  if ('status' in admitted) return admitted;

  const issueTs = config.nowSeconds();
  const tokens = await buildTokens(config, route, expire, issueTs, admitted.lookup);
  const cors = corsHeaders(request, config.cors);
  const expiresAt = issueTs + expire;
  if (answer === 'community') {
    const body: CommunityTokenBody = { ...tokens, expire, expiresAt };
    return jsonReply(200, body, cors);
  }
  const token = singleToken(tokens);
  if (answer === 'get-token' || wantsJson(request.header('accept'))) {
    const body: TokenResponseBody = { token, expire, expiresAt };
    return jsonReply(200, body, cors);
  }
  return bodyReply(200, token, 'text/plain; charset=utf-8', cors);
}
