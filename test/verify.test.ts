import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import {
  AccessToken2, ChatTokenBuilder2, FpaTokenBuilder, RtcRole, RtcRole006, RtcTokenBuilder, RtcTokenBuilder2,
  RtmRole, RtmTokenBuilder, Service, ServiceChat, createTokenVerifier, decodeToken, verifyToken,
  type DecodedToken007, type TokenVerifier, type VerifyOptions,
} from '../src/index';
import { loadGolden } from './helpers/golden';
import { constantTimeEqual } from '../src/crypto/constant-time';
import { codeOf } from './helpers/outcome';

const APP_ID = '970CA35de60c44645bbae8a215061b33';
const CERT = '5CFd2fd1755d40ecb72977518be15d3b';
const T0 = 1_750_000_000;
const AT = { issueTs: T0, salt: 12345 };


const verifyCode = (token: string, options: VerifyOptions, cert = CERT): string => codeOf(() => verifyToken(token, cert, options));

/** A 007 payload as the packer lays it out: the u16 length 32, the signature, the signed bytes. */
function payloadOf(signature: Uint8Array, signingInfo: Uint8Array): Uint8Array {
  const content = new Uint8Array(2 + 32 + signingInfo.length);
  content.set([32, 0]);
  content.set(signature, 2);
  content.set(signingInfo, 34);
  return content;
}

/** A signing info's header: the app ID (u16 length and 32 characters), issueTs, expire, salt. */
const headerOf = (decoded: DecodedToken007): Uint8Array => decoded.signingInfo.subarray(0, 2 + 32 + 12);

describe('constantTimeEqual', () => {
  it('compares ranges byte for byte, whichever byte differs', () => {
    const a = Uint8Array.from({ length: 40 }, (_, i) => i);
    expect(constantTimeEqual(a, 0, a.slice(), 0, 40)).toBe(true);
    expect(constantTimeEqual(a, 8, a.slice(8), 0, 32)).toBe(true);
    for (const i of [0, 1, 15, 31]) {
      const b = a.slice(8);
      b[i] ^= 0x80;
      expect(constantTimeEqual(a, 8, b, 0, 32)).toBe(false);
    }
    expect(constantTimeEqual(a, 0, a, 1, 0)).toBe(true);
  });
});

