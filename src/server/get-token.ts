import { HttpError } from './http-error';
import {
  checkChannelName, checkChatUsername, checkRtcRole, checkUid, checkUserAccount,
} from './identifiers';
import type { TokenRoute } from './options';
import { communityRtmUser } from './routes';

/** The fields `POST /getToken` takes, as agora-token-service's `TokenRequest`. */
const FIELDS = new Set(['tokenType', 'channel', 'role', 'uid', 'expire']);

/** What a `POST /getToken` body asks for. */
export interface GetTokenRequest {
  readonly route: TokenRoute;
  /** The body's `expire` (0 = the default), when given. */
  readonly expire: number | undefined;
}

function invalidBody(message: string): HttpError {
  return new HttpError(400, 'invalid_body', message);
}

/** A text field; `undefined` when absent (or `null`, or `""`, which the community server treats as absent). */
function text(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalidBody(`${name} must be a string`);
  return value;
}

/** `uid` as a string: a JSON number is accepted too (clients send both). */
function uidText(body: Record<string, unknown>): string | undefined {
  const value = body.uid;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return String(value);
    throw new HttpError(400, 'invalid_uid', 'uid must be an integer from 0 to 4294967295 or a user account string');
  }
  return text(body, 'uid');
}

/**
 * The body of `POST /getToken`, `{ tokenType: "rtc" | "rtm" | "chat", channel?, role?, uid?, expire? }`,
 * checked: rtc needs `channel` and `uid` (a numeric uid is a uid, anything else an account; role
 * `publisher`, `subscriber` (default, as agora-token-service) or `audience`); rtm needs `uid`
 * (with `channel`: stream-channel privileges); chat without `uid` is an app token, with `uid` a
 * user token. An empty body, non-JSON, a non-object, unknown fields → 400 `invalid_body`.
 */
export function parseGetToken(raw: string): GetTokenRequest {
  if (raw.trim() === '') throw invalidBody('the body is empty; send JSON {"tokenType": "rtc" | "rtm" | "chat", …}');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidBody('the body is not JSON; send {"tokenType": "rtc" | "rtm" | "chat", …}');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalidBody('the body must be a JSON object');
  const body = parsed as Record<string, unknown>;
  const unknown = Object.keys(body).filter((name) => !FIELDS.has(name));
  if (unknown.length > 0) {
    throw invalidBody(`unknown field ${JSON.stringify(unknown[0].slice(0, 40))}; the fields are tokenType, channel, role, uid, expire`);
  }
  // Every field's type first, including those the token type does not use.
  for (const name of ['channel', 'role']) text(body, name);
  return { route: routeOf(body), expire: expireOf(body.expire) };
}

function expireOf(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return value;
  throw new HttpError(400, 'invalid_expire', 'expire must be a whole number of seconds (0 = the server\'s default)');
}

function routeOf(body: Record<string, unknown>): TokenRoute {
  const tokenType = body.tokenType;
  switch (tokenType) {
    case 'rtc': {
      const channel = text(body, 'channel');
      if (channel === undefined) throw new HttpError(400, 'invalid_channel', 'an rtc token needs "channel"');
      const uid = uidText(body);
      if (uid === undefined) throw new HttpError(400, 'invalid_uid', 'an rtc token needs "uid" (a number for a uid, a string for an account)');
      const role = checkRtcRole(text(body, 'role') ?? 'subscriber');
      return /^[0-9]+$/.test(uid)
        ? { kind: 'rtc', channel: checkChannelName(channel), role, uid: checkUid(uid) }
        : { kind: 'rtc', channel: checkChannelName(channel), role, account: checkUserAccount(uid) };
    }
    case 'rtm': {
      const uid = uidText(body);
      if (uid === undefined) throw new HttpError(400, 'invalid_user_id', 'an rtm token needs "uid"');
      const channel = text(body, 'channel');
      const userId = communityRtmUser(uid);
      return channel === undefined ? { kind: 'rtm', userId } : { kind: 'rtm', userId, channel: checkChannelName(channel) };
    }
    case 'chat': {
      const uid = uidText(body);
      return uid === undefined ? { kind: 'chat-app' } : { kind: 'chat-user', username: checkChatUsername(uid) };
    }
    case undefined:
      throw new HttpError(400, 'invalid_token_type', 'tokenType is missing; it is "rtc", "rtm" or "chat"');
    default:
      throw new HttpError(400, 'invalid_token_type', `tokenType must be "rtc", "rtm" or "chat", got ${JSON.stringify(String(tokenType).slice(0, 20))}`);
  }
}
