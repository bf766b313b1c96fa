import { decodeToken, TokenError, type DecodedService } from '../index';
import type { FreshToken } from './options';

/** What a fetched token must be, for one SDK. */
export interface TokenRule {
  /** Service table name: `'chat'`, `'rtc'`, `'rtm'`. */
  readonly service: string;
  /** The privilege the SDK needs, by id, and its name for messages. */
  readonly privilege: readonly [id: number, name: string];
  /** Field → required value (`userId`, `channelName`, `uid`); `undefined` is not checked. */
  readonly fields?: Readonly<Partial<Record<'userId' | 'channelName' | 'uid', string>>>;
}

const MISMATCH = { userId: 'ERR_UID_MISMATCH', uid: 'ERR_UID_MISMATCH', channelName: 'ERR_CHANNEL_MISMATCH' } as const;

/** RTC: a uid of `""` (0) in the token lets any uid join. */
function fieldMatches(service: DecodedService, field: 'userId' | 'channelName' | 'uid', wanted: string): boolean {
  const value = service[field];
  return value === wanted || (field === 'uid' && value === '');
}

/**
 * Decodes a token the app server sent and checks it is usable now: a 007 token with the
 * rule's service, for the rule's user/channel, granting the privilege, not expired. Throws
 * TokenError (the decode code, or the verify code that names the broken rule).
 */
export function checkToken(token: string, rule: TokenRule, nowSeconds: number): FreshToken {
  const decoded = decodeToken(token);
  if (decoded.version !== '007') {
    throw new TokenError('ERR_TOKEN_VERSION', `fetchToken returned a ${decoded.version} token; the ${rule.service} SDK needs an AccessToken2 (007)`);
  }
  let candidates = decoded.services.filter((s) => s.name === rule.service);
  if (candidates.length === 0) {
    const has = decoded.services.map((s) => s.name).join(', ') || 'none';
    throw new TokenError('ERR_SERVICE_MISSING', `fetchToken returned a token without a ${rule.service} service (it has: ${has})`);
  }
  for (const [field, wanted] of Object.entries(rule.fields ?? {}) as ['userId' | 'channelName' | 'uid', string | undefined][]) {
    if (wanted === undefined) continue;
    const matching = candidates.filter((s) => fieldMatches(s, field, wanted));
    if (matching.length === 0) {
      const got = candidates.map((s) => JSON.stringify(s[field])).join(', ');
      throw new TokenError(MISMATCH[field], `fetchToken returned a token for ${field} ${got.slice(0, 200)}, expected ${JSON.stringify(wanted.slice(0, 200))}`);
    }
    candidates = matching;
  }
  const [id, name] = rule.privilege;
  const privilege = candidates.flatMap((s) => s.privilegeDetails).find((p) => p.id === id);
  if (privilege === undefined) {
    throw new TokenError('ERR_PRIVILEGE_MISSING', `fetchToken returned a ${rule.service} token that does not grant ${name} (privilege ${id})`);
  }
  if (decoded.expiresAt <= nowSeconds) {
    throw new TokenError('ERR_TOKEN_EXPIRED', `fetchToken returned a token that expired at ${decoded.expiresAt} (now ${Math.floor(nowSeconds)})`);
  }
  if (privilege.expiresAt !== null && privilege.expiresAt <= nowSeconds) {
    throw new TokenError('ERR_PRIVILEGE_EXPIRED', `fetchToken returned a token whose ${name} privilege expired at ${privilege.expiresAt} (now ${Math.floor(nowSeconds)})`);
  }
  return { token, decoded, expiresAt: Math.min(decoded.expiresAt, privilege.expiresAt ?? Infinity) };
}