describe('verifyToken: 007', () => {
  const chat = ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'alice', 600, AT);

  it('returns the decoded token when the signature is right and it is in date', () => {
    const decoded = verifyToken(chat, CERT, { now: T0 + 10 }) as DecodedToken007;
    expect(decoded).toEqual(decodeToken(chat));
    expect(decoded.services[0]).toMatchObject({ type: 5, name: 'chat', userId: 'alice', privileges: { 1: 600 } });
  });

  it('uses the clock by default', () => {
    const fresh = ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'alice', 600);
    expect(verifyToken(fresh, CERT).version).toBe('007');
    expect(codeOf(() => verifyToken(chat, CERT))).toBe('ERR_TOKEN_EXPIRED'); // issued in 2025, 10 minutes
  });

  it('is in date while now <= issueTs + expire, plus clockTolerance', () => {
    expect(verifyCode(chat, { now: T0 + 600 })).toBe('accepted');
    expect(verifyCode(chat, { now: T0 + 601 })).toBe('ERR_TOKEN_EXPIRED');
    expect(verifyCode(chat, { now: T0 + 630, clockTolerance: 30 })).toBe('accepted');
    expect(verifyCode(chat, { now: T0 + 631, clockTolerance: 30 })).toBe('ERR_TOKEN_EXPIRED');
  });

  it('refuses another certificate and any change to the signed bytes', () => {
    expect(verifyCode(chat, { now: T0 }, CERT.replace('5', '6'))).toBe('ERR_SIGNATURE_MISMATCH');
    // Same services, another expire: a different signingInfo under the original signature.
    const original = decodeToken(chat) as DecodedToken007;
    const content = payloadOf(original.signature, original.signingInfo);
    const expireAt = 2 + 32 + 2 + 32 + 4; // after the signature, appId and issueTs
    content[expireAt] ^= 1;
    const tampered = `007${deflateSync(content).toString('base64')}`;
    expect(verifyCode(tampered, { now: T0 })).toBe('ERR_SIGNATURE_MISMATCH');
    // Recompressed by another zlib but the same bytes: still the same signature.
    content[expireAt] ^= 1;
    expect(verifyCode(`007${deflateSync(content, { level: 1 }).toString('base64')}`, { now: T0 })).toBe('accepted');
  });

  it('checks the signature before it reads a service: a forged token is refused for its signature, whatever its services', () => {
    const original = decodeToken(chat) as DecodedToken007;
    // The signature as the spec makes it (node:crypto): checked first on the real token.
    const u32 = (n: number) => Uint8Array.of(n, n >>> 8, n >>> 16, n >>> 24);
    const sign = (signingInfo: Uint8Array, cert = CERT) => {
      const k1 = createHmac('sha256', u32(original.issueTs)).update(cert).digest();
      const k2 = createHmac('sha256', u32(original.salt)).update(k1).digest();
      return new Uint8Array(createHmac('sha256', k2).update(signingInfo).digest());
    };
    expect(Array.from(sign(original.signingInfo))).toEqual(Array.from(original.signature));
    const tokenOf = (signature: Uint8Array, signingInfo: Uint8Array) => `007${deflateSync(payloadOf(signature, signingInfo)).toString('base64')}`;
    // The header (app ID, issueTs, expire, salt) kept; then 40,000 services of a type with no
    // fields (FPA, 4), each cut short after its type: nothing a decoder could finish.
    const header = headerOf(original);
    const services = new Uint8Array(2 + 2 * 40_000);
    services.set([0x40, 0x9c]); // 40,000
    for (let i = 0; i < 40_000; i++) services.set([4, 0], 2 + 2 * i);
    const signingInfo = new Uint8Array(header.length + services.length);
    signingInfo.set(header);
    signingInfo.set(services, header.length);
    const forged = tokenOf(sign(signingInfo, CERT.replace('5', '6')), signingInfo);
    const options = { now: T0, maxPayloadBytes: 1 << 17 };
    const refused = codeOf(() => decodeToken(forged, options));
    expect(refused).toMatch(/^ERR_TOKEN_(TRUNCATED|MALFORMED)$/);
    expect(verifyCode(forged, options)).toBe('ERR_SIGNATURE_MISMATCH');
    // Signed with the right certificate, the same bytes get as far as their services.
    expect(verifyCode(tokenOf(sign(signingInfo), signingInfo), options)).toBe(refused);
    // The app ID is checked before the signature: the more useful error for another app's token.
    expect(verifyCode(forged, { ...options, appId: '0'.repeat(32) })).toBe('ERR_APP_ID_MISMATCH');
  });

  it('lenient: a payload whose checksum is wrong after 8 KiB is read from its whole 8,192-byte chunks, as the reference reads it, and does not verify', () => {
    const original = decodeToken(chat) as DecodedToken007;
    // The header, then one service of a type nobody knows (the reference stops there) and its 9,000 bytes.
    const header = headerOf(original);
    const signingInfo = new Uint8Array(header.length + 4 + 9_000);
    signingInfo.set(header);
    signingInfo.set([1, 0, 0x2c, 0x01], header.length); // 1 service, type 300
    for (let i = header.length + 4; i < signingInfo.length; i++) signingInfo[i] = (i * 7) & 0xff;
    const stream = new Uint8Array(deflateSync(payloadOf(original.signature, signingInfo)));
    stream[stream.length - 1] ^= 1; // the Adler-32
    const token = `007${Buffer.from(stream).toString('base64')}`;
    expect(codeOf(() => decodeToken(token))).toBe('ERR_TOKEN_ZLIB');
    const lenient = decodeToken(token, { lenient: true }) as DecodedToken007;
    expect(lenient.signingInfo.length).toBe(8192 - 34);
    expect([lenient.appId, lenient.issueTs, lenient.salt]).toEqual([original.appId, original.issueTs, original.salt]);
    expect(verifyCode(token, { now: T0, lenient: true })).toBe('ERR_SIGNATURE_MISMATCH');
  });

  it('reads each option once', () => {
    let reads = 0;
    const options = { now: T0, get lenient() { reads++; return false; } };
    expect(codeOf(() => verifyToken(chat, CERT, options))).toBe('accepted');
    expect(reads).toBe(1);
  });

  it('checks the expected app ID, case-insensitively', () => {
    expect(verifyCode(chat, { now: T0, appId: APP_ID.toLowerCase() })).toBe('accepted');
    expect(verifyCode(chat, { now: T0, appId: '0'.repeat(32) })).toBe('ERR_APP_ID_MISMATCH');
    expect(verifyCode(chat, { now: T0, appId: 'nope' })).toBe('ERR_INVALID_APP_ID');
  });

  it('requires a service and a privilege by type/id or by name', () => {
    expect(verifyCode(chat, { now: T0, service: 'chat', privilege: 'user' })).toBe('accepted');
    expect(verifyCode(chat, { now: T0, service: 5, privilege: 1 })).toBe('accepted');
    expect(verifyCode(chat, { now: T0, service: 'chat' })).toBe('accepted');
    expect(verifyCode(chat, { now: T0, service: 'chat', privilege: 'app' })).toBe('ERR_PRIVILEGE_MISSING');
    expect(verifyCode(chat, { now: T0, service: 'rtc' })).toBe('ERR_SERVICE_MISSING');
    expect(verifyCode(chat, { now: T0, service: 99, privilege: 1 })).toBe('ERR_SERVICE_MISSING');
    expect(verifyCode(chat, { now: T0, privilege: 1 })).toBe('ERR_INVALID_ARGUMENT');
    expect(verifyCode(chat, { now: T0, service: 'nosuch' })).toBe('ERR_INVALID_ARGUMENT');
    expect(verifyCode(chat, { now: T0, service: 'chat', privilege: 'fly' })).toBe('ERR_INVALID_ARGUMENT');
  });

  it('a privilege ends at issueTs + its expire; an expire of 0 has no limit of its own', () => {
    const rtc = RtcTokenBuilder2.buildTokenWithUidAndPrivilege(APP_ID, CERT, 'room', 42, 3600, 3600, 60, 0, 3600, AT);
    const at = (now: number, privilege: string) => verifyCode(rtc, { now, service: 'rtc', privilege });
    expect(at(T0 + 60, 'publishAudioStream')).toBe('accepted');
    expect(at(T0 + 61, 'publishAudioStream')).toBe('ERR_PRIVILEGE_EXPIRED');
    expect(verifyCode(rtc, { now: T0 + 70, clockTolerance: 10, service: 'rtc', privilege: 'publishAudioStream' })).toBe('accepted');
    expect(at(T0 + 3600, 'publishVideoStream')).toBe('accepted'); // expire 0
    expect(at(T0 + 3601, 'publishVideoStream')).toBe('ERR_TOKEN_EXPIRED'); // the token still ends
    const details = (decodeToken(rtc) as DecodedToken007).services[0].privilegeDetails;
    expect(details).toEqual([
      { id: 1, name: 'joinChannel', expiresAt: T0 + 3600 },
      { id: 2, name: 'publishAudioStream', expiresAt: T0 + 60 },
      { id: 3, name: 'publishVideoStream', expiresAt: null },
      { id: 4, name: 'publishDataStream', expiresAt: T0 + 3600 },
    ]);
    // The FPA builder grants login with expire 0, in a 24 h token.
    const fpa = FpaTokenBuilder.buildToken(APP_ID, CERT, AT);
    expect(verifyCode(fpa, { now: T0 + 86400, service: 'fpa', privilege: 'login' })).toBe('accepted');
  });

  it('with channelName / uid, a service carrying them must be there', () => {
    const rtc = RtcTokenBuilder2.buildTokenWithUid(APP_ID, CERT, 'room', 42, RtcRole.PUBLISHER, 600, 600, AT);
    expect(verifyCode(rtc, { now: T0, channelName: 'room', uid: 42 })).toBe('accepted');
    expect(verifyCode(rtc, { now: T0, channelName: 'room', uid: '42', service: 'rtc', privilege: 'joinChannel' })).toBe('accepted');
    expect(verifyCode(rtc, { now: T0, channelName: 'other' })).toBe('ERR_CHANNEL_MISMATCH');
    expect(verifyCode(rtc, { now: T0, uid: 43 })).toBe('ERR_UID_MISMATCH');
    expect(verifyCode(rtc, { now: T0, uid: 0 })).toBe('ERR_UID_MISMATCH'); // 0 means ""
    expect(verifyCode(chat, { now: T0, channelName: 'room' })).toBe('ERR_CHANNEL_MISMATCH');
    const anyUid = RtcTokenBuilder2.buildTokenWithUid(APP_ID, CERT, 'room', 0, RtcRole.PUBLISHER, 600, 600, AT);
    expect(verifyCode(anyUid, { now: T0, uid: 0 })).toBe('accepted');
  });

  it('verifies a token with a service type nobody knows (the signature covers its bytes)', () => {
    const token = new AccessToken2(APP_ID, CERT, 600, AT)
      .addService(new ServiceChat('bob').addPrivilege(1, 600))
      .addService(new Service(300).addPrivilege(7, 600))
      .build();
    const decoded = verifyToken(token, CERT, { now: T0 }) as DecodedToken007;
    expect(decoded.services.map((s) => [s.type, s.name])).toEqual([[5, 'chat'], [300, 'unknown']]);
    expect(Array.from(decoded.services[1].unparsed!)).toEqual([1, 0, 7, 0, 0x58, 0x02, 0, 0]);
    expect(verifyCode(token, { now: T0, service: 300, privilege: 7 })).toBe('ERR_PRIVILEGE_MISSING');
  });

  it('refuses bad arguments with TokenError', () => {
    expect(codeOf(() => verifyToken(chat, 'short'))).toBe('ERR_INVALID_APP_CERTIFICATE');
    expect(codeOf(() => verifyToken(chat, null as unknown as string))).toBe('ERR_MISSING_ARGUMENT');
    expect(codeOf(() => verifyToken(42 as unknown as string, CERT))).toBe('ERR_TOKEN_NOT_STRING');
    expect(verifyCode(chat, { now: -1 })).toBe('ERR_INVALID_NUMBER');
    expect(verifyCode(chat, { now: T0, clockTolerance: 1.5 })).toBe('ERR_INVALID_NUMBER');
    expect(verifyCode(chat, { now: T0, uid: -1 })).toBe('ERR_INVALID_NUMBER');
    expect(verifyCode(chat, { now: T0, lenient: 'yes' as unknown as boolean })).toBe('ERR_INVALID_ARGUMENT');
    expect(codeOf(() => verifyToken(chat, CERT, 5 as unknown as VerifyOptions))).toBe('ERR_INVALID_ARGUMENT');
  });
});

