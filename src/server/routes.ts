import { HttpError, type ServerErrorCode } from './http-error';
import {
  checkChannelName, checkChatUsername, checkRtcRole, checkRtmUserId, checkUid, checkUserAccount,
} from './identifiers';
import type { TokenRoute } from './options';

/** The library's browser build, as the page imports it (relative, so a base path works). */
export const BUNDLE_FILE = 'agora-access-token2.js';
/** The page's own script, served separately so the page's CSP can forbid inline scripts. */
export const PAGE_SCRIPT_FILE = 'page.js';

/**
 * How a token is answered: `guide` as the Chat guide's server (plain text, or
 * `{ token, expire, expiresAt }` with `Accept: application/json`); `community` always JSON
 * under the community token servers' keys (`rtcToken`, `rtmToken`, `chatToken`).
 */
export type Answer = 'guide' | 'community';

/** What a request path names. */
export type Target =
  | { readonly kind: 'token'; readonly route: TokenRoute; readonly answer: Answer }
  /** `POST /getToken`: the token asked for is in the JSON body. */
  | { readonly kind: 'get-token' }
  | { readonly kind: 'page' }
  | { readonly kind: 'page-script' }
  | { readonly kind: 'bundle' }
  | { readonly kind: 'healthz' }
  | { readonly kind: 'readyz' }
  | { readonly kind: 'ping' };

const PAGE: Target = { kind: 'page' };
const BUNDLE: Target = { kind: 'bundle' };
const PAGE_SCRIPT: Target = { kind: 'page-script' };
const HEALTHZ: Target = { kind: 'healthz' };
const READYZ: Target = { kind: 'readyz' };
const PING: Target = { kind: 'ping' };
const GET_TOKEN: Target = { kind: 'get-token' };
const SINGLE: Readonly<Record<string, Target>> = {
  '': PAGE, [BUNDLE_FILE]: BUNDLE, [PAGE_SCRIPT_FILE]: PAGE_SCRIPT, healthz: HEALTHZ, readyz: READYZ, ping: PING, getToken: GET_TOKEN,
};

function decodeSegment(segment: string, code: ServerErrorCode, label: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, code, `${label} is not valid percent-encoded UTF-8`);
  }
}

/**
 * Maps a URL path to what it names, checking every path parameter (a 400 names the rule);
 * `undefined` when nothing lives there. One trailing slash is ignored: community clients send
 * their paths with and without it.
 */
export function matchRoute(pathname: string): Target | undefined {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const parts = path.split('/');
  // parts[0] is the empty string before the leading slash.
  if (parts.length === 2) {
    const single = Object.prototype.hasOwnProperty.call(SINGLE, parts[1]) ? SINGLE[parts[1]] : undefined;
    if (single !== undefined) return single;
  }
  switch (parts[1]) {
    case 'chat':
      return chatRoute(parts);
    case 'rtc':
      return rtcRoute(parts);
    case 'rte':
      return rteRoute(parts);
    case 'rtm':
      return parts.length <= 3 ? token({ kind: 'rtm', userId: communityRtmUser(rtmSegment(parts[2] ?? '')) }, 'community') : undefined;
    default:
      return undefined;
  }
}

function token(route: TokenRoute, answer: Answer): Target {
  return { kind: 'token', route, answer };
}

function chatRoute(parts: string[]): Target | undefined {
  if (parts[2] === 'app') {
    if (parts.length === 3) return token({ kind: 'chat-app' }, 'community');
    if (parts.length === 4 && parts[3] === 'token') return token({ kind: 'chat-app' }, 'guide');
    return undefined;
  }
  if (parts.length === 5 && parts[2] === 'user' && parts[4] === 'token') {
    return token({ kind: 'chat-user', username: chatUser(parts[3]) }, 'guide');
  }
  // `/chat/account/` alone names nothing (404), as the community servers answer.
  if (parts.length === 4 && parts[2] === 'account' && parts[3] !== '') {
    return token({ kind: 'chat-user', username: chatUser(parts[3]) }, 'community');
  }
  return undefined;
}

function chatUser(segment: string): string {
  return checkChatUsername(decodeSegment(segment, 'invalid_username', 'username'));
}

/** An RTM user of the community routes: as {@link checkRtmUserId}, and `0` or empty is a 400. */
export function communityRtmUser(userId: string): string {
  if (userId === '' || userId === '0') {
    throw new HttpError(400, 'invalid_user_id', `RTM user ID must not be ${userId === '' ? 'empty' : '"0"'}`);
  }
  return checkRtmUserId(userId);
}

function rtmSegment(segment: string): string {
  return decodeSegment(segment, 'invalid_user_id', 'RTM user ID');
}

/** `uid` (numeric), `userAccount` (the community name) or `account` (ours). */
const TOKEN_TYPES = new Set(['uid', 'userAccount', 'account']);

/** The RTC part of `/rtc/…` and `/rte/…`: channel, role and the user (an empty uid = 0, any user). */
function rtcUser(parts: string[]): { channel: string; role: 'publisher' | 'subscriber'; uid?: number; account?: string } {
  const channel = checkChannelName(decodeSegment(parts[2], 'invalid_channel', 'channel'));
  const role = checkRtcRole(parts[3]);
  const user = parts[5] ?? '';
  if (user === '') return { channel, role, uid: 0 };
  if (parts[4] === 'uid') return { channel, role, uid: checkUid(user) };
  return { channel, role, account: checkUserAccount(decodeSegment(user, 'invalid_account', 'account')) };
}

function rtcRoute(parts: string[]): Target | undefined {
  if (parts.length < 5 || parts.length > 6 || !TOKEN_TYPES.has(parts[4])) return undefined;
  return token({ kind: 'rtc', ...rtcUser(parts) }, 'community');
}

function rteRoute(parts: string[]): Target | undefined {
  if (parts.length < 5 || parts.length > 7 || !TOKEN_TYPES.has(parts[4])) return undefined;
  const rtc = rtcUser(parts);
  const rtmPart = parts[6];
  let rtmUserId: string;
  if (rtmPart !== undefined && rtmPart !== '') {
    rtmUserId = communityRtmUser(rtmSegment(rtmPart));
  } else if (rtc.uid === 0) {
    throw new HttpError(400, 'invalid_user_id', 'uid 0 (any user) needs an RTM user: /rte/{channel}/{role}/{tokenType}/0/{rtmUid}');
  } else {
    rtmUserId = checkRtmUserId(rtc.account ?? String(rtc.uid));
  }
  return token({ kind: 'rte', ...rtc, rtmUserId }, 'community');
}
