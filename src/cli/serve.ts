import { readFileSync } from 'node:fs';
import {
  createTokenServer, parseRate, tokenServerOptionsFromEnv,
  type AuthRule, type ChatRestOptions, type ConnectionLimits, type CorsOptions, type JwtAuthOptions, type Rate,
  type TokenServerLogEntry, type TokenServerOptions,
} from '../server/index';
import { resolveConnectionLimits } from '../server/connection-limits';
import { isLoopback } from '../server/host-check';
import { serveNode } from '../server/node';
import { DEFAULT_REGISTER_RATE, DEFAULT_TOKEN_RATE } from '../server/rate-limit';
import {
  appCertificateOf, choice, CREDENTIAL_FLAGS, flagHelp, fromFlagOrEnv, HELP_FLAG, integer, optionalInteger, parse, text, UsageError, type Flags, type Parsed,
} from './args';
import type { Io } from './io';

const FLAGS: Flags = {
  port: { type: 'string', value: 'N', help: 'port (default: $PORT or 8090; 0 = any free port)' },
  host: { type: 'string', value: 'ADDR', help: 'interface to listen on (default 127.0.0.1; 0.0.0.0 for all)' },
  'app-id': { type: 'string', value: 'HEX32', help: 'Agora app ID (default: $AGORA_APP_ID)' },
  'app-certificate': { type: 'string', value: 'HEX32', help: 'app certificate (default: $AGORA_APP_CERTIFICATE)' },
  certificate: CREDENTIAL_FLAGS.certificate,
  'chat-app-key': { type: 'string', value: 'ORG#APP', help: 'Chat App Key (default: $AGORA_CHAT_APP_KEY)' },
  'chat-rest-host': { type: 'string', value: 'HOST', help: 'Chat REST host (default: $AGORA_CHAT_REST_HOST; unset: in-memory users)' },
  'token-subject': { type: 'string', value: 'uuid|username', help: 'Chat user tokens for the user UUID (default with the Chat REST API, as the guide) or the username (default without it)' },
  expire: { type: 'string', value: 'SECONDS', help: 'default token lifetime (default 3600; Chat at most 86400)' },
  'max-expire': { type: 'string', value: 'SECONDS', help: 'largest ?expire= a client may ask for (default 86400)' },
  'cors-origin': { type: 'string', multiple: true, value: 'ORIGIN', help: 'allow this browser origin (repeatable); none = no CORS at all (default: every origin, as the guide)' },
  'allowed-host': { type: 'string', multiple: true, value: 'NAME', help: 'answer to this Host name too (repeatable; *.example.com; * = any). Always: loopback names, IP literals, --cors-origin hosts' },
  'jwks-url': { type: 'string', value: 'URL', help: 'require a JWT signed by a key of this JWKS (needs --jwt-audience)' },
  'jwt-public-key': { type: 'string', value: 'FILE', help: 'require a JWT signed by this public key (PEM, or a .json JWK)' },
  'jwt-issuer': { type: 'string', multiple: true, value: 'ISS', help: 'accepted JWT issuer (repeatable; recommended)' },
  'jwt-audience': { type: 'string', multiple: true, value: 'AUD', help: 'accepted JWT audience (repeatable)' },
  'jwt-user-claim': { type: 'string', value: 'NAME', help: 'the JWT claim that names the user (default sub)' },
  'app-token-scope': { type: 'string', value: 'SCOPE', help: 'a JWT with this scope gets the Chat app token (default: only the server secret)' },
  'auth-rule': { type: 'string', multiple: true, value: 'KIND=RULE', help: 'who gets a kind (chat-user, chat-app, rtc, rtm, rte): authenticated | self | never | scope:NAME' },
  'server-secret-file': { type: 'string', value: 'FILE', help: 'a file holding the server-to-server Bearer secret (gets every token; or $AGORA_TOKEN_SERVER_SECRET)' },
  'server-secret': { type: 'string', value: 'SECRET', help: 'the same on the command line (visible to ps: prefer the file or the variable)' },
  'rate-limit': { type: 'string', value: 'RATE|off', help: 'token requests per client (JWT user, else address): 120/m (default), 10/s, 30/90s, off' },
  'register-rate-limit': { type: 'string', value: 'RATE|off', help: 'new Chat users registered per client, counted apart (default 20/h)' },
  'trust-proxy': { type: 'boolean', help: 'behind a reverse proxy: the client address is the last X-Forwarded-For hop' },
  'upstream-timeout': { type: 'string', value: 'MS', help: 'Chat REST call timeout (default 5000)' },
  'upstream-retries': { type: 'string', value: 'N', help: 'Chat REST retries after 429/5xx/connection failures (default 2, at most 5)' },
  'user-cache-seconds': { type: 'string', value: 'S', help: 'keep a username → UUID answer this long (default 600; 0 = always ask)' },
  'upstream-concurrency': { type: 'string', value: 'N', help: 'Chat REST calls at once (default 32); more wait, then 503 upstream_busy' },
  'upstream-queue-timeout': { type: 'string', value: 'MS', help: 'how long a call waits for a slot (default 1000)' },
  'max-connections': { type: 'string', value: 'N', help: 'open connections, all clients (default 512; keep under ulimit -n)' },
  'max-connections-per-client': { type: 'string', value: 'N', help: 'open connections from one address (default 128)' },
  'idle-timeout': { type: 'string', value: 'MS', help: 'close a connection idle this long, before or between requests (default 10000)' },
  'headers-timeout': { type: 'string', value: 'MS', help: 'request headers must arrive within (default 10000)' },
  'request-timeout': { type: 'string', value: 'MS', help: 'a whole request must arrive within (default 30000)' },
  quiet: { type: 'boolean', help: 'no log line per request (costs nothing per request)' },
  ...HELP_FLAG,
};

