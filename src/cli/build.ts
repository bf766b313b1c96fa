import {
  ApaasTokenBuilder, ChatTokenBuilder2, ConvoAITokenBuilder, EducationTokenBuilder2, FpaTokenBuilder,
  RtcRole, RtcRole006, RtcTokenBuilder, RtcTokenBuilder2, Rtm2Permissions, RtmPermissionType, RtmResourceType,
  RtmRole, RtmTokenBuilder, RtmTokenBuilder2, SttTokenBuilder,
  type ApaasBuilder, type AgentTokenBuilder, type BuildOptions, type RtcRole006Value, type RtcRoleValue,
} from '../index';
import {
  appCertificateOf, choice, CREDENTIAL_FLAGS, flagHelp, fromFlagOrEnv, HELP_FLAG, integer, optionalInteger, parse, required, text, UsageError,
  type Flags, type Parsed,
} from './args';
import { CHAT_MAX_EXPIRE } from '../server/config';
import { AGORA_NAME, CHAT_USERNAME } from '../server/identifiers';
import type { Io } from './io';

/** App credentials and the reproducibility options every build takes. */
interface Common {
  readonly appId: string;
  readonly appCertificate: string;
  readonly options: BuildOptions;
  /** Unix seconds the token is issued at (for 006 relative → absolute expiry). */
  readonly now: number;
}

/** One `build <kind>`: its flags and how they become a builder call. */
interface Kind {
  readonly summary: string;
  readonly flags: Flags;
  build(parsed: Parsed, common: Common): string;
}

const COMMON_FLAGS: Flags = {
  ...CREDENTIAL_FLAGS,
  force: { type: 'boolean', help: 'build what the token server refuses (expire 0, Chat over 24 h, user ids outside Agora\'s rules)' },
  'issue-ts': { type: 'string', value: 'UNIX', help: 'issue time in Unix seconds (default: now)' },
  salt: { type: 'string', value: 'U32', help: 'salt (default: random), for reproducible tokens' },
  ...HELP_FLAG,
};

const EXPIRE: Flags = { expire: { type: 'string', value: 'SECONDS', help: 'lifetime in seconds from the issue time (default 3600)' } };
const UID_OR_ACCOUNT: Flags = {
  uid: { type: 'string', value: 'N', help: 'numeric uid, 0 … 4294967295 (0 = any uid)' },
  account: { type: 'string', value: 'NAME', help: 'user account (string uid); give --uid or --account' },
};
const PRIVILEGE_EXPIRES: Flags = {
  'join-expire': { type: 'string', value: 'SECONDS', help: 'join-channel privilege lifetime (default: --expire)' },
  'audio-expire': { type: 'string', value: 'SECONDS', help: 'publish-audio privilege lifetime (default: --expire)' },
  'video-expire': { type: 'string', value: 'SECONDS', help: 'publish-video privilege lifetime (default: --expire)' },
  'data-expire': { type: 'string', value: 'SECONDS', help: 'publish-data-stream privilege lifetime (default: --expire)' },
};


/**
 * What the token server refuses, refused here too unless `--force`: such a token is of no use
 * (already expired, refused by Chat, or for a user Agora cannot have).
 */
function refuse(parsed: Parsed, problem: string): void {
  if (parsed.values.force !== true) throw new UsageError(`${problem} (--force builds it anyway)`);
}

/** `--expire`, 1 s or more (0 is an expired token), at most `max` when given. */
function expire(parsed: Parsed, max?: number): number {
  const seconds = integer(parsed, 'expire', 3600);
  if (seconds === 0) refuse(parsed, '--expire 0 makes a token that has already expired');
  if (max !== undefined && seconds > max) refuse(parsed, `--expire ${seconds} is over ${max} s, the most Agora Chat accepts`);
  return seconds;
}

/** A required name flag checked against Agora's rule for it. */
function agoraName(parsed: Parsed, flag: string, what: string, maxLength: number, pattern = AGORA_NAME): string {
  const value = required(parsed, flag);
  if (value.length === 0) refuse(parsed, `--${flag} is empty: a token for nobody`);
  else if (value.length > maxLength || !pattern.test(value) || (flag.includes('user-id') && value === 'null')) {
    refuse(parsed, `--${flag} ${JSON.stringify(value.slice(0, 40))} is not a valid ${what}`);
  }
  return value;
}

