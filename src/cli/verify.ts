import {
  PRIVILEGE_NAMES_006, SERVICE_NAMES, SERVICES, TokenError, verifyToken, type DecodedToken, type TokenErrorCode, type VerifyOptions,
} from '../index';
import { appCertificateOf, CREDENTIAL_FLAGS, flagHelp, HELP_FLAG, optionalInteger, parse, text, UsageError, type Flags, type Parsed } from './args';
import { expiresIn, utc } from './format';
import type { Io } from './io';
import { tokenArgument } from './token-arg';

const FLAGS: Flags = {
  ...CREDENTIAL_FLAGS,
  'app-id': { type: 'string', value: 'HEX32', help: 'require this app ID' },
  service: { type: 'string', value: 'NAME', help: 'require a service: rtc, rtm, chat, fpa, apaas, rtm2, … (007)' },
  privilege: { type: 'string', value: 'NAME', help: 'require a privilege in date, e.g. joinChannel, user, login (007: with --service)' },
  channel: { type: 'string', value: 'NAME', help: 'the channel name (required for 006: its signature covers it)' },
  uid: { type: 'string', value: 'UID', help: 'the uid or account (required for 006)' },
  now: { type: 'string', value: 'UNIX', help: 'check expiry at this Unix time (default: now)' },
  'clock-tolerance': { type: 'string', value: 'SECONDS', help: 'accept this long after expiry (default 0)' },
  lenient: { type: 'boolean', help: "read as Agora's Java reference does" },
  ...HELP_FLAG,
};

const USAGE = `Usage: agora-access-token2 verify <token | -> --app-certificate HEX32 [flags]

Checks a token's signature with the app certificate, that it is in date, and what the flags
require. Exit 0 when valid; exit 1 with the reason code (ERR_SIGNATURE_MISMATCH,
ERR_TOKEN_EXPIRED, …) when not; exit 2 on bad input.

Flags:
${flagHelp(FLAGS)}`;

/** Codes that are a verdict on the token (exit 1); any other TokenError is bad input (exit 2). */
const VERDICTS: ReadonlySet<TokenErrorCode> = new Set<TokenErrorCode>([
  'ERR_TOKEN_NOT_STRING', 'ERR_TOKEN_TOO_LONG', 'ERR_TOKEN_VERSION', 'ERR_TOKEN_BASE64', 'ERR_TOKEN_ZLIB',
  'ERR_TOKEN_INFLATE_LIMIT', 'ERR_TOKEN_TRUNCATED', 'ERR_TOKEN_TRAILING_BYTES', 'ERR_TOKEN_MALFORMED',
  'ERR_SIGNATURE_MISMATCH', 'ERR_TOKEN_EXPIRED', 'ERR_PRIVILEGE_EXPIRED', 'ERR_PRIVILEGE_MISSING',
  'ERR_SERVICE_MISSING', 'ERR_APP_ID_MISMATCH', 'ERR_CHANNEL_MISMATCH', 'ERR_UID_MISMATCH',
]);

/** Every privilege name `--privilege` takes (007 table and 006 list). */
const PRIVILEGE_NAMES: readonly PrivilegeName[] = [...new Set([
  ...Object.values(SERVICES).flatMap((spec) => Object.values(spec.privileges)),
  ...Object.values(PRIVILEGE_NAMES_006),
])] as PrivilegeName[];

type PrivilegeName = NonNullable<Exclude<VerifyOptions['privilege'], number>>;

/** A `--service` / `--privilege` value: a known name, or a number (a wire id). */
function nameOf<T extends string>(parsed: Parsed, flag: string, names: readonly T[]): T | number | undefined {
  const value = text(parsed, flag);
  if (value === undefined) return undefined;
  if (/^[0-9]{1,5}$/.test(value)) return Number(value);
  const name = names.find((known) => known === value);
  if (name === undefined) throw new UsageError(`--${flag} must be one of ${names.join(', ')} (or a number), got ${JSON.stringify(value.slice(0, 40))}`);
  return name;
}

/** When the last of the token's privileges ends; undefined when one has no end of its own (or there are none). */
function privilegesEnd(decoded: DecodedToken): number | undefined {
  const details = decoded.version === '007' ? decoded.services.flatMap((service) => service.privilegeDetails) : decoded.privilegeDetails;
  let last = 0;
  for (const { expiresAt } of details) {
    if (expiresAt === null || expiresAt === 0) return undefined;
    last = Math.max(last, expiresAt);
  }
  return details.length === 0 ? undefined : last;
}

/** `verify <token> --app-certificate …` */
export async function verifyCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parse(args, FLAGS, 1);
  if (parsed.values.help) {
    io.out(USAGE);
    return 0;
  }
  const certificate = appCertificateOf(parsed, io.env);
  if (certificate === undefined) throw new UsageError('verify needs the app certificate: --app-certificate or AGORA_APP_CERTIFICATE');
  const uid = text(parsed, 'uid');
  const options: VerifyOptions = {
    appId: text(parsed, 'app-id'),
    service: nameOf(parsed, 'service', SERVICE_NAMES),
    privilege: nameOf(parsed, 'privilege', PRIVILEGE_NAMES),
    channelName: text(parsed, 'channel'),
    // A numeric uid is a number (006 signs large uids in their signed 32-bit form); digits with
    // a leading zero ("007") are a user account, as the builders take them.
    uid: uid !== undefined && /^(0|[1-9][0-9]{0,9})$/.test(uid) && Number(uid) <= 0xffffffff ? Number(uid) : uid,
    now: optionalInteger(parsed, 'now', 0, Number.MAX_SAFE_INTEGER) ?? Math.floor(io.now() / 1000),
    clockTolerance: optionalInteger(parsed, 'clock-tolerance', 0, Number.MAX_SAFE_INTEGER),
    lenient: parsed.values.lenient === true,
  };
  const token = await tokenArgument(parsed, io, 'verify');
  try {
    const decoded = verifyToken(token, certificate, options);
    io.out(`valid: ${decoded.version} token for app ${decoded.appId}, until ${utc(decoded.expiresAt)} (${expiresIn(decoded.expiresAt, options.now!)})`);
    const lastPrivilege = privilegesEnd(decoded);
    if (options.privilege === undefined && lastPrivilege !== undefined && lastPrivilege + (options.clockTolerance ?? 0) < options.now!) {
      io.err(`note: every privilege ended at ${utc(lastPrivilege)}: the token grants nothing now (--privilege NAME checks one)`);
    }
    return 0;
  } catch (error) {
    if (error instanceof TokenError && VERDICTS.has(error.code)) {
      io.err(`invalid: ${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
