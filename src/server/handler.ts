import { ChatTokenBuilder2 } from '../builders/chat';
import { RtcRole } from '../builders/roles';
import { RtcTokenBuilder2 } from '../builders/rtc';
import { RtmTokenBuilder2 } from '../builders/rtm';
import { resolveConfig, type ServerConfig } from './config';
import { corsHeaders, preflightHeaders } from './cors';
import { HttpError, type ServerErrorCode } from './http-error';
import { checkExpire } from './identifiers';
import type { TokenRoute, TokenServerOptions } from './options';
import { pageHtml, PAGE_CSP } from './page';
import { matchRoute, type Target } from './routes';
import { bodyResponse, errorResponse, jsonResponse, wantsJson } from './responses';

/** A token server: one Web-standard handler, for any runtime with `Request` and `Response`. */
export interface TokenServer {
  /** Answers one request; never throws (failures become JSON error responses). */
  fetch(request: Request): Promise<Response>;
}

/** The JSON body of a token answer (`Accept: application/json`). */
export interface TokenResponseBody {
  /** The token (AccessToken2, `007…`). */
  readonly token: string;
  /** Lifetime in seconds. */
  readonly expire: number;
  /** Unix time in seconds when the token expires (`issueTs + expire`). */
  readonly expiresAt: number;
}

const ALLOW = 'GET, OPTIONS';

/**
 * The app server of Agora Chat's token guide on Web-standard `Request`/`Response`: Chat app and
 * user tokens (users looked up and registered through the Chat REST API, or an embedded
 * in-memory directory), RTC and RTM tokens, `/healthz`, and the web page at `/`.
 * Runs unchanged on Node (see the CLI's `serve`), Bun, Deno and Cloudflare Workers.
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
  const fetch = async (request: Request): Promise<Response> => {
    const started = Date.now();
    let response: Response;
    let error: ServerErrorCode | undefined;
    let path = '?';
    try {
      path = new URL(request.url).pathname;
      response = await handle(config, request);
    } catch (caught) {
      const failure = caught instanceof HttpError ? caught : internalError(config, caught);
      error = failure.code;
      response = errorResponse(failure, corsHeaders(request, config.cors));
    }
    config.log({ type: 'request', method: request.method, path, status: response.status, ms: Date.now() - started, ...(error ? { error } : {}) });
    return response;
  };
  return { fetch };
}

function internalError(config: ServerConfig, caught: unknown): HttpError {
  // Only the error's class and message: a message in this library never holds a credential.
  const what = caught instanceof Error ? `${caught.name}: ${caught.message}` : 'a non-Error value was thrown';
  config.log({ type: 'error', message: what.slice(0, 500) });
  return new HttpError(500, 'internal_error', 'the token server failed on this request; the details are in its log');
}

async function handle(config: ServerConfig, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const target = matchRoute(url.pathname);
  if (target === undefined) throw new HttpError(404, 'not_found', `nothing at ${url.pathname.slice(0, 200)}`);
  if (request.method === 'OPTIONS') {
    const preflight = request.headers.has('access-control-request-method');
    return new Response(null, { status: 204, headers: preflight ? preflightHeaders(request, config.cors) : { allow: ALLOW } });
  }
  if (request.method !== 'GET') {
    throw new HttpError(405, 'method_not_allowed', `${request.method.slice(0, 20)} is not allowed here; use GET`, { allow: ALLOW });
  }
  return serve(config, request, url, target);
}

async function serve(config: ServerConfig, request: Request, url: URL, target: Target): Promise<Response> {
  switch (target.kind) {
    case 'healthz':
      return jsonResponse(200, { status: 'ok', directory: config.directory.kind, demo: config.demo }, corsHeaders(request, config.cors));
    case 'page':
      requirePage(config.pageScript, 'pageScript');
      return bodyResponse(200, pageHtml({ demo: config.demo }), 'text/html; charset=utf-8', { 'content-security-policy': PAGE_CSP });
    case 'page-script':
      return bodyResponse(200, requirePage(config.pageScript, 'pageScript'), 'text/javascript; charset=utf-8');
    case 'bundle':
      return bodyResponse(200, requirePage(config.browserBundle, 'browserBundle'), 'text/javascript; charset=utf-8');
    case 'token':
      return tokenResponse(config, request, url, target.route);
  }
}

function requirePage(content: string | undefined, option: 'pageScript' | 'browserBundle'): string {
  if (content === undefined) {
    throw new HttpError(404, 'not_found', `the web page is off: start the server with the browser build (${option} option)`);
  }
  return content;
}

async function tokenResponse(config: ServerConfig, request: Request, url: URL, route: TokenRoute): Promise<Response> {
  const isChat = route.kind === 'chat-app' || route.kind === 'chat-user';
  const asked = url.searchParams.get('expire');
  const expire = asked === null
    ? (isChat ? config.chatExpire : config.expire)
    : checkExpire(asked, isChat ? config.chatMaxExpire : config.maxExpire);
  const cors = corsHeaders(request, config.cors);

  if (config.authorize !== undefined) {
    const verdict = await config.authorize(request, { route, expire });
    if (verdict instanceof Response) return verdict;
    if (verdict !== true) throw new HttpError(403, 'forbidden', 'this token is not for you (the server\'s authorize hook said no)');
  }

  const issueTs = config.nowSeconds();
  const token = await buildToken(config, route, expire, issueTs);
  if (wantsJson(request)) {
    const body: TokenResponseBody = { token, expire, expiresAt: issueTs + expire };
    return jsonResponse(200, body, cors);
  }
  return bodyResponse(200, token, 'text/plain; charset=utf-8', cors);
}

async function buildToken(config: ServerConfig, route: TokenRoute, expire: number, issueTs: number): Promise<string> {
  const { appId, appCertificate } = config;
  const options = { issueTs };
  switch (route.kind) {
    case 'chat-app':
      return ChatTokenBuilder2.buildAppToken(appId, appCertificate, expire, options);
    case 'chat-user': {
      const user = await config.directory.userFor(route.username);
      const subject = config.chatUserTokenSubject === 'uuid' ? user.uuid : user.username;
      return ChatTokenBuilder2.buildUserToken(appId, appCertificate, subject, expire, options);
    }
    case 'rtc': {
      const role = route.role === 'publisher' ? RtcRole.PUBLISHER : RtcRole.SUBSCRIBER;
      return route.uid !== undefined
        ? RtcTokenBuilder2.buildTokenWithUid(appId, appCertificate, route.channel, route.uid, role, expire, expire, options)
        : RtcTokenBuilder2.buildTokenWithUserAccount(appId, appCertificate, route.channel, route.account ?? '', role, expire, expire, options);
    }
    case 'rtm':
      return RtmTokenBuilder2.buildToken(appId, appCertificate, route.userId, expire, options);
  }
}