describe('createTokenVerifier', () => {
  const chat = ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'alice', 600, AT);

  it('gives verifyToken\'s outcome for every decode and invalid golden vector, strict and lenient', () => {
    const vectors = [...loadGolden('accesstoken2-decode.json'), ...loadGolden('accesstoken2-invalid.json')];
    expect(vectors.length).toBe(431);
    const outcomes = new Set<string>();
    for (const v of vectors) {
      let verifier: TokenVerifier | undefined;
      const made = codeOf(() => { verifier = createTokenVerifier({ appCertificate: v.appCertificate }); });
      if (verifier === undefined) {
        // A certificate the verifier refuses at once, as verifyToken refuses it on every call.
        expect(codeOf(() => verifyToken(v.token!, v.appCertificate, { now: T0 })), v.id).toBe(made);
        outcomes.add(made);
        continue;
      }
      for (const lenient of [false, true]) {
        const options = { now: v.decoded?.issueTs ?? T0, lenient };
        const expected = codeOf(() => verifyToken(v.token!, v.appCertificate, options));
        expect(codeOf(() => verifier.verify(v.token!, options)), `${v.id} lenient ${lenient}`).toBe(expected);
        outcomes.add(expected);
      }
    }
    expect(outcomes).toContain('accepted');
    expect(outcomes).toContain('ERR_SIGNATURE_MISMATCH');
    expect(outcomes.size).toBeGreaterThan(4);
  });

  it('requires its app ID unless the call names one, and refuses options that are not an object', () => {
    const verifier = createTokenVerifier({ appId: APP_ID.toLowerCase(), appCertificate: CERT });
    expect(codeOf(() => verifier.verify(chat, { now: T0 }))).toBe('accepted');
    expect(codeOf(() => verifier.verify(chat, null as unknown as VerifyOptions))).toBe('ERR_TOKEN_EXPIRED');
    const other = createTokenVerifier({ appId: '0'.repeat(32), appCertificate: CERT });
    expect(codeOf(() => other.verify(chat, { now: T0 }))).toBe('ERR_APP_ID_MISMATCH');
    expect(codeOf(() => other.verify(chat, undefined))).toBe('ERR_APP_ID_MISMATCH');
    expect(codeOf(() => other.verify(chat, { now: T0, appId: APP_ID }))).toBe('accepted');
    for (const options of ['lenient', 5, true]) {
      expect(codeOf(() => other.verify(chat, options as unknown as VerifyOptions)), String(options)).toBe('ERR_INVALID_ARGUMENT');
    }
  });

  it('refuses bad credentials, and every call after wipe()', () => {
    expect(codeOf(() => createTokenVerifier({ appCertificate: 'short' }))).toBe('ERR_INVALID_APP_CERTIFICATE');
    expect(codeOf(() => createTokenVerifier({ appId: 'nope', appCertificate: CERT }))).toBe('ERR_INVALID_APP_ID');
    expect(codeOf(() => createTokenVerifier(undefined as unknown as { appCertificate: string }))).toBe('ERR_MISSING_ARGUMENT');
    const verifier = createTokenVerifier({ appCertificate: CERT });
    expect(codeOf(() => verifier.verify(chat, { now: T0 }))).toBe('accepted');
    verifier.wipe();
    expect(codeOf(() => verifier.verify(chat, { now: T0 }))).toBe('ERR_INVALID_APP_CERTIFICATE');
  });
});

