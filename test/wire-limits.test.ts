import { describe, expect, it } from 'vitest';
import {
  AccessToken2, ChatTokenBuilder2, Rtm2Permissions, RtmTokenBuilder2, Service, ServiceChat, ServiceRtm2, TokenError,
  decodeToken, createTokenMaker,
} from '../src/index';

const A = '970CA35de60c44645bbae8a215061b33';
const C = '5CFd2fd1755d40ecb72977518be15d3b';

function code(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(TokenError);
    return (err as TokenError).code;
  }
  return 'no error';
}

describe('every u16 count and length a builder writes is range-checked, never wrapped', () => {
  it('a Service with 65,536 privileges', () => {
    const service = new Service(4);
    for (let id = 0; id <= 0xffff; id++) service.addPrivilege(id, 1);
    expect(code(() => new AccessToken2(A, C, 60).addService(service).build())).toBe('ERR_INVALID_ARGUMENT');
    expect(code(() => createTokenMaker({ appId: A, appCertificate: C }).buildToken(60, [service]))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('65,535 privileges still pack', () => {
    const service = new Service(4);
    for (let id = 1; id <= 0xffff; id++) service.addPrivilege(id, 1);
    const token = new AccessToken2(A, C, 60).addService(service).build();
    const decoded = decodeToken(token, { maxTokenLength: 1 << 22, maxPayloadBytes: 1 << 22 });
    if (decoded.version !== '007') throw new Error('expected a 007 token');
    expect(decoded.services).toHaveLength(1);
    const { privileges } = decoded.services[0];
    expect(Object.keys(privileges)).toHaveLength(0xffff);
    expect([privileges[1], privileges[0xffff], privileges[0]]).toEqual([1, 1, undefined]);
  });

  it('Rtm2Permissions with 65,536 entries: resources of one grant, and permission types of one resource type', () => {
    const resources = Array.from({ length: 0x10000 }, (_, i) => `r${i}`);
    expect(code(() => new Rtm2Permissions().add(0, 0, resources))).toBe('ERR_INVALID_ARGUMENT');
    const permissions = new Rtm2Permissions();
    for (let p = 0; p <= 0xffff; p++) permissions.add(0, p, []);
    expect(code(() => RtmTokenBuilder2.buildTokenWithPermissions(A, C, 'alice', permissions, 60))).toBe('ERR_INVALID_ARGUMENT');
    expect(code(() => new AccessToken2(A, C, 60).addService(new ServiceRtm2('alice', permissions)).build())).toBe('ERR_INVALID_ARGUMENT');
  });

  it('strings over 65,535 bytes of UTF-8', () => {
    expect(code(() => ChatTokenBuilder2.buildUserToken(A, C, 'x'.repeat(0x10000), 60))).toBe('ERR_STRING_TOO_LONG');
    expect(code(() => ChatTokenBuilder2.buildUserToken(A, C, 'é'.repeat(0x8000), 60))).toBe('ERR_STRING_TOO_LONG');
    expect(code(() => new ServiceChat('€'.repeat(21846)))).toBe('ERR_STRING_TOO_LONG');
    expect(code(() => ChatTokenBuilder2.buildUserToken(A, C, 'x'.repeat(0xffff), 60))).toBe('no error');
  });
});
