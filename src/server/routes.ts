import { HttpError, type ServerErrorCode } from './http-error';
import {
  checkChannelName, checkChatUsername, checkRtcRole, checkRtmUserId, checkUid, checkUserAccount,
} from './identifiers';
import type { TokenRoute } from './options';

/** The library's browser build, as the page imports it (relative, so a base path works). */
export const BUNDLE_FILE = 'agora-access-token2.js';
/** The page's own script, served separately so the page's CSP can forbid inline scripts. */
export const PAGE_SCRIPT_FILE = 'page.js';

/** What a request path names. */
export type Target =
  | { readonly kind: 'token'; readonly route: TokenRoute }
  | { readonly kind: 'page' }
  | { readonly kind: 'page-script' }
  | { readonly kind: 'bundle' }
  | { readonly kind: 'healthz' };

function decodeSegment(segment: string, code: ServerErrorCode, label: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, code, `${label} is not valid percent-encoded UTF-8`);
  }
}

/**
 * Maps a URL path to what it names, checking every path parameter (a 400 names the rule);
 * `undefined` when nothing lives there. One trailing slash is ignored, as community token
 * servers document their paths with and without it.
 */
export function matchRoute(pathname: string): Target | undefined {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const parts = path.split('/').slice(1);
  switch (parts[0]) {
    case '':
      return parts.length === 1 ? { kind: 'page' } : undefined;
    case BUNDLE_FILE:
      return parts.length === 1 ? { kind: 'bundle' } : undefined;
    case PAGE_SCRIPT_FILE:
      return parts.length === 1 ? { kind: 'page-script' } : undefined;
    case 'healthz':
      return parts.length === 1 ? { kind: 'healthz' } : undefined;
    case 'chat':
      return chatRoute(parts);
    case 'rtc':
      return rtcRoute(parts);
    case 'rtm':
      if (parts.length !== 2) return undefined;
      return { kind: 'token', route: { kind: 'rtm', userId: checkRtmUserId(decodeSegment(parts[1], 'invalid_user_id', 'RTM user ID')) } };
    default:
      return undefined;
  }
}

function chatRoute(parts: string[]): Target | undefined {
  if (parts.length === 3 && parts[1] === 'app' && parts[2] === 'token') {
    return { kind: 'token', route: { kind: 'chat-app' } };
  }
  if (parts.length === 4 && parts[1] === 'user' && parts[3] === 'token') {
    const username = checkChatUsername(decodeSegment(parts[2], 'invalid_username', 'username'));
    return { kind: 'token', route: { kind: 'chat-user', username } };
  }
  return undefined;
}

function rtcRoute(parts: string[]): Target | undefined {
  if (parts.length !== 5 || (parts[3] !== 'uid' && parts[3] !== 'account')) return undefined;
  const channel = checkChannelName(decodeSegment(parts[1], 'invalid_channel', 'channel'));
  const role = checkRtcRole(parts[2]);
  if (parts[3] === 'uid') {
    return { kind: 'token', route: { kind: 'rtc', channel, role, uid: checkUid(parts[4]) } };
  }
  const account = checkUserAccount(decodeSegment(parts[4], 'invalid_account', 'account'));
  return { kind: 'token', route: { kind: 'rtc', channel, role, account } };
}
