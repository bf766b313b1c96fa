import {
  decodeToken, SERVICES, TokenError, verifyToken, type DecodedPrivilege, type DecodedService, type DecodedToken,
} from '../index';
import { isHex, toHex } from '../bytes/hex';
import { appCertificateOf, CREDENTIAL_FLAGS, flagHelp, HELP_FLAG, parse, text, UsageError, type Flags } from './args';
import { duration, expiresIn, printable, rows, utc } from './format';
import type { Io } from './io';
import { tokenArgument } from './token-arg';

const FLAGS: Flags = {
  'app-id': { type: 'string', value: 'HEX32', help: 'also say whether the token is for this app ID (the environment is not read)' },
  'app-certificate': { type: 'string', value: 'HEX32', help: 'also say whether this certificate signed it (the environment is not read)' },
  certificate: CREDENTIAL_FLAGS.certificate,
  json: { type: 'boolean', help: 'print JSON (bytes as hex) instead of the table' },
  lenient: { type: 'boolean', help: "read as Agora's Java reference does (skips junk, accepts cut checksums …)" },
  ...HELP_FLAG,
};

const USAGE = `Usage: agora-access-token2 decode <token | -> [flags]

Shows what a 006 or 007 token holds, without a certificate: services, privileges by name,
absolute expiry times. Use \`verify\` to check the signature.

Flags:
${flagHelp(FLAGS)}`;

function when(expiresAt: number | null, now: number): string {
  return expiresAt === null ? 'no limit of its own (the token expiry applies)' : `until ${utc(expiresAt)}, ${expiresIn(expiresAt, now)}`;
}

function privilegeRow(privilege: DecodedPrivilege, now: number): [string, string] {
  return [`${privilege.name ?? 'unknown'} (${privilege.id})`, when(privilege.expiresAt, now)];
}

function fieldValue(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value ?? null);
}

// The fields and their order come from the service table, as the decoder reads them.
function serviceBlock(service: DecodedService, now: number): string {
  const fields = (SERVICES[service.type]?.fields ?? []).map((field): [string, string] => [
    field.name, fieldValue(service[field.name]),
  ]);
  const privileges = service.privilegeDetails.map((p) => privilegeRow(p, now));
  if (privileges.length === 0) privileges.push(['(none)', '']);
  const unparsed: [string, string][] = service.unparsed ? [['unparsed', `${service.unparsed.length} bytes of an unknown service type`]] : [];
  return [
    printable(`${service.label} service (type ${service.type})`),
    rows([...fields, ...unparsed]),
    '  privileges',
    rows(privileges, '    '),
  ].filter((line) => line !== '').join('\n');
}

/** The human-readable table of a decoded token. */
export function describeToken(decoded: DecodedToken, now: number): string {
  if (decoded.version === '007') {
    return [
      'AccessToken2 (007)',
      rows([
        ['app ID', decoded.appId],
        ['issued', `${utc(decoded.issueTs)} (${decoded.issueTs})`],
        ['expires', `${utc(decoded.expiresAt)} (${decoded.expiresAt}), ${expiresIn(decoded.expiresAt, now)}`],
        ['lifetime', `${duration(decoded.expire)} (${decoded.expire} s)`],
        ['salt', String(decoded.salt)],
        ['signature', decoded.signatureHex],
      ]),
      ...decoded.services.map((service) => `\n${serviceBlock(service, now)}`),
    ].join('\n');
  }
  return [
    'AccessToken (006, legacy)',
    rows([
      ['app ID', decoded.appId],
      ['expires', `${utc(decoded.expiresAt)} (${decoded.expiresAt}), ${expiresIn(decoded.expiresAt, now)}`],
      ['salt', String(decoded.salt)],
      ['channel CRC-32', String(decoded.crcChannelName)],
      ['uid CRC-32', String(decoded.crcUid)],
      ['signature', decoded.signatureHex],
    ]),
    '',
    'privileges (006 expiries are absolute timestamps, 0 = none)',
    rows(decoded.privilegeDetails.map((p) => privilegeRow(p, now)), '    '),
  ].join('\n');
}

/** JSON of a decoded token: byte arrays as hex strings. */
export function tokenJson(decoded: DecodedToken | (DecodedToken & { checks: Record<string, string> })): string {
  return JSON.stringify(decoded, (_key, value: unknown) => (value instanceof Uint8Array ? toHex(value) : value), 2);
}

/**
 * With `--app-id` / `--app-certificate`: whether the token is for that app and signed with that
 * certificate (without judging its expiry: `verify` does that).
 */
function credentialChecks(
  token: string, decoded: DecodedToken, appId: string | undefined, certificate: string | undefined, lenient: boolean,
): [string, string][] {
  const checks: [string, string][] = [];
  if (appId !== undefined) {
    checks.push(['app ID check', decoded.appId.toLowerCase() === appId.toLowerCase() ? 'matches --app-id' : 'does NOT match --app-id']);
  }
  if (certificate !== undefined && decoded.version === '007') {
    try {
      verifyToken(token, certificate, { lenient, now: 0 });
      checks.push(['signature check', 'made with this certificate']);
    } catch (error) {
      if (!(error instanceof TokenError) || error.code !== 'ERR_SIGNATURE_MISMATCH') throw error;
      checks.push(['signature check', 'NOT made with this certificate']);
    }
  } else if (certificate !== undefined) {
    checks.push(['signature check', 'a 006 signature covers the channel and uid: use verify --channel --uid']);
  }
  return checks;
}

/** `decode <token>` */
export async function decodeCommand(args: readonly string[], io: Io): Promise<number> {
  const parsed = parse(args, FLAGS, 1);
  if (parsed.values.help) {
    io.out(USAGE);
    return 0;
  }
  // Only what the flags give: the environment's credentials are for building, not a request to
  // check. The checks run (and a bad certificate is refused) before anything is printed.
  const certificate = appCertificateOf(parsed, {});
  const appId = text(parsed, 'app-id');
  if (appId !== undefined && !isHex(appId, 32)) throw new UsageError('--app-id must be 32 hexadecimal characters');
  const token = await tokenArgument(parsed, io, 'decode');
  const lenient = parsed.values.lenient === true;
  const decoded = decodeToken(token, { lenient });
  const checks = credentialChecks(token, decoded, appId, certificate, lenient);
  if (parsed.values.json) {
    // One JSON document: the checks, when asked for, under their own key.
    io.out(tokenJson(checks.length > 0 ? { ...decoded, checks: Object.fromEntries(checks) } : decoded));
    return 0;
  }
  io.out(describeToken(decoded, Math.floor(io.now() / 1000)));
  if (checks.length > 0) io.out(`\n${rows(checks)}`);
  return 0;
}
