import { describe, expect, it } from 'vitest';
import * as lib from '../src/index';
import {
  AccessToken2, SERVICES, decodeToken, verifyToken,
  type DecodedToken006, type DecodedToken007,
} from '../src/index';
import { goldenService, goldenShape, hex, otherCertificate } from './helpers/decoded';
import { loadGolden, type GoldenVector } from './helpers/golden';
import { isBuilderVector, serviceOf } from './helpers/replay';
import { codeOf } from './helpers/outcome';

const BUILDER_FILES = [
  'accesstoken2-builders.json',
  'accesstoken2-services.json',
  'accesstoken2-convoai-stt.json',
  'accesstoken-006.json',
];
const sources = new Map<string, GoldenVector>();
for (const file of BUILDER_FILES) for (const v of loadGolden(file)) sources.set(v.id, v);

/** The Java reference parses service types 1–8 only and stops at any other. */
const JAVA_PARSES = (type: number): boolean => type >= 1 && type <= 8;

describe('accesstoken2-decode.json: decode and verify every vector', () => {
  const vectors = loadGolden('accesstoken2-decode.json');

  it('has the vectors', () => {
    expect(vectors.length).toBe(231);
  });

  it('strict decoding gives the recorded fields; services past them are ones Java does not parse', () => {
    let extrasSeen = 0;
    for (const v of vectors) {
      const decoded = decodeToken(v.token!) as DecodedToken007;
      const shape = goldenShape(decoded);
      const { services: goldenServices, ...header } = v.decoded;
      const { services: ourServices, ...ourHeader } = shape as { services: unknown[] };
      expect(ourHeader, v.id).toEqual(header);
      expect(ourServices.slice(0, goldenServices.length), v.id).toEqual(goldenServices);

      // Java stops at the first type other than 1–8. We read on through 9 and 10 (ConvoAI, STT),
      // and strict mode ends with an entry for a type nobody knows, holding its bytes.
      const extras = decoded.services.slice(goldenServices.length);
      if (extras.length === 0) continue;
      extrasSeen++;
      const source = sources.get(v.sourceId)!;
      expect(source.kind, v.id).toBe('services.unknownType');
      const sorted = [...source.args!.services].sort((a: any, b: any) => a.type - b.type);
      const expected = sorted.slice(goldenServices.length);
      extras.forEach((service, i) => {
        expect(JAVA_PARSES(service.type), v.id).toBe(false);
        expect(service.type, v.id).toBe(expected[i].type);
        if (SERVICES[service.type]) {
          expect(goldenService(service), v.id).toEqual({ type: expected[i].type, privileges: expected[i].privileges });
        } else {
          expect(i, `${v.id}: the unknown entry is last`).toBe(extras.length - 1);
          expect(service.name).toBe('unknown');
          expect(service.unparsed!.length).toBeGreaterThanOrEqual(2); // at least its privilege count
          expect(hex(decoded.signingInfo).endsWith(hex(service.unparsed!)), v.id).toBe(true);
        }
      });
    }
    expect(extrasSeen).toBeGreaterThan(5);
  });

  it('lenient decoding gives exactly the fields Java recorded (up to the types Java does not parse)', () => {
    for (const v of vectors) {
      const decoded = decodeToken(v.token!, { lenient: true }) as DecodedToken007;
      const shape = goldenShape(decoded) as { services: unknown[] };
      const firstJavaStop = decoded.services.findIndex((s) => !JAVA_PARSES(s.type));
      if (firstJavaStop >= 0) shape.services = shape.services.slice(0, firstJavaStop);
      expect(shape, v.id).toEqual(v.decoded);
      expect(decoded.services.some((s) => s.name === 'unknown'), v.id).toBe(false);
    }
  });

  it('adds what a person reads: names from the service table and absolute expiry times', () => {
    for (const v of vectors) {
      const decoded = decodeToken(v.token!) as DecodedToken007;
      expect(decoded.expiresAt).toBe(decoded.issueTs + decoded.expire);
      for (const service of decoded.services) {
        const spec = SERVICES[service.type];
        if (!spec) continue;
        expect(service.name).toBe(spec.name);
        expect(service.label).toBe(spec.label);
        const ids = Object.keys(service.privileges).map(Number);
        expect(service.privilegeDetails.map((p) => p.id).sort((a, b) => a - b)).toEqual(ids.sort((a, b) => a - b));
        for (const p of service.privilegeDetails) {
          const expire = service.privileges[p.id];
          expect(p.name, v.id).toBe(spec.privileges[p.id]);
          expect(p.expiresAt, v.id).toBe(expire === 0 ? null : decoded.issueTs + expire);
        }
        if (service.type === 7) expect(service.role! >= -0x8000 && service.role! < 0x8000).toBe(true);
      }
    }
    // An RTC token spelled out for a reader.
    const rtc = vectors.find((v) => v.sourceId.startsWith('rtc.uid-'))!;
    const service = (decodeToken(rtc.token!) as DecodedToken007).services[0];
    expect(service.name).toBe('rtc');
    expect(service.privilegeDetails.map((p) => p.name)).toEqual([
      'joinChannel', 'publishAudioStream', 'publishVideoStream', 'publishDataStream',
    ]);
  });

  it('every vector verifies with its certificate inside its validity, and fails with another certificate', () => {
    for (const v of vectors) {
      const { issueTs, expire } = v.decoded;
      for (const now of [issueTs, issueTs + expire]) {
        const decoded = verifyToken(v.token!, v.appCertificate, { now }) as DecodedToken007;
        expect(hex(decoded.signature), v.id).toBe(v.decoded.signatureHex);
      }
      expect(codeOf(() => verifyToken(v.token!, otherCertificate(v.appCertificate), { now: issueTs })), v.id)
        .toBe('ERR_SIGNATURE_MISMATCH');
      expect(codeOf(() => verifyToken(v.token!, v.appCertificate, { now: issueTs + expire + 1 })), v.id)
        .toBe('ERR_TOKEN_EXPIRED');
    }
  });

  it('a decoded token keeps its own bytes: later decodes do not change its signature or signingInfo', () => {
    // Payloads are inflated into a shared buffer; what a result keeps must not be a view of it.
    const strict = vectors.filter((v) => codeOf(() => decodeToken(v.token!)) === 'accepted');
    expect(strict.length).toBeGreaterThan(100);
    const decoded = strict.map((v) => decodeToken(v.token!) as DecodedToken007);
    const verified = strict.map((v) => verifyToken(v.token!, v.appCertificate, { now: v.decoded.issueTs }) as DecodedToken007);
    strict.forEach((v, i) => {
      for (const d of [decoded[i], verified[i]]) {
        expect(hex(d.signature), v.id).toBe(v.decoded.signatureHex);
        expect(hex(d.signingInfo), v.id).toBe(v.decoded.signingInfoHex);
        expect(Object.keys(JSON.parse(JSON.stringify(d))), v.id).toContain('signingInfo');
        expect(d.signature.buffer).not.toBe(decoded[(i + 1) % strict.length].signature.buffer);
        expect(d.signingInfo.buffer).not.toBe(decoded[(i + 1) % strict.length].signingInfo.buffer);
      }
    });
  });
});

