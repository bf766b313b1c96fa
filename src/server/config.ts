import { checkAppCertificate, checkAppId, checkInteger } from '../args/validate';
import { createTokenMaker, TokenError, type TokenMaker } from '../index';
import { AppTokenCache } from './app-token-cache';
import { createJwtAuth, type JwtAuth } from './auth/jwt';
import { ChatRestClient, type UpstreamFetch } from './chat-rest-client';
import { createHostCheck, type HostCheck } from './host-check';
import { MemoryUserDirectory } from './memory-user-directory';
import type { AuthorizeHook, CorsOptions, TokenServerLogEntry, TokenServerOptions } from './options';
import { createClientLimits, type ClientLimits } from './rate-limit';
import { RestUserDirectory } from './rest-user-directory';
import { UpstreamGate } from './upstream-gate';
import type { UserDirectory } from './user-directory';

/** Agora Chat accepts tokens valid for at most 24 hours. */
export const CHAT_MAX_EXPIRE = 86400;
const DEFAULT_EXPIRE = 3600;

/** {@link TokenServerOptions} checked and with every default filled in. */
export interface ServerConfig {
  readonly appId: string;
  /** Makes every token this server answers; the only holder of the app certificate. */
  readonly maker: TokenMaker;
  readonly expire: number;
  readonly maxExpire: number;
  readonly chatExpire: number;
  readonly chatMaxExpire: number;
  readonly chatUserTokenSubject: 'uuid' | 'username';
  readonly cors: CorsOptions | false;
  readonly authorize: AuthorizeHook | undefined;
  /** The browser build as text (bytes are decoded once, at start). */
  readonly browserBundle: string | undefined;
  /** The page's script as text. */
  readonly pageScript: string | undefined;
  readonly demo: boolean;
  readonly log: (entry: TokenServerLogEntry) => void;
  /** The user's logger for request entries; `undefined` (no logger) costs requests nothing. */
  readonly logRequest: ((entry: TokenServerLogEntry) => void) | undefined;
  readonly nowSeconds: () => number;
  readonly directory: UserDirectory;
  /** Whether a `Host` names this server (DNS rebinding defence). */
  readonly hostAllowed: HostCheck;
  /** JWT authentication; `undefined` when off. */
  readonly auth: JwtAuth | undefined;
  /** Per-client rate limits; `undefined` when both are off. */
  readonly limits: ClientLimits | undefined;
  /** X-Forwarded-For hops to trust (0: the connection's own address). */
  readonly proxyHops: number;
}

function invalid(message: string): TokenError {
  return new TokenError('ERR_INVALID_ARGUMENT', message);
}

function optionalInteger(value: unknown, name: string, min: number, max: number, fallback: number): number {
  return value === undefined ? fallback : checkInteger(value, name, min, max);
}

