import { describe, expect, it } from 'vitest';
import * as root from '../src/index';
import { decodeToken, RtcTokenBuilder, RtcTokenBuilder2, RtmTokenBuilder, TokenError } from '../src/index';
import * as compat from '../src/compat';

const A = '970CA35de60c44645bbae8a215061b33';
const C = '5CFd2fd1755d40ecb72977518be15d3b';

/** Calls a method as plain JavaScript would, whatever its TypeScript signature. */
function callAsJs(target: object, method: string, ...args: unknown[]): unknown {
  return Reflect.apply(Reflect.get(target, method) as (...a: unknown[]) => unknown, target, args);
}

function refusal(run: () => unknown): TokenError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(TokenError);
    return err as TokenError;
  }
  throw new Error('expected a TokenError');
}

describe('agora-token code with only the import changed', () => {
  it('RtcTokenBuilder.buildTokenWithUid(A, C, "room1", 42, 1, 3600, 3600) throws naming RtcTokenBuilder2 and /compat', () => {
    const err = refusal(() => callAsJs(RtcTokenBuilder, 'buildTokenWithUid', A, C, 'room1', 42, 1, 3600, 3600));
    expect(err.code).toBe('ERR_INVALID_ARGUMENT');
    expect(err.message).toContain('RtcTokenBuilder2.buildTokenWithUid');
    expect(err.message).toContain('agora-access-token2/compat');
    expect(err.message).toContain('legacy 006');
  });

  it.each([
    ['buildTokenWithUserAccount', [A, C, 'room1', 'alice', 1, 3600, 3600], 'RtcTokenBuilder2.buildTokenWithUserAccount'],
    ['buildTokenWithUidAndPrivilege', [A, C, 'room1', 42, 3600, 3600, 3600, 3600, 3600], 'RtcTokenBuilder2.buildTokenWithUidAndPrivilege'],
    ['BuildTokenWithUserAccountAndPrivilege', [A, C, 'room1', 'a', 3600, 3600, 3600, 3600, 3600], 'RtcTokenBuilder2.buildTokenWithUserAccountAndPrivilege'],
    ['buildTokenWithRtm', [A, C, 'room1', 'alice', 1, 3600, 3600], 'RtcTokenBuilder2.buildTokenWithRtm'],
    ['buildTokenWithRtm2', [A, C, 'room1', 'alice', 1, 3600, 3600, 3600, 3600, 3600, 'alice', 3600], 'RtcTokenBuilder2.buildTokenWithRtm2'],
  ])('RtcTokenBuilder.%s in agora-token form throws naming %s', (method, args, use) => {
    expect(refusal(() => callAsJs(RtcTokenBuilder, method, ...args)).message).toContain(use);
  });

  it('RtmTokenBuilder.buildToken(A, C, "alice", 3600) and buildTokenWithPermissions throw naming RtmTokenBuilder2', () => {
    expect(refusal(() => callAsJs(RtmTokenBuilder, 'buildToken', A, C, 'alice', 3600)).message).toContain('RtmTokenBuilder2.buildToken');
    expect(refusal(() => callAsJs(RtmTokenBuilder, 'buildTokenWithPermissions', A, C, 'alice', null, 3600)).message)
      .toContain('RtmTokenBuilder2.buildTokenWithPermissions');
  });

  it('the 006 calls themselves still work, and /compat and RtcTokenBuilder2 give the 007 token', () => {
    const legacy = RtcTokenBuilder.buildTokenWithUid(A, C, 'room1', 42, 1, 1_900_000_000, { issueTs: 1_700_000_000, salt: 1 });
    expect(legacy.startsWith('006')).toBe(true);
    const options = { issueTs: 1_700_000_000, salt: 1 };
    const viaCompat = compat.RtcTokenBuilder.buildTokenWithUid(A, C, 'room1', 42, 1, 3600, 3600, options);
    const via2 = RtcTokenBuilder2.buildTokenWithUid(A, C, 'room1', 42, 1, 3600, 3600, options);
    expect(viaCompat).toBe(via2);
    expect(decodeToken(via2).version).toBe('007');
  });

  it('keeps every earlier export name at the root', () => {
    for (const name of ['RtcTokenBuilder', 'RtmTokenBuilder', 'RtcTokenBuilder2', 'RtmTokenBuilder2', 'ChatTokenBuilder2', 'Privileges006', 'RtcRole006']) {
      expect(root).toHaveProperty(name);
    }
  });
});
