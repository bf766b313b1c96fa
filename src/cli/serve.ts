import { readFileSync } from 'node:fs';
import {
  createTokenServer, tokenServerOptionsFromEnv, type TokenServerLogEntry, type TokenServerOptions,
} from '../server/index';
import { serveNode } from '../server/node';
import { choice, flagHelp, fromFlagOrEnv, HELP_FLAG, integer, optionalInteger, parse, text, UsageError, type Flags } from './args';
import type { Io } from './io';

const FLAGS: Flags = {
  port: { type: 'string', value: 'N', help: 'port (default: $PORT or 8090; 0 = any free port)' },
  host: { type: 'string', value: 'ADDR', help: 'interface to listen on (default 127.0.0.1; 0.0.0.0 for all)' },
  'app-id': { type: 'string', value: 'HEX32', help: 'Agora app ID (default: $AGORA_APP_ID)' },
  'app-certificate': { type: 'string', value: 'HEX32', help: 'app certificate (default: $AGORA_APP_CERTIFICATE)' },
  'chat-app-key': { type: 'string', value: 'ORG#APP', help: 'Chat App Key (default: $AGORA_CHAT_APP_KEY)' },
  'chat-rest-host': { type: 'string', value: 'HOST', help: 'Chat REST host (default: $AGORA_CHAT_REST_HOST; unset: in-memory users)' },
  'token-subject': { type: 'string', value: 'uuid|username', help: 'Chat user tokens for the user UUID (default, as the guide) or the username' },
  expire: { type: 'string', value: 'SECONDS', help: 'default token lifetime (default 3600; Chat at most 86400)' },
  'max-expire': { type: 'string', value: 'SECONDS', help: 'largest ?expire= a client may ask for (default 86400)' },
  'cors-origin': { type: 'string', multiple: true, value: 'ORIGIN', help: 'allow this browser origin (repeatable; default: every origin, as the guide)' },
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

Environment: AGORA_APP_ID, AGORA_APP_CERTIFICATE, AGORA_CHAT_APP_KEY, AGORA_CHAT_REST_HOST, PORT.

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
    AGORA_APP_CERTIFICATE: fromFlagOrEnv(parsed, 'app-certificate', 'AGORA_APP_CERTIFICATE', io.env),
    AGORA_CHAT_APP_KEY: fromFlagOrEnv(parsed, 'chat-app-key', 'AGORA_CHAT_APP_KEY', io.env),
    AGORA_CHAT_REST_HOST: fromFlagOrEnv(parsed, 'chat-rest-host', 'AGORA_CHAT_REST_HOST', io.env),
  }, { allowDemo: true });
  const origins = (parsed.values['cors-origin'] as string[] | undefined) ?? [];
  const bundle = browserBundle();
  const options: TokenServerOptions = {
    ...fromEnv,
    chatUserTokenSubject: choice(parsed, 'token-subject', ['uuid', 'username'] as const, 'uuid'),
    expire: optionalInteger(parsed, 'expire', 1),
    maxExpire: optionalInteger(parsed, 'max-expire', 1),
    cors: origins.length > 0 ? { origin: origins } : { origin: '*' },
    browserBundle: bundle,
    pageScript: browserBundle('page.js'),
    log: parsed.values.quiet ? undefined : logger(io),
  };
  const running = await serveNode(createTokenServer(options), { port, host }).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot listen on ${host}:${port}: ${error.code ?? error.message}`);
  });

  io.out(`agora-access-token2 token server listening on ${running.url}`);
  if (options.demo) {
    io.out('  DEMO credentials, made up at start — Agora will not accept these tokens:');
    io.out(`    AGORA_APP_ID=${options.appId}`);
    io.out(`    AGORA_APP_CERTIFICATE=${options.appCertificate}`);
    io.out('  Set AGORA_APP_ID and AGORA_APP_CERTIFICATE for real tokens.');
  } else {
    io.out(`  app ID ${options.appId}`);
  }
  io.out(options.chat
    ? `  Chat users: REST API at ${options.chat.restHost} (app key ${options.chat.appKey})`
    : '  Chat users: embedded in-memory directory (set AGORA_CHAT_APP_KEY and AGORA_CHAT_REST_HOST for the Chat REST API)');
  io.out(options.pageScript ? `  web page: ${running.url}/` : '  web page: off (dist/browser/page.js not found)');
  io.out('  open to everyone: any caller gets any user\'s token (as in the guide) — see docs/server.md, "authorize"');

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
