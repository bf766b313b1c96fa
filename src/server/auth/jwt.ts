import {
  createRemoteJWKSet, errors, importJWK, importSPKI, jwtVerify,
  type CryptoKey, type JWK, type JWTHeaderParameters, type JWTPayload, type JWTVerifyGetKey,
} from 'jose';
import { TokenError } from '../../index';
import { HttpError } from '../http-error';
import type { TokenRoute } from '../options';

/** What a {@link AuthRule} function is told about one request. */
export interface AuthRuleContext {
  /** The token asked for. */
  readonly route: TokenRoute;
  /** The user the JWT names (its `userClaim`). */
  readonly subject: string;
  /** The JWT's scopes (`scope`, space separated, and `scp`). */
  readonly scopes: readonly string[];
  /** Every claim of the verified JWT. */
  readonly claims: JWTPayload;
}

/**
 * Who may have one kind of token:
 * - `'authenticated'`: anyone with a valid JWT;
 * - `'self'`: only for the user the JWT names (the route's `username`, `userId`, `account` or
 *   `uid` equals the JWT's user);
 * - `'never'`: nobody with a JWT (the server secret still gets it);
 * - `{ scope }`: a JWT that holds this scope;
 * - a function: your own decision.
 */
export type AuthRule =
  | 'authenticated'
  | 'self'
  | 'never'
  | { readonly scope: string }
  | ((context: AuthRuleContext) => boolean);

/** The kinds of token a rule can be set for (those of {@link TokenRoute}, and any added later). */
export type TokenKind = TokenRoute['kind'] | (string & Record<never, never>);

/**
 * JWT authentication of token requests: the app's own sign-in issues JWTs, the token server
 * trusts them. Give `jwksUrl` or `publicKey` — or only `serverSecret`, for a server that hands
 * tokens to your own backend alone.
 */
export interface JwtAuthOptions {
  /** The identity provider's JSON Web Key Set, e.g. `https://issuer.example/.well-known/jwks.json`. */
  readonly jwksUrl?: string;
  /** Instead of a JWKS: one public key, PEM (`-----BEGIN PUBLIC KEY-----`) or a JWK. */
  readonly publicKey?: string | JWK;
  /** The accepted `iss` (one or a list). Recommended. */
  readonly issuer?: string | readonly string[];
  /** The accepted `aud` (one or a list). Required with `jwksUrl`: one provider signs for many apps. */
  readonly audience?: string | readonly string[];
  /** The claim that holds the Chat username / user ID (default `sub`). */
  readonly userClaim?: string;
  /** Accepted signature algorithms (default: RS256/384/512, PS256/384/512, ES256/384/512, EdDSA, Ed25519). */
  readonly algorithms?: readonly string[];
  /** The scope a JWT needs for the Chat app token (default: none; only `serverSecret` gets it). */
  readonly appTokenScope?: string;
  /**
   * A server-to-server secret (16 to 512 Bearer-token characters): `Authorization: Bearer <secret>`
   * gets every token, the app token included. Compared in constant time.
   */
  readonly serverSecret?: string;
  /**
   * Who may have which token, by route kind. Defaults: `chat-user`, `rtm` and `rte` `'self'`
   * (RTE: the RTM user), `rtc` `'authenticated'`, `chat-app` `{ scope: appTokenScope }` or
   * `'never'`; any other kind `'never'`. A token that also carries RTC privileges must pass the
   * `rtc` rule too, for its RTC parts: an RTM token with a stream channel (that channel, published
   * to as the RTM user) and an RTE answer (its RTC token's channel, role and uid or account, and
   * its RTM token's stream channel).
   */
  readonly rules?: Partial<Record<TokenKind, AuthRule>>;
  /** Leeway for `exp`/`nbf`/`iat`, seconds (default 5). */
  readonly clockToleranceSeconds?: number;
  /** The `realm` of `WWW-Authenticate` (default `agora-access-token2`). */
  readonly realm?: string;
  /** How long the JWKS is kept before it is fetched again, seconds (default 600). */
  readonly jwksCacheSeconds?: number;
  /** Give up on fetching the JWKS after this many ms (default 5000). */
  readonly jwksTimeoutMs?: number;
  /** Clock in milliseconds (default `Date.now`). */
  readonly now?: () => number;
}