const chatUserId = (parsed: Parsed) => agoraName(parsed, 'user-id', 'Agora Chat user ID (1-64 of a-z, 0-9, "_", "-", ".")', 64, CHAT_USERNAME);
const rtmUserId = (parsed: Parsed, flag = 'user-id') => agoraName(parsed, flag, 'RTM user ID (1-64 characters of Agora\'s set, not "null")', 64);

/** The RTM user of an RTC account's login (`--rtm`, the agents' default): uid 0 has none. */
function rtmLoginFor(parsed: Parsed, account: string): string {
  if (account === '') refuse(parsed, 'with --uid 0 the RTM login would be for an empty user ID: give --rtm-user-id or a uid');
  return account;
}

/** `--uid N` or `--account NAME`, as the account string RTC services carry (uid 0 → ""). */
function rtcAccount(parsed: Parsed): { uid?: number; account: string } {
  const uidText = text(parsed, 'uid');
  if (uidText !== undefined && /^0[0-9]/.test(uidText)) {
    throw new UsageError(`--uid ${uidText} has a leading zero: a uid is a number (--account ${uidText} for the account)`);
  }
  const uid = optionalInteger(parsed, 'uid');
  const account = text(parsed, 'account');
  if ((uid === undefined) === (account === undefined)) throw new UsageError('give exactly one of --uid and --account');
  if (account !== undefined) agoraName(parsed, 'account', 'user account (1-255 characters of Agora\'s set)', 255);
  return uid !== undefined ? { uid, account: uid === 0 ? '' : String(uid) } : { account: account! };
}

function rtcRole(parsed: Parsed): RtcRoleValue {
  return choice(parsed, 'role', ['publisher', 'subscriber'], 'publisher') === 'publisher' ? RtcRole.PUBLISHER : RtcRole.SUBSCRIBER;
}

function privilegeExpires(parsed: Parsed, fallback: number): [number, number, number, number] {
  return [
    integer(parsed, 'join-expire', fallback), integer(parsed, 'audio-expire', fallback),
    integer(parsed, 'video-expire', fallback), integer(parsed, 'data-expire', fallback),
  ];
}

/** 006 expiry: `--expire-at` absolute, or `--expire` seconds from now (default 3600). */
function absoluteExpiry(parsed: Parsed, now: number): number {
  const at = optionalInteger(parsed, 'expire-at');
  if (at !== undefined && text(parsed, 'expire') !== undefined) throw new UsageError('give --expire or --expire-at, not both');
  return at ?? now + expire(parsed);
}

const EXPIRE_006: Flags = {
  expire: { type: 'string', value: 'SECONDS', help: 'valid this many seconds from now (default 3600)' },
  'expire-at': { type: 'string', value: 'UNIX', help: 'valid until this absolute Unix time (006 privileges are timestamps; 0 = no expiry)' },
};

const RESOURCE_TYPES: Record<string, number> = {
  'message-channel': RtmResourceType.MESSAGE_CHANNEL,
  'stream-channel': RtmResourceType.STREAM_CHANNEL,
  'group-channel': RtmResourceType.GROUP_CHANNEL,
  'server-group': RtmResourceType.SERVER_GROUP,
  user: RtmResourceType.USER,
};
const PERMISSION_TYPES: Record<string, number> = { read: RtmPermissionType.READ, write: RtmPermissionType.WRITE };

/** `--grant message-channel:write:lobby,room_*` (repeatable) → Rtm2Permissions. */
function grants(parsed: Parsed): Rtm2Permissions | null {
  const given = parsed.values.grant;
  const list = Array.isArray(given) ? given.filter((g): g is string => typeof g === 'string') : [];
  if (list.length === 0) return null;
  const permissions = new Rtm2Permissions();
  for (const grant of list) {
    const [type, permission, resources] = grant.split(':');
    if (!(type in RESOURCE_TYPES) || !(permission in PERMISSION_TYPES) || !resources) {
      throw new UsageError(
        `--grant must be TYPE:PERMISSION:RESOURCE[,RESOURCE…] with TYPE one of ${Object.keys(RESOURCE_TYPES).join(', ')} and PERMISSION read or write, got ${JSON.stringify(grant.slice(0, 60))}`,
      );
    }
    permissions.add(RESOURCE_TYPES[type], PERMISSION_TYPES[permission], resources.split(','));
  }
  return permissions;
}