const USAGE = `Usage: agora-access-token2 serve [flags]

The Chat token server of Agora's token guide and the community token servers' protocol
(agora-token-service: React UIKit, Unity and Flutter quickstarts), plus a web page at /.
A trailing slash is optional everywhere; HEAD works wherever GET does.

Guide routes (plain text, or { token, expire, expiresAt } with Accept: application/json):
  GET /chat/app/token                            Chat app token (for REST calls)
  GET /chat/user/{username}/token                Chat user token (user looked up / registered)

Community routes (always JSON; expire and expiresAt beside the token keys):
  GET /rtc/{channel}/{role}/{type}/{uid}         { rtcToken }  role publisher | subscriber | audience,
                                                 type uid | userAccount | account, empty uid = 0 (any)
  GET /rtm/{uid}                                 { rtmToken }  (uid 0 or empty: 400)
  GET /rte/{channel}/{role}/{type}/{uid}[/{rtmUid}]
                                                 { rtcToken, rtmToken }  RTM user = rtmUid or uid
  GET /chat/app                                  { chatToken }  app token
  GET /chat/account/{username}                   { chatToken }  user token (same users as above)
  POST /getToken {"tokenType":"rtc"|"rtm"|"chat", "channel", "role", "uid", "expire"}
                                                 { token, expire, expiresAt }  (body at most 4 KB)
  GET /ping                                      { "message": "pong" }

Probes: GET /healthz (liveness: the process answers), GET /readyz (readiness: 503 unless the
Chat REST API answered within 30 s, asked once when it has not; always 200 without one).

?expiry=SECONDS (the community name) or ?expire=SECONDS sets the lifetime (0 = default);
anything else, a value over the cap, or two different values is a 400. Errors are JSON
{ "error": code, "message": text }. Without credentials a demo app ID and certificate are made up.

Exposing it (docs/server.md, "Putting it on the internet"): by default anyone who reaches the
port gets any token, the Chat app token included, and any web page may read them (CORS *).
--jwks-url or --jwt-public-key require a JWT from your sign-in (Authorization: Bearer): a user
token only for the user the JWT names, the app token only with --app-token-scope or the server
secret; 401 without a valid JWT, 403 when it is not for this token. Always on: a Host allowlist
(421 for other names: DNS rebinding), per-client rate limits (429 + Retry-After), connection
limits and timeouts, a cap on concurrent Chat REST calls.

Environment: AGORA_APP_ID, AGORA_APP_CERTIFICATE, AGORA_CHAT_APP_KEY, AGORA_CHAT_REST_HOST, PORT,
AGORA_TOKEN_SERVER_SECRET.

Flags:
${flagHelp(FLAGS)}`;

/**
 * Request lines are gathered and written once per turn of the event loop, so logging costs a
 * string per request, not a write.
 */
function batchedLines(write: (text: string) => void): (line: string) => void {
  let pending: string[] = [];
  const flush = () => {
    const lines = pending;
    pending = [];
    write(lines.join('\n'));
  };
  return (line) => {
    if (pending.push(line) === 1) setImmediate(flush);
  };
}

