import { describe, expect, it } from 'vitest';
import {
  AccessToken2, ChatTokenBuilder2, FpaTokenBuilder, RtcTokenBuilder, RtcTokenBuilder2, RtmTokenBuilder,
  RtmTokenBuilder2, Rtm2Permissions, Service, ServiceApaas, ServiceChat,
} from '../src/index';
import { codeOf } from './helpers/outcome';

const APP_ID = '970CA35de60c44645bbae8a215061b33';
const CERT = '5CFd2fd1755d40ecb72977518be15d3b';


describe('builder errors: one test per rule, asserting the code', () => {
  it('app ID not 32 hex characters → ERR_INVALID_APP_ID, naming appId', () => {
    for (const bad of ['', 'abc', ' 970CA35de60c44645bbae8a215061b3', '970ca35d-e60c-4464-5bba-e8a215061b33', '９７０CA35de60c44645bbae8a215061b33', 'g70CA35de60c44645bbae8a215061b33', 42]) {
      expect(codeOf(() => ChatTokenBuilder2.buildUserToken(bad as string, CERT, 'u', 600))).toBe('ERR_INVALID_APP_ID');
    }
    expect(() => ChatTokenBuilder2.buildAppToken('nope', CERT, 600)).toThrow(/appId/);
  });

  it('certificate not 32 hex characters → ERR_INVALID_APP_CERTIFICATE, naming appCertificate', () => {
    for (const bad of ['', 'xyz', `${CERT} `, CERT.slice(1)]) {
      expect(codeOf(() => ChatTokenBuilder2.buildUserToken(APP_ID, bad, 'u', 600))).toBe('ERR_INVALID_APP_CERTIFICATE');
    }
    expect(() => RtmTokenBuilder2.buildToken(APP_ID, 'short', 'u', 600)).toThrow(/appCertificate/);
  });

  it('no service → ERR_NO_SERVICE', () => {
    expect(codeOf(() => new AccessToken2(APP_ID, CERT, 600).build())).toBe('ERR_NO_SERVICE');
  });

  it('non-integer or out-of-range numbers → ERR_INVALID_NUMBER, naming the argument', () => {
    for (const bad of [-1, 2 ** 32, NaN, 1.5, Infinity, '600']) {
      expect(codeOf(() => ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'u', bad as number))).toBe('ERR_INVALID_NUMBER');
    }
    expect(() => RtcTokenBuilder2.buildTokenWithUid(APP_ID, CERT, 'c', -5, 1, 600, 600)).toThrow(/uid/);
    expect(() => RtcTokenBuilder2.buildTokenWithUid(APP_ID, CERT, 'c', 5, 1, 600, 1.5)).toThrow(/privilegeExpire/);
    expect(codeOf(() => ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'u', 600, { issueTs: -1 }))).toBe('ERR_INVALID_NUMBER');
    expect(codeOf(() => ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'u', 600, { salt: 2 ** 32 }))).toBe('ERR_INVALID_NUMBER');
    expect(codeOf(() => new ServiceChat('u').addPrivilege(0x10000, 1))).toBe('ERR_INVALID_NUMBER');
    expect(codeOf(() => new Rtm2Permissions().add(-1, 0, []))).toBe('ERR_INVALID_NUMBER');
    // The edges are accepted.
    expect(ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'u', 0xffffffff, { issueTs: 0, salt: 0 })).toMatch(/^007/);
  });

  it('a string longer than 65,535 UTF-8 bytes → ERR_STRING_TOO_LONG (the reference corrupts these)', () => {
    expect(codeOf(() => ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'u'.repeat(65536), 600))).toBe('ERR_STRING_TOO_LONG');
    // 21,846 three-byte characters are 65,538 bytes though only 21,846 UTF-16 units.
    expect(codeOf(() => RtmTokenBuilder2.buildToken(APP_ID, CERT, '用'.repeat(21846), 600))).toBe('ERR_STRING_TOO_LONG');
    expect(() => RtcTokenBuilder2.buildTokenWithUserAccount(APP_ID, CERT, 'c'.repeat(70000), 'a', 1, 1, 1)).toThrow(/channelName/);
    expect(ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'u'.repeat(65535), 600)).toMatch(/^007/);
  });

  it('a missing argument → ERR_MISSING_ARGUMENT', () => {
    const build = ChatTokenBuilder2.buildUserToken as (...args: unknown[]) => string;
    expect(codeOf(() => build(APP_ID, CERT, 'u'))).toBe('ERR_MISSING_ARGUMENT');
    expect(codeOf(() => build(APP_ID, CERT, null, 600))).toBe('ERR_MISSING_ARGUMENT');
    expect(codeOf(() => build(undefined, CERT, 'u', 600))).toBe('ERR_MISSING_ARGUMENT');
    expect(codeOf(() => (FpaTokenBuilder.buildToken as (...a: unknown[]) => string)(APP_ID))).toBe('ERR_MISSING_ARGUMENT');
  });

  it('an unknown role → ERR_INVALID_ROLE', () => {
    expect(codeOf(() => RtcTokenBuilder2.buildTokenWithUid(APP_ID, CERT, 'c', 1, 3 as 1, 600, 600))).toBe('ERR_INVALID_ROLE');
    expect(codeOf(() => RtcTokenBuilder2.buildTokenWithRtm2(APP_ID, CERT, 'c', 'a', 0 as 1, 1, 1, 1, 1, 1, 'r', 1))).toBe('ERR_INVALID_ROLE');
    expect(codeOf(() => RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'c', 1, 3 as 1, 0))).toBe('ERR_INVALID_ROLE');
    expect(codeOf(() => RtmTokenBuilder.buildToken(APP_ID, CERT, 'u', 2 as 1, 0))).toBe('ERR_INVALID_ROLE');
    expect(codeOf(() => new ServiceApaas('r', 'u', 70000))).toBe('ERR_INVALID_ROLE');
  });

  it('wrong argument types → ERR_INVALID_ARGUMENT', () => {
    expect(codeOf(() => ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 42 as unknown as string, 600))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => new AccessToken2(APP_ID, CERT, 600).addService({} as Service))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => new Service(1))).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => RtmTokenBuilder2.buildTokenWithPermissions(APP_ID, CERT, 'u', [] as unknown as Rtm2Permissions, 600))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('defaults: a fresh salt and the current time', () => {
    const a = ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'u', 600);
    const b = ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'u', 600);
    expect(a).not.toBe(b);
    const token = new AccessToken2(APP_ID, CERT, 600);
    expect(Math.abs(token.issueTs - Date.now() / 1000)).toBeLessThan(5);
  });
});