function apaasKind(builder: ApaasBuilder, name: string): Kind {
  return {
    summary: `${name} token: room-user (--room-uuid, --user-uuid, --role), user (--user-uuid) or app (neither)`,
    flags: {
      'room-uuid': { type: 'string', value: 'ID', help: 'room UUID: a room-user token (needs --user-uuid and --role)' },
      'user-uuid': { type: 'string', value: 'ID', help: 'user UUID: a user token (or the user of a room-user token)' },
      role: { type: 'string', value: 'N', help: 'role in the room, a 16-bit integer (room-user tokens)' },
      ...EXPIRE,
    },
    build(parsed, { appId, appCertificate, options }) {
      const roomUuid = text(parsed, 'room-uuid');
      const userUuid = text(parsed, 'user-uuid');
      if (roomUuid !== undefined) {
        if (userUuid === undefined) throw new UsageError('--room-uuid needs --user-uuid');
        const role = optionalInteger(parsed, 'role', 0, 0xffff);
        if (role === undefined) throw new UsageError('--room-uuid needs --role');
        return builder.buildRoomUserToken(appId, appCertificate, roomUuid, userUuid, role, expire(parsed), options);
      }
      if (text(parsed, 'role') !== undefined) throw new UsageError('--role belongs to room-user tokens; add --room-uuid');
      if (userUuid !== undefined) return builder.buildUserToken(appId, appCertificate, userUuid, expire(parsed), options);
      return builder.buildAppToken(appId, appCertificate, expire(parsed), options);
    },
  };
}

function agentKind(builder: AgentTokenBuilder, name: string): Kind {
  return {
    summary: `${name} token: RTC for the agent plus RTM login (buildToken's twelve arguments)`,
    flags: {
      channel: { type: 'string', value: 'NAME', help: 'RTC channel name (required)' },
      ...UID_OR_ACCOUNT,
      role: { type: 'string', value: 'ROLE', help: 'publisher (default) or subscriber' },
      ...EXPIRE,
      ...PRIVILEGE_EXPIRES,
      'rtm-user-id': { type: 'string', value: 'ID', help: 'RTM user ID (default: the account)' },
      'rtm-expire': { type: 'string', value: 'SECONDS', help: 'RTM login lifetime (default: --expire)' },
    },
    build(parsed, { appId, appCertificate, options }) {
      const channel = agoraName(parsed, 'channel', 'channel name (1-64 characters of Agora\'s set)', 64);
      const { account } = rtcAccount(parsed);
      const lifetime = expire(parsed);
      const rtmUser = text(parsed, 'rtm-user-id') !== undefined ? rtmUserId(parsed, 'rtm-user-id') : rtmLoginFor(parsed, account);
      return builder.buildToken(
        appId, appCertificate, channel, account, rtcRole(parsed), lifetime,
        ...privilegeExpires(parsed, lifetime), rtmUser, integer(parsed, 'rtm-expire', lifetime), options,
      );
    },
  };
}

