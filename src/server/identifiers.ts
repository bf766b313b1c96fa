import { HttpError } from './http-error';

/** Agora Chat user IDs: 1–64 of a–z, 0–9, `_`, `-`, `.` (checked before any upstream call). */
export const CHAT_USERNAME = /^[a-z0-9_.-]{1,64}$/;
/** The character set Agora allows in RTC channel names, user accounts and RTM user IDs. */
export const AGORA_NAME = /^[a-zA-Z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]+$/;
const DECIMAL = /^[0-9]{1,10}$/;

function badRequest(code: ConstructorParameters<typeof HttpError>[1], message: string): HttpError {
  return new HttpError(400, code, message);
}

/** A Chat username; the message says which rule it broke. */
export function checkChatUsername(value: string): string {
  if (CHAT_USERNAME.test(value)) return value;
  if (value.length === 0) return fail('username is empty');
  if (value.length > 64) return fail(`username is ${value.length} characters; Agora Chat allows at most 64`);
  return fail('username may only hold a-z, 0-9, "_", "-" and "." (Agora Chat user IDs are lower case)');

  function fail(message: string): never {
    throw badRequest('invalid_username', message);
  }
}

/** An RTC channel name: 1–64 characters of Agora's set. */
export function checkChannelName(value: string): string {
  if (value.length >= 1 && value.length <= 64 && AGORA_NAME.test(value)) return value;
  throw badRequest(
    'invalid_channel',
    'channel must be 1-64 characters of a-z, A-Z, 0-9, space and !#$%&()+-:;<=.>?@[]^_{}|~,',
  );
}

/** An RTC user account: 1–255 characters of Agora's set. */
export function checkUserAccount(value: string): string {
  if (value.length >= 1 && value.length <= 255 && AGORA_NAME.test(value)) return value;
  throw badRequest(
    'invalid_account',
    'account must be 1-255 characters of a-z, A-Z, 0-9, space and !#$%&()+-:;<=.>?@[]^_{}|~,',
  );
}

/** An RTM user ID: 1–64 characters of Agora's set, and not the string "null". */
export function checkRtmUserId(value: string): string {
  if (value.length >= 1 && value.length <= 64 && AGORA_NAME.test(value) && value !== 'null') return value;
  throw badRequest(
    'invalid_user_id',
    'RTM user ID must be 1-64 characters of a-z, A-Z, 0-9, space and !#$%&()+-:;<=.>?@[]^_{}|~, (not "null")',
  );
}

/** A numeric RTC uid, 0 … 4294967295 (0 = any uid). */
export function checkUid(value: string): number {
  const uid = DECIMAL.test(value) ? Number(value) : NaN;
  if (uid <= 0xffffffff) return uid;
  throw badRequest('invalid_uid', 'uid must be an integer from 0 to 4294967295 (0 = any uid)');
}

/** An RTC role by name; `audience` (the community servers' name) is a subscriber. */
export function checkRtcRole(value: string): 'publisher' | 'subscriber' {
  if (value === 'publisher' || value === 'subscriber') return value;
  if (value === 'audience') return 'subscriber';
  throw badRequest('invalid_role', 'role must be "publisher", "subscriber" or "audience"');
}

/** A lifetime asked for: whole seconds from 0 to 4294967295 (0 = the server's default). */
export function checkExpire(value: string, name: string): number {
  const expire = DECIMAL.test(value) ? Number(value) : NaN;
  if (expire <= 0xffffffff) return expire;
  throw badRequest('invalid_expire', `${name} must be a whole number of seconds (0 = the server's default), got ${JSON.stringify(value.slice(0, 20))}`);
}