/** `org#app` → its two parts. */
export function parseAppKey(appKey: unknown): { org: string; app: string } {
  const match = typeof appKey === 'string' ? /^([^#/\s]{1,128})#([^#/\s]{1,128})$/.exec(appKey) : null;
  if (!match) throw invalid('chat.appKey must be the Chat App Key "org#app" (Agora Console → Chat → Basic information)');
  return { org: match[1], app: match[2] };
}

/** A REST host with or without scheme → `https://host` (an explicit http:// is kept, for local fakes). */
export function restBaseUrl(restHost: unknown): string {
  if (typeof restHost !== 'string' || restHost.trim() === '') {
    throw invalid('chat.restHost must be the Chat REST host, e.g. "a41.chat.agora.io"');
  }
  const withScheme = /^https?:\/\//i.test(restHost) ? restHost : `https://${restHost}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid(`chat.restHost is not a host name or URL: ${JSON.stringify(restHost.slice(0, 100))}`);
  }
  return url.origin + url.pathname.replace(/\/+$/, '');
}

function safeLog(log: TokenServerOptions['log']): (entry: TokenServerLogEntry) => void {
  if (log === undefined) return () => undefined;
  return (entry) => {
    try {
      log(entry);
    } catch {
      // A failing logger must not fail the request.
    }
  };
}

function bundleText(bundle: unknown): string | undefined {
  if (bundle === undefined || typeof bundle === 'string') return bundle;
  if (bundle instanceof Uint8Array) return new TextDecoder().decode(bundle);
  throw invalid('browserBundle must be the browser build as a string or Uint8Array');
}

/** Checks the options (throwing `TokenError` with the option's name) and fills in defaults. */
export function resolveConfig(options: TokenServerOptions): ServerConfig {
  if (options === null || typeof options !== 'object') throw invalid('options must be an object with appId and appCertificate');
  const appId = checkAppId(options.appId, 'appId');
  // Checked here to name the option; from then on only the maker holds the certificate.
  const maker = createTokenMaker({ appId, appCertificate: checkAppCertificate(options.appCertificate, 'appCertificate') });
  const maxExpire = optionalInteger(options.maxExpire, 'maxExpire', 1, 0xffffffff, CHAT_MAX_EXPIRE);
  const expire = optionalInteger(options.expire, 'expire', 1, maxExpire, Math.min(DEFAULT_EXPIRE, maxExpire));
  // Without the REST API the embedded directory's UUIDs are made up: Agora would refuse a token
  // for one, so the default is then the username (as agora-token-service signs for the user ID).
  const subject = options.chatUserTokenSubject ?? (options.chat === undefined ? 'username' : 'uuid');
  if (subject !== 'uuid' && subject !== 'username') throw invalid('chatUserTokenSubject must be "uuid" or "username"');
  const cors = options.cors ?? { origin: '*' };
  if (cors !== false && (typeof cors !== 'object' || cors.origin === undefined)) {
    throw invalid('cors must be false or { origin: "*" | string | string[] | (origin) => boolean }');
  }
  if (options.authorize !== undefined && typeof options.authorize !== 'function') throw invalid('authorize must be a function');
  const now = options.now ?? Date.now;
  const nowSeconds = () => Math.floor(now() / 1000);
  const log = safeLog(options.log);
  const chatMaxExpire = Math.min(maxExpire, CHAT_MAX_EXPIRE);
  if (options.allowedHosts !== undefined && !Array.isArray(options.allowedHosts)) throw invalid('allowedHosts must be a list of host names');
  const rateLimit = options.rateLimit ?? false;
  const registrationRateLimit = options.registrationRateLimit ?? false;

  return {
    appId,
    maker,
    expire,
    maxExpire,
    chatExpire: Math.min(expire, CHAT_MAX_EXPIRE),
    chatMaxExpire,
    chatUserTokenSubject: subject,
    cors,
    authorize: options.authorize,
    browserBundle: bundleText(options.browserBundle),
    pageScript: bundleText(options.pageScript),
    demo: options.demo === true,
    log,
    logRequest: options.log === undefined ? undefined : log,
    nowSeconds,
    directory: options.chat === undefined
      ? new MemoryUserDirectory()
      : restDirectory(options, maker, nowSeconds, log),
    hostAllowed: createHostCheck({ allowedHosts: options.allowedHosts, cors }),
    auth: options.auth === undefined ? undefined : createJwtAuth({ now, ...options.auth }),
    limits: rateLimit === false && registrationRateLimit === false
      ? undefined
      : createClientLimits({ tokens: rateLimit, registrations: registrationRateLimit, now }),
    proxyHops: proxyHops(options.trustProxy),
  };
}

function proxyHops(trust: unknown): number {
  if (trust === undefined || trust === false) return 0;
  if (trust === true) return 1;
  return checkInteger(trust, 'trustProxy', 0, 16);
}

function restDirectory(
  options: TokenServerOptions, maker: TokenMaker, nowSeconds: () => number,
  log: (entry: TokenServerLogEntry) => void,
): UserDirectory {
  const chat = options.chat!;
  const { org, app } = parseAppKey(chat.appKey);
  const baseUrl = restBaseUrl(chat.restHost);
  const lifetime = optionalInteger(chat.appTokenExpire, 'chat.appTokenExpire', 60, CHAT_MAX_EXPIRE, 3600);
  const renewBefore = optionalInteger(chat.appTokenRenewBefore, 'chat.appTokenRenewBefore', 0, Math.floor(lifetime / 2), Math.min(300, Math.floor(lifetime / 2)));
  const appToken = new AppTokenCache(
    (issueTs, expire) => maker.buildChatAppToken(expire, { issueTs }),
    lifetime, renewBefore, nowSeconds,
  );
  const custom = options.fetch;
  if (custom !== undefined && typeof custom !== 'function') throw invalid('fetch must be a function');
  // The global fetch is called as fetch(url, init), the form Node aborts reliably.
  const fetchUpstream: UpstreamFetch = custom === undefined ? (url, init) => fetch(url, init) : (url, init) => custom(new Request(url, init));
  const client = new ChatRestClient({
    baseUrl,
    org,
    app,
    appToken,
    fetch: fetchUpstream,
    gate: new UpstreamGate({
      concurrency: optionalInteger(chat.concurrency, 'chat.concurrency', 1, 1024, 32),
      maxWaitMs: optionalInteger(chat.queueTimeoutMs, 'chat.queueTimeoutMs', 0, 60_000, 1000),
    }),
    timeoutMs: optionalInteger(chat.timeoutMs, 'chat.timeoutMs', 1, 120_000, 5000),
    retries: optionalInteger(chat.retries, 'chat.retries', 0, 5, 2),
    backoffMs: optionalInteger(chat.backoffMs, 'chat.backoffMs', 0, 60_000, 200),
    maxBackoffMs: optionalInteger(chat.maxBackoffMs, 'chat.maxBackoffMs', 0, 60_000, 2000),
    log,
  });
  const cacheSeconds = optionalInteger(chat.userCacheSeconds, 'chat.userCacheSeconds', 0, 86400 * 30, 600);
  return new RestUserDirectory(client, cacheSeconds, nowSeconds);
}