/** The outcome of {@link JwtAuth.check}: who asks, or the error to answer with. */
export type AuthVerdict =
  | {
      readonly ok: true;
      /** The JWT's user, or `server` for the server secret: the rate-limit key. */
      readonly subject: string;
      readonly via: 'jwt' | 'secret';
      /** The verified claims (JWT only). */
      readonly claims?: JWTPayload;
    }
  /**
   * `401 unauthorized` (no, invalid or expired JWT; `WWW-Authenticate` per RFC 6750),
   * `403 forbidden` (valid, but not for this token) or `503 upstream_unavailable` (the JWKS
   * could not be read).
   */
  | { readonly ok: false; readonly error: HttpError };

/** Authenticates token requests; see {@link createJwtAuth}. */
export interface JwtAuth {
  /** Checks the request's `Authorization: Bearer` against `route`. Never throws. */
  check(request: Request, route: TokenRoute): Promise<AuthVerdict>;
  /** {@link check} on the value of an `Authorization` header (`undefined`: none). Never throws. */
  checkAuthorization(authorization: string | undefined, route: TokenRoute): Promise<AuthVerdict>;
}

const DEFAULT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
/** Far above any real JWT; a longer header is refused before it is parsed. */
const MAX_TOKEN_LENGTH = 16 * 1024;

function invalid(message: string): TokenError {
  return new TokenError('ERR_INVALID_ARGUMENT', message);
}