function logger(io: Io): (entry: TokenServerLogEntry) => void {
  const requestLine = batchedLines((text) => io.out(text));
  return (entry) => {
    const time = new Date().toISOString();
    if (entry.type === 'request') {
      requestLine(`${time} ${entry.method} ${entry.path} ${entry.status} ${entry.ms}ms${entry.error ? ` ${entry.error}` : ''}`);
    } else if (entry.type === 'upstream') {
      io.err(`${time} upstream ${entry.method} ${entry.path} attempt ${entry.attempt}: ${entry.message}`);
    } else {
      io.err(`${time} error: ${entry.message}`);
    }
  };
}

function browserBundle(file = 'agora-access-token2.js'): string | undefined {
  try {
    return readFileSync(new URL(`./browser/${file}`, import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}

function envPort(value: string | undefined): number {
  if (value === undefined || value === '') return 8090;
  if (!/^[0-9]{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError(`PORT must be a port number 0-65535, got ${JSON.stringify(value.slice(0, 20))}`);
  return Number(value);
}

function strings(parsed: Parsed, name: string): string[] {
  return (parsed.values[name] as string[] | undefined) ?? [];
}

/** A rate flag: `off`, or a rate as {@link parseRate} reads it. */
function rateFlag(parsed: Parsed, name: string, fallback: Rate): Rate | false {
  const value = text(parsed, name);
  if (value === undefined) return fallback;
  return value === 'off' ? false : parseRate(value, `--${name}`);
}

function corsFlag(origins: readonly string[]): CorsOptions | false {
  if (origins.length === 0) return { origin: '*' };
  if (origins.includes('none') || origins.includes('*')) {
    if (origins.length > 1) throw new UsageError('--cors-origin none or * cannot be combined with other origins');
    return origins[0] === 'none' ? false : { origin: '*' };
  }
  return { origin: origins };
}

const RULE_KINDS = ['chat-user', 'chat-app', 'rtc', 'rtm', 'rte'];

/** `--auth-rule KIND=RULE` flags → `rules`. */
function authRules(values: readonly string[]): Record<string, AuthRule> | undefined {
  if (values.length === 0) return undefined;
  const rules: Record<string, AuthRule> = {};
  for (const value of values) {
    const match = /^([a-z-]+)=(authenticated|self|never|scope:(\S{1,200}))$/.exec(value);
    if (!match || !RULE_KINDS.includes(match[1])) {
      throw new UsageError(`--auth-rule must be KIND=RULE with KIND one of ${RULE_KINDS.join(', ')} and RULE authenticated, self, never or scope:NAME, got ${JSON.stringify(value.slice(0, 60))}`);
    }
    rules[match[1]] = match[3] !== undefined ? { scope: match[3] } : (match[2] as 'authenticated' | 'self' | 'never');
  }
  return rules;
}

function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--${flag}: cannot read ${JSON.stringify(file)}: ${(error as NodeJS.ErrnoException).code ?? 'failed'}`);
  }
}

/** The server secret from a file, the environment or (visible to `ps`) the command line. */
function serverSecret(parsed: Parsed, io: Io): string | undefined {
  const file = text(parsed, 'server-secret-file');
  const flag = text(parsed, 'server-secret');
  const env = io.env.AGORA_TOKEN_SERVER_SECRET || undefined;
  if ([file, flag, env].filter((v) => v !== undefined).length > 1) {
    throw new UsageError('give the server secret once: --server-secret-file, $AGORA_TOKEN_SERVER_SECRET or --server-secret');
  }
  if (flag !== undefined) io.err('warning: --server-secret is visible to every user of this machine (ps); prefer --server-secret-file or $AGORA_TOKEN_SERVER_SECRET');
  return file !== undefined ? readText(file, 'server-secret-file').trim() : flag ?? env;
}

/** The `auth` option from the JWT flags; `undefined` when authentication is off. */
function authOptions(parsed: Parsed, io: Io): JwtAuthOptions | undefined {
  const jwksUrl = text(parsed, 'jwks-url');
  const keyFile = text(parsed, 'jwt-public-key');
  const secret = serverSecret(parsed, io);
  const issuer = strings(parsed, 'jwt-issuer');
  const audience = strings(parsed, 'jwt-audience');
  const tuning = ['jwt-user-claim', 'app-token-scope'].filter((name) => text(parsed, name) !== undefined);
  if (jwksUrl === undefined && keyFile === undefined) {
    const given = [...(issuer.length ? ['jwt-issuer'] : []), ...(audience.length ? ['jwt-audience'] : []), ...tuning];
    if (given.length > 0) throw new UsageError(`--${given[0]} needs --jwks-url or --jwt-public-key`);
    if (secret === undefined) {
      if (strings(parsed, 'auth-rule').length > 0) throw new UsageError('--auth-rule needs --jwks-url, --jwt-public-key or a server secret');
      return undefined;
    }
  }
  let publicKey: JwtAuthOptions['publicKey'];
  if (keyFile !== undefined) {
    const content = readText(keyFile, 'jwt-public-key');
    try {
      publicKey = keyFile.endsWith('.json') ? JSON.parse(content) : content;
    } catch {
      throw new UsageError(`--jwt-public-key: ${JSON.stringify(keyFile)} is not JSON (a .json file must hold one JWK)`);
    }
  }
  return {
    jwksUrl,
    publicKey,
    issuer: issuer.length > 0 ? issuer : undefined,
    audience: audience.length > 0 ? audience : undefined,
    userClaim: text(parsed, 'jwt-user-claim'),
    appTokenScope: text(parsed, 'app-token-scope'),
    serverSecret: secret,
    rules: authRules(strings(parsed, 'auth-rule')),
  };
}

const UPSTREAM_FLAGS = ['upstream-timeout', 'upstream-retries', 'user-cache-seconds', 'upstream-concurrency', 'upstream-queue-timeout'];

/** The Chat REST tuning flags on top of the REST API from the environment. */
function chatOptions(parsed: Parsed, chat: ChatRestOptions | undefined): ChatRestOptions | undefined {
  const given = UPSTREAM_FLAGS.filter((name) => text(parsed, name) !== undefined);
  if (chat === undefined) {
    if (given.length > 0) throw new UsageError(`--${given[0]} tunes the Chat REST API: set AGORA_CHAT_APP_KEY and AGORA_CHAT_REST_HOST (or --chat-rest-host)`);
    return undefined;
  }
  return {
    ...chat,
    timeoutMs: optionalInteger(parsed, 'upstream-timeout', 1, 120_000),
    retries: optionalInteger(parsed, 'upstream-retries', 0, 5),
    userCacheSeconds: optionalInteger(parsed, 'user-cache-seconds', 0, 86400 * 30),
    concurrency: optionalInteger(parsed, 'upstream-concurrency', 1, 1024),
    queueTimeoutMs: optionalInteger(parsed, 'upstream-queue-timeout', 0, 60_000),
  };
}

function connectionLimits(parsed: Parsed): Partial<ConnectionLimits> {
  const ms = (name: string) => optionalInteger(parsed, name, 100, 3_600_000);
  const limits = {
    maxConnections: optionalInteger(parsed, 'max-connections', 1, 1_000_000),
    maxConnectionsPerClient: optionalInteger(parsed, 'max-connections-per-client', 1, 1_000_000),
    idleTimeoutMs: ms('idle-timeout'),
    headersTimeoutMs: ms('headers-timeout'),
    requestTimeoutMs: ms('request-timeout'),
  };
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined));
}

const rateText = (rate: Rate | false | undefined) => (rate ? `${rate.requests} per ${rate.perSeconds} s` : 'off');

/** What the banner says is open and what is closed, one line each. */
function exposure(options: TokenServerOptions, limits: ConnectionLimits): string[] {
  const { auth, cors } = options;
  const corsLine = cors === false
    ? '  CORS: off (only pages served from this server can read answers)'
    : cors === undefined || cors.origin === '*'
      ? '  CORS: any web page may read the answers (--cors-origin ORIGIN to restrict, --cors-origin none to turn off)'
      : `  CORS: only ${(cors.origin as readonly string[]).join(', ')}`;
  const hosts = options.allowedHosts ?? [];
  const hostLine = hosts.includes('*')
    ? '  Host check: off (--allowed-host *)'
    : `  Host check: loopback names, IP literals${hosts.length ? `, ${hosts.join(', ')}` : ''}${cors && cors.origin !== '*' ? ', the --cors-origin hosts' : ''} (others: 421)`;
  const who = `${auth ? 'JWT user, else ' : ''}address${options.trustProxy ? ' from X-Forwarded-For' : ''}`;
  const rateLine = `  rate limits per client (${who}): token requests ${rateText(options.rateLimit)}, new Chat users ${rateText(options.registrationRateLimit)}`;
  const connectionLine = `  connections: at most ${limits.maxConnections} (${limits.maxConnectionsPerClient} per address), idle ones closed after ${limits.idleTimeoutMs / 1000} s`;
  let access: string;
  if (auth === undefined) {
    access = '  access: open to everyone: any caller gets any user\'s token and the Chat app token (as the guide) — --jwks-url or --jwt-public-key to require a JWT';
  } else {
    const source = auth.jwksUrl !== undefined ? `JWKS ${auth.jwksUrl}` : auth.publicKey !== undefined ? 'the --jwt-public-key key' : undefined;
    const app = [auth.appTokenScope !== undefined ? `a JWT with scope ${auth.appTokenScope}` : '', auth.serverSecret !== undefined ? 'the server secret' : '']
      .filter(Boolean).join(' or ') || 'nobody';
    access = source === undefined
      ? '  access: server secret only (Authorization: Bearer <secret>); every other request 401'
      : `  access: JWT required (${source}${auth.issuer ? `, issuer ${[auth.issuer].flat().join(' | ')}` : ''}${auth.audience ? `, audience ${[auth.audience].flat().join(' | ')}` : ''}, user claim ${auth.userClaim ?? 'sub'}); user tokens for the JWT's user only; app token: ${app}`;
  }
  return [corsLine, hostLine, rateLine, connectionLine, access];
}

/** `serve`: runs until SIGINT or SIGTERM. */
export async function serveCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parse(args, FLAGS, 0);
  if (parsed.values.help) {
    io.out(USAGE);
    return 0;
  }
  const port = integer(parsed, 'port', envPort(io.env.PORT), 0, 65535);
  const host = text(parsed, 'host') ?? '127.0.0.1';
  const fromEnv = tokenServerOptionsFromEnv({
    AGORA_APP_ID: fromFlagOrEnv(parsed, 'app-id', 'AGORA_APP_ID', io.env),
    AGORA_APP_CERTIFICATE: appCertificateOf(parsed, io.env),
    AGORA_CHAT_APP_KEY: fromFlagOrEnv(parsed, 'chat-app-key', 'AGORA_CHAT_APP_KEY', io.env),
    AGORA_CHAT_REST_HOST: fromFlagOrEnv(parsed, 'chat-rest-host', 'AGORA_CHAT_REST_HOST', io.env),
  }, { allowDemo: true });
  const allowedHosts = strings(parsed, 'allowed-host');
  const bundle = browserBundle();
  const options: TokenServerOptions = {
    ...fromEnv,
    chat: chatOptions(parsed, fromEnv.chat),
    chatUserTokenSubject: choice(parsed, 'token-subject', ['uuid', 'username'] as const),
    expire: optionalInteger(parsed, 'expire', 1),
    maxExpire: optionalInteger(parsed, 'max-expire', 1),
    cors: corsFlag(strings(parsed, 'cors-origin')),
    allowedHosts: allowedHosts.length > 0 ? allowedHosts : undefined,
    auth: authOptions(parsed, io),
    rateLimit: rateFlag(parsed, 'rate-limit', DEFAULT_TOKEN_RATE),
    registrationRateLimit: rateFlag(parsed, 'register-rate-limit', DEFAULT_REGISTER_RATE),
    trustProxy: parsed.values['trust-proxy'] === true,
    browserBundle: bundle,
    pageScript: browserBundle('page.js'),
    log: parsed.values.quiet ? undefined : logger(io),
  };
  const limits = resolveConnectionLimits(connectionLimits(parsed));
  const running = await serveNode(createTokenServer(options), { port, host, limits }).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot listen on ${host}:${port}: ${error.code ?? error.message}`);
  });

  const lines = [`agora-access-token2 token server listening on ${running.url}`];
  if (options.demo) {
    lines.push(
      '  DEMO credentials, made up at start — Agora will not accept these tokens:',
      `    AGORA_APP_ID=${options.appId}`,
      `    AGORA_APP_CERTIFICATE=${options.appCertificate}`,
      '  Set AGORA_APP_ID and AGORA_APP_CERTIFICATE for real tokens.',
    );
  } else {
    lines.push(`  app ID ${options.appId}`);
  }
  lines.push(options.chat
    ? `  Chat users: REST API at ${options.chat.restHost} (app key ${options.chat.appKey})`
    : '  Chat users: embedded in-memory directory (set AGORA_CHAT_APP_KEY and AGORA_CHAT_REST_HOST for the Chat REST API)');
  lines.push(options.pageScript ? `  web page: ${running.url}/` : '  web page: off (dist/browser/page.js not found)');
  if (!isLoopback(host) && allowedHosts.length === 0) {
    io.err(`warning: listening on ${host} with no --allowed-host: requests to a host name get 421 (only IP literals and loopback names are answered)`);
  }
  lines.push(...exposure(options, limits));
  io.out(lines.join('\n'));

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      running.close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