describe('decodeToken: one app after another', () => {
  // The decoder reuses the last appId string when the next token's appId bytes are the same.
  it('reads each token its own appId, whatever came before', () => {
    const OTHER = 'abcdef0123456789ABCDEF0123456789';
    const a = ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'alice', 600, AT);
    const b = ChatTokenBuilder2.buildUserToken(OTHER, CERT, 'bob', 600, AT);
    const near = ChatTokenBuilder2.buildUserToken(APP_ID.slice(0, 31) + 'c', CERT, 'carol', 600, AT);
    for (const [token, appId] of [[a, APP_ID], [a, APP_ID], [b, OTHER], [a, APP_ID], [near, APP_ID.slice(0, 31) + 'c'], [b, OTHER], [b, OTHER]]) {
      expect(decodeToken(token).appId).toBe(appId);
      expect(decodeToken(token, { lenient: true }).appId).toBe(appId);
      expect((verifyToken(token, CERT, { now: T0 }) as DecodedToken007).appId).toBe(appId);
    }
  });

  it('a token cut inside an appId it shares with the last token is still truncated', () => {
    decodeToken(ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'alice', 600, AT));
    // signature (2 + 32), the appId length (2) and 20 of its 32 bytes.
    const payload = Uint8Array.from([32, 0, ...new Uint8Array(32), 32, 0, ...new TextEncoder().encode(APP_ID.slice(0, 20))]);
    const token = '007' + Buffer.from(deflateSync(payload)).toString('base64');
    expect(codeOf(() => decodeToken(token))).toBe('ERR_TOKEN_TRUNCATED');
    expect(codeOf(() => decodeToken(token, { lenient: true }))).toBe('ERR_TOKEN_TRUNCATED');
  });
});