/** Every builder, by the name `build <kind>` takes. */
export const KINDS: Readonly<Record<string, Kind>> = {
  'chat-user': {
    summary: 'Chat user token (ChatTokenBuilder2.buildUserToken)',
    flags: { 'user-id': { type: 'string', value: 'ID', help: 'Chat user ID or UUID (required)' }, ...EXPIRE },
    build: (parsed, { appId, appCertificate, options }) =>
      ChatTokenBuilder2.buildUserToken(appId, appCertificate, chatUserId(parsed), expire(parsed, CHAT_MAX_EXPIRE), options),
  },
  'chat-app': {
    summary: 'Chat app token, for Chat REST calls (ChatTokenBuilder2.buildAppToken)',
    flags: EXPIRE,
    build: (parsed, { appId, appCertificate, options }) =>
      ChatTokenBuilder2.buildAppToken(appId, appCertificate, expire(parsed, CHAT_MAX_EXPIRE), options),
  },
  rtc: {
    summary: 'RTC token (RtcTokenBuilder2): role form, per-privilege form, or with RTM (--rtm, --rtm-user-id)',
    flags: {
      channel: { type: 'string', value: 'NAME', help: 'channel name (required)' },
      ...UID_OR_ACCOUNT,
      role: { type: 'string', value: 'ROLE', help: 'publisher (default; may publish) or subscriber' },
      ...EXPIRE,
      'privilege-expire': { type: 'string', value: 'SECONDS', help: 'privilege lifetime of the role form (default: --expire)' },
      ...PRIVILEGE_EXPIRES,
      rtm: { type: 'boolean', help: 'add RTM login for the same account (buildTokenWithRtm)' },
      'rtm-user-id': { type: 'string', value: 'ID', help: 'add RTM login for this user (buildTokenWithRtm2)' },
      'rtm-expire': { type: 'string', value: 'SECONDS', help: 'RTM login lifetime with --rtm-user-id (default: --expire)' },
    },
    build(parsed, { appId, appCertificate, options }) {
      const channel = agoraName(parsed, 'channel', 'channel name (1-64 characters of Agora\'s set)', 64);
      const { uid, account } = rtcAccount(parsed);
      const lifetime = expire(parsed);
      const perPrivilege = ['join-expire', 'audio-expire', 'video-expire', 'data-expire'].some((f) => text(parsed, f) !== undefined);
      if (text(parsed, 'rtm-user-id') !== undefined) {
        return RtcTokenBuilder2.buildTokenWithRtm2(
          appId, appCertificate, channel, account, rtcRole(parsed), lifetime, ...privilegeExpires(parsed, lifetime),
          rtmUserId(parsed, 'rtm-user-id'), integer(parsed, 'rtm-expire', lifetime), options,
        );
      }
      if (perPrivilege) {
        if (text(parsed, 'role') !== undefined || parsed.values.rtm) {
          throw new UsageError('per-privilege expires (--join-expire …) set every privilege: drop --role and --rtm, or use --rtm-user-id');
        }
        const expires = privilegeExpires(parsed, lifetime);
        return uid !== undefined
          ? RtcTokenBuilder2.buildTokenWithUidAndPrivilege(appId, appCertificate, channel, uid, lifetime, ...expires, options)
          : RtcTokenBuilder2.buildTokenWithUserAccountAndPrivilege(appId, appCertificate, channel, account, lifetime, ...expires, options);
      }
      const privilegeExpire = integer(parsed, 'privilege-expire', lifetime);
      if (parsed.values.rtm) {
        return RtcTokenBuilder2.buildTokenWithRtm(appId, appCertificate, channel, rtmLoginFor(parsed, account), rtcRole(parsed), lifetime, privilegeExpire, options);
      }
      return uid !== undefined
        ? RtcTokenBuilder2.buildTokenWithUid(appId, appCertificate, channel, uid, rtcRole(parsed), lifetime, privilegeExpire, options)
        : RtcTokenBuilder2.buildTokenWithUserAccount(appId, appCertificate, channel, account, rtcRole(parsed), lifetime, privilegeExpire, options);
    },
  },
  rtm: {
    summary: 'RTM login token (RtmTokenBuilder2.buildToken)',
    flags: { 'user-id': { type: 'string', value: 'ID', help: 'RTM user ID (required)' }, ...EXPIRE },
    build: (parsed, { appId, appCertificate, options }) =>
      RtmTokenBuilder2.buildToken(appId, appCertificate, rtmUserId(parsed), expire(parsed), options),
  },
  'rtm-permissions': {
    summary: 'RTM2 token with permissions (RtmTokenBuilder2.buildTokenWithPermissions)',
    flags: {
      'user-id': { type: 'string', value: 'ID', help: 'RTM user ID (required)' },
      grant: {
        type: 'string', multiple: true, value: 'TYPE:PERM:RES,…',
        help: 'e.g. message-channel:write:lobby,room_* (repeatable; TYPE message-channel, stream-channel, group-channel, server-group, user; PERM read, write)',
      },
      ...EXPIRE,
    },
    build: (parsed, { appId, appCertificate, options }) =>
      RtmTokenBuilder2.buildTokenWithPermissions(appId, appCertificate, rtmUserId(parsed), grants(parsed), expire(parsed), options),
  },
  fpa: {
    summary: 'FPA login token, valid 24 h (FpaTokenBuilder.buildToken)',
    flags: {},
    build: (_parsed, { appId, appCertificate, options }) => FpaTokenBuilder.buildToken(appId, appCertificate, options),
  },
  apaas: apaasKind(ApaasTokenBuilder, 'APaaS (Flexible Classroom)'),
  education: apaasKind(EducationTokenBuilder2, 'Education'),
  convoai: agentKind(ConvoAITokenBuilder, 'Conversational AI agent'),
  stt: agentKind(SttTokenBuilder, 'Speech-to-text'),
  rtc006: {
    summary: 'legacy 006 RTC token (RtcTokenBuilder)',
    flags: {
      channel: { type: 'string', value: 'NAME', help: 'channel name (required)' },
      ...UID_OR_ACCOUNT,
      role: { type: 'string', value: 'ROLE', help: 'attendee, publisher (default), subscriber or admin' },
      ...EXPIRE_006,
    },
    build(parsed, { appId, appCertificate, options, now }) {
      const roleName = choice(parsed, 'role', ['attendee', 'publisher', 'subscriber', 'admin'], 'publisher');
      const role = RtcRole006[roleName.toUpperCase() as keyof typeof RtcRole006] as RtcRole006Value;
      const channel = required(parsed, 'channel');
      const { uid, account } = rtcAccount(parsed);
      const privilegeTs = absoluteExpiry(parsed, now);
      return uid !== undefined
        ? RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, channel, uid, role, privilegeTs, options)
        : RtcTokenBuilder.buildTokenWithUserAccount(appId, appCertificate, channel, account, role, privilegeTs, options);
    },
  },
  rtm006: {
    summary: 'legacy 006 RTM token (RtmTokenBuilder)',
    flags: { 'user-id': { type: 'string', value: 'ID', help: 'RTM user ID (required)' }, ...EXPIRE_006 },
    build: (parsed, { appId, appCertificate, options, now }) =>
      RtmTokenBuilder.buildToken(appId, appCertificate, rtmUserId(parsed), RtmRole.RTM_USER, absoluteExpiry(parsed, now), options),
  },
};