/** Equal strings, in time that depends on their lengths only. */
export function constantTimeEqual(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

function keySource(options: JwtAuthOptions): JWTVerifyGetKey {
  const { jwksUrl, publicKey } = options;
  if (jwksUrl === undefined && publicKey === undefined && options.serverSecret !== undefined) {
    // The server secret alone: only your backend gets tokens, no JWT is accepted.
    return () => {
      throw new errors.JWSSignatureVerificationFailed('no JWT key is configured (server secret only)');
    };
  }
  if ((jwksUrl === undefined) === (publicKey === undefined)) throw invalid('jwt: give exactly one of jwksUrl and publicKey (or only serverSecret)');
  if (jwksUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(jwksUrl);
    } catch {
      throw invalid(`jwt.jwksUrl is not a URL: ${JSON.stringify(String(jwksUrl).slice(0, 100))}`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('jwt.jwksUrl must be an https:// (or, for a local provider, http://) URL');
    return createRemoteJWKSet(url, {
      cacheMaxAge: (options.jwksCacheSeconds ?? 600) * 1000,
      timeoutDuration: options.jwksTimeoutMs ?? 5000,
    });
  }
  if (typeof publicKey === 'string' && !publicKey.includes('-----BEGIN PUBLIC KEY-----')) {
    throw invalid('jwt.publicKey must be a PEM public key (-----BEGIN PUBLIC KEY-----) or a JWK');
  }
  if (typeof publicKey === 'object' && (publicKey === null || 'd' in publicKey || publicKey.kty === 'oct')) {
    throw invalid('jwt.publicKey must be a public key: a private or symmetric JWK is refused');
  }
  // One import per algorithm the tokens name (an RSA PEM can serve RS256 and PS256 alike).
  const imported = new Map<string, Promise<CryptoKey | Uint8Array>>();
  return (header: JWTHeaderParameters) => {
    const alg = header.alg ?? '';
    let key = imported.get(alg);
    if (key === undefined) {
      key = (typeof publicKey === 'string' ? importSPKI(publicKey, alg) : importJWK(publicKey as JWK, alg))
        .catch(() => {
          throw new errors.JWSSignatureVerificationFailed(`the configured public key does not fit ${alg}`);
        });
      imported.set(alg, key);
    }
    return key;
  };
}

function list(value: string | readonly string[] | undefined, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = typeof value === 'string' ? [value] : [...value];
  if (items.length === 0 || items.some((item) => typeof item !== 'string' || item === '')) throw invalid(`${name} must be a non-empty string or list of strings`);
  return items;
}

function scopesOf(claims: JWTPayload): string[] {
  const scopes: string[] = [];
  if (typeof claims.scope === 'string') scopes.push(...claims.scope.split(' ').filter(Boolean));
  const scp = claims.scp;
  if (typeof scp === 'string') scopes.push(...scp.split(' ').filter(Boolean));
  else if (Array.isArray(scp)) scopes.push(...scp.filter((s): s is string => typeof s === 'string'));
  return scopes;
}

/**
 * The user a route is for, whatever its kind: its `username`, `userId`, `rtmUserId` (RTE: the
 * RTM login decides), `account` or non-zero `uid`.
 */
function routeUser(route: TokenRoute): string | undefined {
  const fields = route as { username?: unknown; userId?: unknown; rtmUserId?: unknown; account?: unknown; uid?: unknown };
  for (const value of [fields.username, fields.userId, fields.rtmUserId, fields.account]) if (typeof value === 'string') return value;
  return typeof fields.uid === 'number' && fields.uid !== 0 ? String(fields.uid) : undefined;
}

/**
 * The RTC privileges a route's answer carries besides its own kind's, as `rtc` routes; they must
 * pass the `rtc` rule too. An RTM token with a stream channel joins it and publishes data there
 * as its RTM user; an RTE answer holds an RTC token for its uid or account and such an RTM token.
 */
function rtcParts(route: TokenRoute): TokenRoute[] {
  const streamChannel = (channel: string, userId: string): TokenRoute => ({ kind: 'rtc', channel, role: 'publisher', account: userId });
  if (route.kind === 'rte') {
    const { rtmUserId, ...rtcUser } = route;
    return [{ ...rtcUser, kind: 'rtc' }, streamChannel(route.channel, rtmUserId)];
  }
  if (route.kind === 'rtm' && route.channel !== undefined) return [streamChannel(route.channel, route.userId)];
  return [];
}

/** A quoted-string value for `WWW-Authenticate` (RFC 6750 allows no `"` or `\`). */
function quoted(text: string): string {
  return `"${text.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, "'")}"`;
}

/**
 * JWT authentication with jose (any runtime): verifies the Bearer JWT's signature (JWKS or one
 * public key), `exp`/`nbf`, issuer and audience, reads the user from `userClaim`, and applies the
 * rule for the route's kind. Throws `TokenError` at once when an option is wrong.
 *
 * @example
 * ```ts
 * const auth = createJwtAuth({ jwksUrl: 'https://login.example/.well-known/jwks.json', issuer: 'https://login.example/', audience: 'chat' });
 * const verdict = await auth.check(request, { kind: 'chat-user', username: 'alice' });
 * if (!verdict.ok) return verdict.error; // 401 / 403 / 503
 * ```
 */
export function createJwtAuth(options: JwtAuthOptions): JwtAuth {
  if (options === null || typeof options !== 'object') throw invalid('jwt options must be an object');
  const getKey = keySource(options);
  const issuer = list(options.issuer, 'jwt.issuer');
  const audience = list(options.audience, 'jwt.audience');
  if (options.jwksUrl !== undefined && audience === undefined) {
    throw invalid('jwt.audience is required with jwksUrl: one identity provider signs tokens for many apps');
  }
  const algorithms = list(options.algorithms, 'jwt.algorithms') ?? DEFAULT_ALGORITHMS;
  if (algorithms.some((alg) => /^(HS|none)/i.test(alg))) throw invalid('jwt.algorithms: only public-key algorithms are accepted');
  const userClaim = options.userClaim ?? 'sub';
  if (typeof userClaim !== 'string' || userClaim === '') throw invalid('jwt.userClaim must be a claim name');
  const secret = options.serverSecret;
  if (secret !== undefined && (typeof secret !== 'string' || !/^[A-Za-z0-9\-._~+/]{16,512}=*$/.test(secret))) {
    throw invalid('jwt.serverSecret must be 16 to 512 characters of A-Z a-z 0-9 - . _ ~ + / (what a Bearer header can carry)');
  }
  const realm = options.realm ?? 'agora-access-token2';
  const tolerance = options.clockToleranceSeconds ?? 5;
  if (!Number.isInteger(tolerance) || tolerance < 0 || tolerance > 300) throw invalid('jwt.clockToleranceSeconds must be an integer from 0 to 300');
  const now = options.now ?? Date.now;
  const rules: Partial<Record<TokenKind, AuthRule>> = {
    'chat-user': 'self',
    rtm: 'self',
    rte: 'self',
    rtc: 'authenticated',
    'chat-app': options.appTokenScope !== undefined ? { scope: options.appTokenScope } : 'never',
    ...options.rules,
  };

  const unauthorized = (message: string, error?: 'invalid_token'): AuthVerdict => {
    const challenge = [`realm=${quoted(realm)}`];
    if (error !== undefined) challenge.push(`error="${error}"`, `error_description=${quoted(message)}`);
    return { ok: false, error: new HttpError(401, 'unauthorized', message, { 'www-authenticate': `Bearer ${challenge.join(', ')}` }) };
  };
  const forbidden = (message: string, scope?: string): AuthVerdict => {
    const headers: Record<string, string> = scope === undefined
      ? {}
      : { 'www-authenticate': `Bearer realm=${quoted(realm)}, error="insufficient_scope", scope=${quoted(scope)}` };
    return { ok: false, error: new HttpError(403, 'forbidden', message, headers) };
  };

  const verify = async (token: string): Promise<{ readonly claims: JWTPayload } | AuthVerdict> => {
    try {
      const { payload } = await jwtVerify(token, getKey, {
        issuer, audience, algorithms, clockTolerance: tolerance, currentDate: new Date(now()),
      });
      return { claims: payload };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return unauthorized('the token has expired', 'invalid_token');
      if (error instanceof errors.JWTClaimValidationFailed) return unauthorized(`the token's ${error.claim} claim is not accepted (${error.reason})`, 'invalid_token');
      const keysUnreadable = options.jwksUrl !== undefined && (!(error instanceof errors.JOSEError)
        || error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || error.code === 'ERR_JOSE_GENERIC');
      if (keysUnreadable) {
        return { ok: false, error: new HttpError(503, 'upstream_unavailable', 'the identity provider\'s key set (JWKS) could not be read; try again shortly', { 'retry-after': '5' }) };
      }
      return unauthorized('the token is not valid', 'invalid_token');
    }
  };

  const checkAuthorization = async (header: string | undefined, route: TokenRoute): Promise<AuthVerdict> => {
    const match = header === undefined ? null : /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
    if (header === undefined || !/^Bearer\b/i.test(header)) return unauthorized('this token needs an Authorization: Bearer token');
    if (match === null || match[1].length > MAX_TOKEN_LENGTH) return unauthorized('the Authorization header holds no well-formed Bearer token', 'invalid_token');
    const token = match[1];
    if (secret !== undefined && constantTimeEqual(token, secret)) return { ok: true, subject: 'server', via: 'secret' };

    const verified = await verify(token);
    if ('ok' in verified) return verified;
    const payload = verified.claims;
    const named = payload[userClaim];
    const subject = typeof named === 'number' && Number.isSafeInteger(named) ? String(named) : named;
    if (typeof subject !== 'string' || subject === '' || subject.length > 256) {
      return unauthorized(`the token names no user in its ${userClaim} claim`, 'invalid_token');
    }
    const scopes = scopesOf(payload);
    /** The verdict of the rule for `part`'s kind, undefined when it allows it. */
    const refusal = (part: TokenRoute): AuthVerdict | undefined => {
      const rule = rules[part.kind] ?? 'never';
      let allowed: boolean;
      if (rule === 'authenticated') allowed = true;
      else if (rule === 'never') allowed = false;
      else if (rule === 'self') allowed = routeUser(part) === subject;
      else if (typeof rule === 'function') {
        try {
          allowed = rule({ route: part, subject, scopes, claims: payload }) === true;
        } catch {
          allowed = false;
        }
      } else {
        if (!scopes.includes(rule.scope)) return forbidden(`this token needs the scope ${JSON.stringify(rule.scope)}`, rule.scope);
        allowed = true;
      }
      if (allowed) return undefined;
      const what = part === route ? 'this token' : 'its RTC part';
      return forbidden(rule === 'self' ? `${what} is for another user than ${JSON.stringify(subject)}` : `${what} is not for ${JSON.stringify(subject)}`);
    };
    let refused = refusal(route);
    for (const part of rtcParts(route)) refused ??= refusal(part);
    return refused ?? { ok: true, subject, via: 'jwt', claims: payload };
  };

  return {
    checkAuthorization,
    check: (request, route) => checkAuthorization(request.headers.get('authorization') ?? undefined, route),
  };
}
