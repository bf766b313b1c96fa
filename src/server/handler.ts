import { resolveConfig, type ServerConfig } from './config';
import { corsHeaders, preflightHeaders } from './cors';
import {
  bodyReply, jsonReply, MAX_BODY_BYTES, replyFromResponse, wantsJson, type ServerReply, type ServerRequest,
} from './exchange';
import { askedExpire, lifetime } from './expire';
import { fromFetchRequest, toFetchResponse } from './fetch-adapter';
import { parseGetToken } from './get-token';
import { HttpError } from './http-error';
import type { TokenRoute, TokenServerOptions } from './options';
import { pageHtml, PAGE_CSP } from './page';
import { matchRoute, type Answer, type Target } from './routes';
import { buildTokens, singleToken, type Tokens } from './tokens';

/** A token server: one Web-standard handler, for any runtime with `Request` and `Response`. */
export interface TokenServer {
  /** Answers one request; never throws (failures become JSON error responses). */
  fetch(request: Request): Promise<Response>;
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
    fetch: (request) => handle(fromFetchRequest(request)).then((reply) => toFetchResponse(reply, request.method)),
  };
  cores.set(server, handle);
  return server;
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
    const reply = jsonReply(failure.status, { error: failure.code, message: failure.message }, { ...failure.headers, ...corsHeaders(request, config.cors) });
    return { ...reply, error: failure.code };
  }
}

function internalError(config: ServerConfig, caught: unknown): HttpError {
  // Only the error's class and message: a message in this library never holds a credential.
  const what = caught instanceof Error ? `${caught.name}: ${caught.message}` : 'a non-Error value was thrown';
  config.log({ type: 'error', message: what.slice(0, 500) });
  return new HttpError(500, 'internal_error', 'the token server failed on this request; the details are in its log');
}

async function dispatch(config: ServerConfig, request: ServerRequest): Promise<ServerReply> {
  const target = matchRoute(request.path);
  if (target === undefined) throw new HttpError(404, 'not_found', `nothing at ${request.path.slice(0, 200)}`);
  const early = admit(config, request, target);
  if (early !== undefined) return early;
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
 * The per-request checks, in one place, before any work: the method (GET and HEAD everywhere,
 * POST on /getToken only) and CORS preflights. A reply ends the request here; rate limits and
 * similar checks belong here too.
 */
function admit(config: ServerConfig, request: ServerRequest, target: Target): ServerReply | undefined {
  const { method } = request;
  const post = target.kind === 'get-token';
  if (post ? method === 'POST' : method === 'GET' || method === 'HEAD') return undefined;
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
 * The one place a token request is authorized, before any upstream call or token is made:
 * `undefined` to go on, or the reply to send instead (a throw is a 403).
 */
async function authorize(config: ServerConfig, request: ServerRequest, route: TokenRoute, expire: number): Promise<ServerReply | undefined> {
  if (config.authorize === undefined) return undefined;
  const verdict = await config.authorize(request.toRequest(), { route, expire });
  if (verdict instanceof Response) return replyFromResponse(verdict);
  if (verdict !== true) throw new HttpError(403, 'forbidden', 'this token is not for you (the server\'s authorize hook said no)');
  return undefined;
}

async function tokenReply(
  config: ServerConfig, request: ServerRequest, route: TokenRoute, asked: number | undefined, answer: Answer | 'get-token',
): Promise<ServerReply> {
  const chat = route.kind === 'chat-app' || route.kind === 'chat-user';
  const expire = lifetime(asked, chat ? config.chatExpire : config.expire, chat ? config.chatMaxExpire : config.maxExpire);
  const refused = await authorize(config, request, route, expire);
  if (refused !== undefined) return refused;

  const issueTs = config.nowSeconds();
  const tokens = await buildTokens(config, route, expire, issueTs);
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