/** `build --help` */
export function buildUsage(): string {
  const width = Math.max(...Object.keys(KINDS).map((k) => k.length));
  return [
    'Usage: agora-access-token2 build <kind> [flags]',
    '',
    'Prints one token. Credentials come from --app-id/--app-certificate or AGORA_APP_ID/AGORA_APP_CERTIFICATE.',
    '',
    'Kinds:',
    ...Object.entries(KINDS).map(([name, kind]) => `  ${name.padEnd(width)}  ${kind.summary}`),
    '',
    'Run `agora-access-token2 build <kind> --help` for the flags of one kind.',
  ].join('\n');
}

function kindUsage(name: string, kind: Kind): string {
  return [
    `Usage: agora-access-token2 build ${name} [flags]`,
    '',
    `${kind.summary}.`,
    '',
    'Flags:',
    flagHelp({ ...kind.flags, ...COMMON_FLAGS }),
  ].join('\n');
}

/** `build <kind> …`: prints the token. */
export function buildCommand(args: readonly string[], io: Io): number {
  const name = args[0];
  if (name === '--help' || name === '-h') {
    io.out(buildUsage());
    return 0;
  }
  if (name === undefined) throw new UsageError(`build needs a token kind: ${Object.keys(KINDS).join(', ')}`);
  const kind = Object.prototype.hasOwnProperty.call(KINDS, name) ? KINDS[name] : undefined;
  if (kind === undefined) throw new UsageError(`unknown token kind ${JSON.stringify(name.slice(0, 40))}; kinds: ${Object.keys(KINDS).join(', ')}`);
  const parsed = parse(args.slice(1), { ...kind.flags, ...COMMON_FLAGS }, 0);
  if (parsed.values.help) {
    io.out(kindUsage(name, kind));
    return 0;
  }
  const appId = fromFlagOrEnv(parsed, 'app-id', 'AGORA_APP_ID', io.env);
  const appCertificate = appCertificateOf(parsed, io.env);
  if (appId === undefined) throw new UsageError('no app ID: set AGORA_APP_ID or pass --app-id');
  if (appCertificate === undefined) throw new UsageError('no app certificate: set AGORA_APP_CERTIFICATE or pass --app-certificate');
  const issueTs = optionalInteger(parsed, 'issue-ts');
  const salt = optionalInteger(parsed, 'salt');
  const now = issueTs ?? Math.floor(io.now() / 1000);
  io.out(kind.build(parsed, { appId, appCertificate, now, options: { issueTs, salt } }));
  return 0;
}