describe('verifyToken: 006', () => {
  const privilegeTs = T0 + 3600;
  const rtc = RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'room', 4294967295, RtcRole006.PUBLISHER, privilegeTs, AT);
  const ok = { now: T0, channelName: 'room', uid: 4294967295 };

  it('checks channel and uid CRCs and the signature over appId + channelName + uid + message', () => {
    expect(verifyCode(rtc, ok)).toBe('accepted');
    expect(verifyCode(rtc, { ...ok, uid: '-1' })).toBe('accepted'); // the string the reference signs
    expect(verifyCode(rtc, { ...ok, channelName: 'other' })).toBe('ERR_CHANNEL_MISMATCH');
    expect(verifyCode(rtc, { ...ok, uid: 7 })).toBe('ERR_UID_MISMATCH');
    expect(verifyCode(rtc, ok, CERT.replace('5', '6'))).toBe('ERR_SIGNATURE_MISMATCH');
    expect(verifyCode(rtc, { now: T0, channelName: 'room' })).toBe('ERR_MISSING_ARGUMENT');
    expect(verifyCode(rtc, { now: T0, uid: 1 })).toBe('ERR_MISSING_ARGUMENT');
    expect(verifyCode(rtc, { ...ok, appId: APP_ID })).toBe('accepted');
    expect(verifyCode(rtc, { ...ok, appId: 'f'.repeat(32) })).toBe('ERR_APP_ID_MISMATCH');
  });

  it('refuses a flipped signature bit', () => {
    const decoded = decodeToken(rtc);
    const body = new Uint8Array(Buffer.from(rtc.slice(35), 'base64'));
    for (const bit of [0, 7, 8 * 31 + 7]) {
      const copy = body.slice();
      copy[2 + (bit >> 3)] ^= 1 << (bit & 7);
      const flipped = rtc.slice(0, 35) + Buffer.from(copy).toString('base64');
      expect(decodeToken(flipped).signature).not.toEqual(decoded.signature);
      expect(verifyCode(flipped, ok)).toBe('ERR_SIGNATURE_MISMATCH');
    }
  });

  it('is in date while now <= ts; privileges end at their absolute timestamps (0: never)', () => {
    expect(verifyCode(rtc, { ...ok, now: T0 + 86400 })).toBe('accepted');
    expect(verifyCode(rtc, { ...ok, now: T0 + 86401 })).toBe('ERR_TOKEN_EXPIRED');
    expect(verifyCode(rtc, { ...ok, privilege: 'joinChannel' })).toBe('accepted');
    expect(verifyCode(rtc, { ...ok, now: privilegeTs + 1, privilege: 1 })).toBe('ERR_PRIVILEGE_EXPIRED');
    expect(verifyCode(rtc, { ...ok, privilege: 'rtmLogin' })).toBe('ERR_PRIVILEGE_MISSING');
    const rtm = RtmTokenBuilder.buildToken(APP_ID, CERT, 'alice', RtmRole.RTM_USER, 0, AT);
    expect(verifyCode(rtm, { now: T0 + 86400, channelName: 'alice', uid: '', privilege: 1000 })).toBe('accepted');
  });
});