/** What the main builders put in the token, from their arguments (spec table "What the reference builders put in a token"). */
const BUILT: Record<string, (a: Record<string, any>) => { expire: number; first: Record<string, unknown> }> = {
  'chat.user': (a) => ({ expire: a.expire, first: { type: 5, userId: a.userId, privileges: { 1: a.expire } } }),
  'chat.app': (a) => ({ expire: a.expire, first: { type: 5, userId: '', privileges: { 2: a.expire } } }),
  'rtc.uid': (a) => ({ expire: a.tokenExpire, first: { type: 1, channelName: a.channelName, uid: a.uid === 0 ? '' : String(a.uid) } }),
  'rtc.account': (a) => ({ expire: a.tokenExpire, first: { type: 1, channelName: a.channelName, uid: a.account } }),
  'rtm.token': (a) => ({ expire: a.expire, first: { type: 2, userId: a.userId, privileges: { 1: a.expire } } }),
  'fpa.token': () => ({ expire: 86400, first: { type: 4, privileges: { 1: 0 } } }),
  'apaas.user': (a) => ({ expire: a.expire, first: { type: 7, roomUuid: '', userUuid: a.userUuid, role: -1, privileges: { 2: a.expire } } }),
  'apaas.app': (a) => ({ expire: a.expire, first: { type: 7, roomUuid: '', userUuid: '', role: -1, privileges: { 3: a.expire } } }),
};

