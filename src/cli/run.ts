import { createRequire } from 'node:module';
import { TokenError } from '../index';
import { UsageError } from './args';
import { buildCommand } from './build';
import { decodeCommand } from './decode';
import type { Io } from './io';
import { serveCommand } from './serve';
import { verifyCommand } from './verify';

const COMMANDS: Readonly<Record<string, (args: readonly string[], io: Io) => number | Promise<number>>> = {
  build: buildCommand,
  decode: decodeCommand,
  verify: verifyCommand,
  serve: serveCommand,
};

const USAGE = `Usage: agora-access-token2 <command> [flags]

Make, read and verify Agora access tokens (AccessToken2 "007" and legacy "006").

Commands:
  build <kind>      print a token (chat-user, chat-app, rtc, rtm, rtm-permissions, fpa, apaas,
                    education, convoai, stt, rtc006, rtm006)
  decode <token>    show what a token holds: services, privileges, expiry (--json for machines)
  verify <token>    check a token with the app certificate (exit 0 valid, 1 invalid)
  serve             run the Chat token server and web page (port 8090)

Credentials: AGORA_APP_ID and AGORA_APP_CERTIFICATE, or --app-id / --app-certificate
(--certificate is the same) on every command. --version prints the version.
Run \`agora-access-token2 <command> --help\` for a command's flags.`;

/** The package's version, from its package.json: next to dist/ (built CLI) or two levels up (src/cli). */
function version(): string {
  const require = createRequire(import.meta.url);
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const manifest: unknown = require(path);
      const value = typeof manifest === 'object' && manifest !== null ? Reflect.get(manifest, 'version') : undefined;
      if (typeof value === 'string') return value;
    } catch {
      // not this one
    }
  }
  return 'unknown';
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').slice(0, 1000);
}

async function dispatch(args: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = args;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(version());
    return 0;
  }
  if (name === undefined) throw new UsageError(`no command given: ${Object.keys(COMMANDS).join(', ')} (--help for more)`);
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(name.slice(0, 40))}; commands: ${Object.keys(COMMANDS).join(', ')}`);
  return command(rest, io);
}

/**
 * Runs one command line and returns the exit code: 0 done, 1 a negative verdict (`verify`) or a
 * bug, 2 bad input. Failures are one line on stderr, never a stack trace.
 */
export async function run(args: readonly string[], io: Io): Promise<number> {
  try {
    return await dispatch(args, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof TokenError) {
      io.err(`agora-access-token2: ${oneLine(error.message)}${error instanceof TokenError ? ` (${error.code})` : ''}`);
      return 2;
    }
    io.err(`agora-access-token2: internal error: ${oneLine(error instanceof Error ? error.message : String(error))}`);
    return 1;
  }
}