describe('golden builder tokens decode to what was built', () => {
  it.each(BUILDER_FILES.filter((f) => f !== 'accesstoken-006.json'))('%s: decode, re-pack from the decoded fields, get the same token', (file) => {
    const vectors = loadGolden(file).filter((v) => isBuilderVector(v) && v.token && v.kind !== 'chat.user.oversize');
    expect(vectors.length).toBeGreaterThan(100);
    let spotChecked = 0;
    for (const v of vectors) {
      const decoded = decodeToken(v.token!) as DecodedToken007;
      expect(decoded.version).toBe('007');
      expect([decoded.issueTs, decoded.salt, decoded.appId], v.id).toEqual([v.issueTs, v.salt, v.args!.appId]);
      // Re-packing the decoded services with the same header must give the token byte for byte.
      const rebuilt = new AccessToken2(decoded.appId, v.args!.appCertificate, decoded.expire, { issueTs: decoded.issueTs, salt: decoded.salt });
      const known = decoded.services.filter((s) => s.name !== 'unknown');
      for (const service of known) rebuilt.addService(serviceOf(lib, goldenService(service)));
      if (known.length < decoded.services.length) {
        // Strict decoding stopped at a type nobody knows; the rest comes from the vector's arguments.
        expect(v.kind, v.id).toBe('services.unknownType');
        const sorted = [...v.args!.services].sort((a: any, b: any) => a.type - b.type);
        expect(decoded.services[known.length].type, v.id).toBe(sorted[known.length].type);
        for (const s of sorted.slice(known.length)) rebuilt.addService(serviceOf(lib, s));
      }
      expect(rebuilt.build(), v.id).toBe(v.token);
      expect(verifyToken(v.token!, v.args!.appCertificate, { now: decoded.issueTs }).version).toBe('007');

      const built = BUILT[v.kind]?.(v.args!);
      if (built) {
        expect(decoded.expire, v.id).toBe(built.expire);
        expect(decoded.services[0], v.id).toMatchObject(built.first);
        spotChecked++;
      }
      if (v.kind === 'services') {
        const sorted = [...v.args!.services].sort((a: any, b: any) => a.type - b.type);
        expect(decoded.services.map((s) => [s.type, s.privileges]), v.id)
          .toEqual(sorted.map((s: any) => [s.type, Object.fromEntries(Object.entries(s.privileges).map(([k, x]) => [Number(k), x]))]));
      }
      if (v.kind === 'convoai.token' || v.kind === 'stt.token') {
        expect(decoded.services.at(-1)!.name, v.id).toBe(v.kind === 'convoai.token' ? 'convoai' : 'stt');
      }
    }
    if (file === 'accesstoken2-builders.json') expect(spotChecked).toBeGreaterThan(500);
  });

  it('accesstoken-006.json: every 006 builder token decodes to the recorded fields and verifies with its channel and uid', () => {
    const vectors = loadGolden('accesstoken-006.json').filter((v) => isBuilderVector(v) && v.token);
    expect(vectors.length).toBeGreaterThan(150);
    for (const v of vectors) {
      const a = v.args!;
      const decoded = decodeToken(v.token!) as DecodedToken006;
      expect(goldenShape(decoded), v.id).toEqual(v.decoded);
      expect(decoded.expiresAt).toBe(v.ts);
      const [channelName, uid] = v.kind === 'rtm006.token' ? [a.uid, ''] : [a.channelName, v.kind === 'rtc006.uid' ? a.uid : a.account];
      // ts = issueTs + 24 h wraps as a u32, so "now" is taken at ts itself.
      const now = decoded.ts;
      expect(verifyToken(v.token!, a.appCertificate, { now, channelName, uid }).version, v.id).toBe('006');
      if (v.kind === 'rtc006.uid') {
        // The reference signs uids ≥ 2^31 as negative numbers; the string it signed works too.
        verifyToken(v.token!, a.appCertificate, { now, channelName, uid: v.uidString });
      }
      for (const p of decoded.privilegeDetails) expect(p.expiresAt).toBe(a.privilegeTs === 0 ? null : a.privilegeTs);
      expect(codeOf(() => verifyToken(v.token!, otherCertificate(a.appCertificate), { now, channelName, uid })), v.id)
        .toBe('ERR_SIGNATURE_MISMATCH');
    }
  });

  it('chat.user.oversize: strict reads u16 lengths; lenient matches Java, which reads them as signed shorts', () => {
    const vectors = loadGolden('accesstoken2-builders.json').filter((v) => v.kind === 'chat.user.oversize');
    expect(vectors.length).toBe(5);
    // Payloads of 32 KiB to 64 KiB + 94 bytes: over the default cap of 64 KiB for the largest.
    const maxPayloadBytes = 128 * 1024;
    for (const v of vectors) {
      const a = v.args!;
      const userIdBytes = new TextEncoder().encode(a.userId).length;
      const lenient = codeOf(() => decodeToken(v.token!, { lenient: true, maxPayloadBytes }));
      expect(lenient === 'accepted', v.id).toBe(v.javaParse);
      const lenientVerify = codeOf(() => verifyToken(v.token!, a.appCertificate, { lenient: true, now: v.issueTs!, maxPayloadBytes }));
      expect(lenientVerify === 'accepted', v.id).toBe(v.javaVerify);
      if (v.javaDecodedSummary) {
        const decoded = decodeToken(v.token!, { lenient: true, maxPayloadBytes }) as DecodedToken007;
        const userId = decoded.services[0].userId!;
        const summary = v.javaDecodedSummary.services[0].userId;
        expect(userId.length > 64 ? `<${userId.length} chars>` : userId, v.id).toBe(summary);
      }
      if (userIdBytes <= 0xffff) {
        // Lengths up to 65535 fit the u16 prefix: strict mode reads what was built.
        const decoded = verifyToken(v.token!, a.appCertificate, { now: v.issueTs!, maxPayloadBytes }) as DecodedToken007;
        expect(decoded.services[0].userId, v.id).toBe(a.userId);
        const payload = decoded.signingInfo.length + 34;
        expect(codeOf(() => decodeToken(v.token!)), v.id).toBe(payload > 64 * 1024 ? 'ERR_TOKEN_INFLATE_LIMIT' : 'accepted');
      } else {
        // The reference wrapped the length (65536 → 0, 65537 → 1): the user id's bytes are left over.
        expect(codeOf(() => decodeToken(v.token!, { maxPayloadBytes })), v.id).toBe('ERR_TOKEN_TRAILING_BYTES');
      }
    }
  });
});
