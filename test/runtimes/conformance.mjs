/**
 * The conformance subset every runtime runs (see run.mjs): every golden builder vector, every
 * decode vector (007 decode file, 006 builder tokens, the invalid file's parse/verify verdicts),
 * verify on a sample, the default salt, and the compat subpath on a sample. Plain JavaScript with no imports, so Node, Bun, Deno,
 * workerd and a browser page load this same file; each harness hands in the library namespace
 * it loaded and the vectors it read in its own way.
 */

/** The golden files the subset reads (fixtures/golden). */
export const GOLDEN_FILES = [
  'accesstoken2-builders.json',
  'accesstoken2-services.json',
  'accesstoken2-convoai-stt.json',
  'accesstoken-006.json',
  'accesstoken2-decode.json',
  'accesstoken2-invalid.json',
];

/** Every how many decode vectors one is also verified. */
const VERIFY_EVERY = 3;

/**
 * Reads every golden file through `readJson(name)` (sync or async; a parsed file) and returns
 * name → vectors.
 */
export async function loadVectors(readJson) {
  const byFile = {};
  for (const name of GOLDEN_FILES) {
    const file = await readJson(name);
    if (!file || !Array.isArray(file.vectors) || file.vectors.length === 0) throw new Error(`${name}: no vectors`);
    byFile[name] = file.vectors;
  }
  return byFile;
}

export const isBuilderVector = (v) => v.kind !== 'decode' && v.kind !== 'invalid' && v.kind !== 'invalid006';

export function permissionsOf(L, list) {
  if (list === null || list === undefined) return null;
  const permissions = new L.Rtm2Permissions();
  for (const p of list) permissions.add(p.resourceType, p.permissionType, p.resources);
  return permissions;
}

export function serviceOf(L, s) {
  let service;
  switch (s.type) {
    case 1: service = new L.ServiceRtc(s.channelName, s.uid); break;
    case 2: service = new L.ServiceRtm(s.userId); break;
    case 3: service = new L.ServiceStreaming(s.channelName, s.account); break;
    case 4: service = new L.ServiceFpa(); break;
    case 5: service = new L.ServiceChat(s.userId); break;
    case 6: service = new L.ServiceFcdn(s.channelName, s.account); break;
    case 7: service = new L.ServiceApaas(s.roomUuid, s.userUuid, s.role); break;
    case 8: service = new L.ServiceRtm2(s.userId, permissionsOf(L, s.permissions)); break;
    case 9: service = new L.ServiceConvoAI(); break;
    case 10: service = new L.ServiceStt(); break;
    default: service = new L.Service(s.type);
  }
  for (const [id, expire] of Object.entries(s.privileges)) service.addPrivilege(Number(id), expire);
  return service;
}

/** Replays one builder vector through the public API of `L`; throws what the library throws. */
export function replay(L, v) {
  const a = v.args;
  const o = { issueTs: v.issueTs ?? undefined, salt: v.salt ?? undefined };
  const privilegeArgs = [a.joinChannelPrivilegeExpire, a.pubAudioPrivilegeExpire, a.pubVideoPrivilegeExpire, a.pubDataStreamPrivilegeExpire];
  const rtm2Args = [a.appId, a.appCertificate, a.channelName, a.rtcAccount, a.rtcRole, a.rtcTokenExpire, ...privilegeArgs, a.rtmUserId, a.rtmTokenExpire, o];
  switch (v.kind) {
    case 'chat.user':
    case 'chat.user.oversize': return L.ChatTokenBuilder2.buildUserToken(a.appId, a.appCertificate, a.userId, a.expire, o);
    case 'chat.app': return L.ChatTokenBuilder2.buildAppToken(a.appId, a.appCertificate, a.expire, o);
    case 'rtc.uid': return L.RtcTokenBuilder2.buildTokenWithUid(a.appId, a.appCertificate, a.channelName, a.uid, a.role, a.tokenExpire, a.privilegeExpire, o);
    case 'rtc.account': return L.RtcTokenBuilder2.buildTokenWithUserAccount(a.appId, a.appCertificate, a.channelName, a.account, a.role, a.tokenExpire, a.privilegeExpire, o);
    case 'rtc.uidPrivilege': return L.RtcTokenBuilder2.buildTokenWithUidAndPrivilege(a.appId, a.appCertificate, a.channelName, a.uid, a.tokenExpire, ...privilegeArgs, o);
    case 'rtc.accountPrivilege': return L.RtcTokenBuilder2.buildTokenWithUserAccountAndPrivilege(a.appId, a.appCertificate, a.channelName, a.account, a.tokenExpire, ...privilegeArgs, o);
    case 'rtc.rtm': return L.RtcTokenBuilder2.buildTokenWithRtm(a.appId, a.appCertificate, a.channelName, a.account, a.role, a.tokenExpire, a.privilegeExpire, o);
    case 'rtc.rtm2': return L.RtcTokenBuilder2.buildTokenWithRtm2(...rtm2Args);
    case 'convoai.token': return L.ConvoAITokenBuilder.buildToken(...rtm2Args);
    case 'stt.token': return L.SttTokenBuilder.buildToken(...rtm2Args);
    case 'rtm.token': return L.RtmTokenBuilder2.buildToken(a.appId, a.appCertificate, a.userId, a.expire, o);
    case 'rtm.permissions': return L.RtmTokenBuilder2.buildTokenWithPermissions(a.appId, a.appCertificate, a.userId, permissionsOf(L, a.permissions), a.expire, o);
    case 'fpa.token': return L.FpaTokenBuilder.buildToken(a.appId, a.appCertificate, o);
    case 'apaas.roomUser': return L.ApaasTokenBuilder.buildRoomUserToken(a.appId, a.appCertificate, a.roomUuid, a.userUuid, a.role, a.expire, o);
    case 'apaas.user': return L.ApaasTokenBuilder.buildUserToken(a.appId, a.appCertificate, a.userUuid, a.expire, o);
    case 'apaas.app': return L.ApaasTokenBuilder.buildAppToken(a.appId, a.appCertificate, a.expire, o);
    case 'education.roomUser': return L.EducationTokenBuilder2.buildRoomUserToken(a.appId, a.appCertificate, a.roomUuid, a.userUuid, a.role, a.expire, o);
    case 'education.user': return L.EducationTokenBuilder2.buildUserToken(a.appId, a.appCertificate, a.userUuid, a.expire, o);
    case 'education.app': return L.EducationTokenBuilder2.buildAppToken(a.appId, a.appCertificate, a.expire, o);
    case 'services':
    case 'services.unknownType': {
      const token = new L.AccessToken2(a.appId, a.appCertificate, a.expire, o);
      for (const s of a.services) token.addService(serviceOf(L, s));
      return token.build();
    }
    case 'rtc006.uid': return L.RtcTokenBuilder.buildTokenWithUid(a.appId, a.appCertificate, a.channelName, a.uid, a.role, a.privilegeTs, o);
    case 'rtc006.account': return L.RtcTokenBuilder.buildTokenWithUserAccount(a.appId, a.appCertificate, a.channelName, a.account, a.role, a.privilegeTs, o);
    case 'rtm006.token': return L.RtmTokenBuilder.buildToken(a.appId, a.appCertificate, a.uid, a.role, a.privilegeTs, o);
    default: throw new Error(`no replay for kind ${v.kind}`);
  }
}

const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/** JSON with object keys sorted, for comparing decoded shapes whatever their key order. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const SERVICE_FIELDS = ['channelName', 'uid', 'account', 'userId', 'roomUuid', 'userUuid', 'role', 'permissions'];

/** A decoded token in the golden files' `decoded` shape (APaaS role unsigned, bytes as hex). */
function goldenShape(d) {
  if (d.version === '006') {
    return {
      version: '006', appId: d.appId, signatureHex: hex(d.signature), crcChannelName: d.crcChannelName,
      crcUid: d.crcUid, salt: d.salt, ts: d.ts, privileges: { ...d.privileges }, messageHex: hex(d.message),
    };
  }
  const services = d.services.map((s) => {
    const out = { type: s.type, privileges: { ...s.privileges } };
    for (const name of SERVICE_FIELDS) {
      if (s[name] !== undefined) out[name] = name === 'role' ? s[name] & 0xffff : s[name];
    }
    return out;
  });
  return {
    version: '007', appId: d.appId, issueTs: d.issueTs, expire: d.expire, salt: d.salt, services,
    signatureHex: hex(d.signature), signingInfoHex: hex(d.signingInfo),
  };
}

/** The Java reference parses service types 1–8 and stops silently at any other. */
const javaServices = (shape) => {
  const stop = shape.services.findIndex((s) => s.type < 1 || s.type > 8);
  return stop < 0 ? shape : { ...shape, services: shape.services.slice(0, stop) };
};

/** The same certificate with its first hex digit changed: well-formed, but wrong. */
const otherCertificate = (c) => (c[0] === '0' ? '1' : '0') + c.slice(1);

/**
 * Runs the subset against `L` (the library namespace as the runtime loaded it).
 * `options.randomSource`: `'present'` (crypto.getRandomValues exists: a build without a salt
 * must work) or `'absent'` (Node 18: it must throw TokenError ERR_NO_RANDOM_SOURCE).
 * `options.compat`: the `agora-access-token2/compat` namespace, where the harness can load it
 * (the browser build is the main entry only).
 * Returns `{ passed, failed, failures }`; never throws for a failing case.
 */
export function runConformance(L, vectorsByFile, options = {}) {
  let passed = 0;
  const failures = [];
  const check = (id, fn) => {
    try {
      const problem = fn();
      if (problem) failures.push(`${id}: ${problem}`);
      else passed++;
    } catch (err) {
      failures.push(`${id}: threw ${err && err.stack ? err.stack.split('\n').slice(0, 3).join(' | ') : String(err)}`);
    }
  };
  /** The TokenError code `fn` threw, 'accepted', or a description of a foreign error. */
  const outcome = (fn) => {
    try {
      fn();
      return 'accepted';
    } catch (err) {
      return err instanceof L.TokenError ? err.code : `not a TokenError: ${String(err)}`;
    }
  };
  const expectCode = (what, got, want) => (got === want ? undefined : `${what}: expected ${want}, got ${got}`);

  // Every golden builder vector: the same token byte for byte, or a TokenError where the
  // reference returns "" (and for user ids over the u16 length prefix, which the reference wraps).
  for (const file of GOLDEN_FILES.slice(0, 4)) {
    for (const v of vectorsByFile[file].filter(isBuilderVector)) {
      check(v.id, () => {
        const overU16 = v.kind === 'chat.user.oversize' && new TextEncoder().encode(v.args.userId).length > 0xffff;
        if (overU16) return expectCode('oversize user id', outcome(() => replay(L, v)), 'ERR_STRING_TOO_LONG');
        if (v.token === '') {
          const got = outcome(() => replay(L, v));
          return got.startsWith('ERR_') ? undefined : `reference returned "", we got ${got}`;
        }
        const token = replay(L, v);
        return token === v.token ? undefined : 'token differs';
      });
    }
  }

  // Every 007 decode vector: lenient decoding gives exactly what Java recorded; strict decoding
  // gives the same header; a sample also verifies (in date, wrong certificate, expired).
  vectorsByFile['accesstoken2-decode.json'].forEach((v, i) => {
    check(v.id, () => {
      const lenient = canonical(javaServices(goldenShape(L.decodeToken(v.token, { lenient: true }))));
      if (lenient !== canonical(v.decoded)) return 'lenient decode differs from the recorded fields';
      const { services: _strictServices, ...strictHeader } = goldenShape(L.decodeToken(v.token));
      const { services: _services, ...header } = v.decoded;
      return canonical(strictHeader) === canonical(header) ? undefined : 'strict decode header differs';
    });
    if (i % VERIFY_EVERY !== 0) return;
    check(`verify:${v.id}`, () => {
      const { issueTs, expire } = v.decoded;
      const verified = L.verifyToken(v.token, v.appCertificate, { now: issueTs + expire });
      if (hex(verified.signature) !== v.decoded.signatureHex) return 'verified signature differs';
      return expectCode('wrong certificate', outcome(() => L.verifyToken(v.token, otherCertificate(v.appCertificate), { now: issueTs })), 'ERR_SIGNATURE_MISMATCH')
        ?? expectCode('expired', outcome(() => L.verifyToken(v.token, v.appCertificate, { now: issueTs + expire + 1 })), 'ERR_TOKEN_EXPIRED');
    });
  });

  // Every 006 builder token decodes to the recorded fields; a sample verifies with its channel and uid.
  vectorsByFile['accesstoken-006.json'].filter((v) => isBuilderVector(v) && v.token).forEach((v, i) => {
    check(`decode:${v.id}`, () => (canonical(goldenShape(L.decodeToken(v.token))) === canonical(v.decoded) ? undefined : 'decoded fields differ'));
    if (i % VERIFY_EVERY !== 0) return;
    check(`verify:${v.id}`, () => {
      const a = v.args;
      const [channelName, uid] = v.kind === 'rtm006.token' ? [a.uid, ''] : [a.channelName, v.kind === 'rtc006.uid' ? a.uid : a.account];
      const now = v.decoded.ts;
      return expectCode('in date', outcome(() => L.verifyToken(v.token, a.appCertificate, { now, channelName, uid })), 'accepted')
        ?? expectCode('wrong certificate', outcome(() => L.verifyToken(v.token, otherCertificate(a.appCertificate), { now, channelName, uid })), 'ERR_SIGNATURE_MISMATCH');
    });
  });

  // Every invalid/edge vector: lenient mode gives Java's parse and verify verdicts.
  for (const v of vectorsByFile['accesstoken2-invalid.json']) {
    check(v.id, () => {
      let issueTs = 0;
      const parse = outcome(() => { issueTs = L.decodeToken(v.token, { lenient: true }).issueTs; });
      if (parse !== 'accepted' && !parse.startsWith('ERR_')) return parse;
      const verify = parse === 'accepted' ? outcome(() => L.verifyToken(v.token, v.appCertificate, { lenient: true, now: issueTs })) : 'not parsed';
      if (verify !== 'accepted' && verify !== 'not parsed' && !verify.startsWith('ERR_')) return verify;
      const ours = `${parse === 'accepted'}/${verify === 'accepted'}`;
      return ours === `${v.parse}/${v.verify}` ? undefined : `Java parse/verify ${v.parse}/${v.verify}, lenient ${ours}`;
    });
  }

  // The compat subpath (where the harness loaded it): agora-token's call shapes give the golden
  // tokens, and it shares the main entry's TokenError (one module instance, no dual-package split).
  if (options.compat) {
    const C = options.compat;
    check('compat: TokenError is the main entry\'s', () => (C.TokenError === L.TokenError ? undefined : 'two TokenError classes'));
    const compatCalls = {
      'rtc.uid': (a, o) => C.RtcTokenBuilder.buildTokenWithUid(a.appId, a.appCertificate, a.channelName, a.uid, a.role, a.tokenExpire, a.privilegeExpire, o),
      'rtc.accountPrivilege': (a, o) => C.RtcTokenBuilder.BuildTokenWithUserAccountAndPrivilege(a.appId, a.appCertificate, a.channelName, a.account, a.tokenExpire, a.joinChannelPrivilegeExpire, a.pubAudioPrivilegeExpire, a.pubVideoPrivilegeExpire, a.pubDataStreamPrivilegeExpire, o),
      'chat.user': (a, o) => C.ChatTokenBuilder.buildUserToken(a.appId, a.appCertificate, a.userId, a.expire, o),
      'rtm.token': (a, o) => C.RtmTokenBuilder.buildToken(a.appId, a.appCertificate, a.userId, a.expire, o),
    };
    for (const v of vectorsByFile['accesstoken2-builders.json']) {
      const call = compatCalls[v.kind];
      if (!call || !v.token) continue;
      check(`compat:${v.id}`, () => (call(v.args, { issueTs: v.issueTs, salt: v.salt }) === v.token ? undefined : 'token differs'));
    }
  }

  // The default salt comes from crypto.getRandomValues, in the references' range 1 … 99,999,999,
  // or the build says why it cannot.
  check(`default salt (random source ${options.randomSource})`, () => {
    const args = ['970CA35de60c44645bbae8a215061b33', '5CFd2fd1755d40ecb72977518be15d3b', 'alice', 600];
    if (options.randomSource === 'absent') {
      return expectCode('build without salt', outcome(() => L.ChatTokenBuilder2.buildUserToken(...args)), 'ERR_NO_RANDOM_SOURCE')
        ?? expectCode('build with salt', outcome(() => L.ChatTokenBuilder2.buildUserToken(...args, { salt: 1 })), 'accepted');
    }
    if (options.randomSource !== 'present') return `unknown randomSource ${options.randomSource}`;
    const salts = Array.from({ length: 64 }, () => L.decodeToken(L.ChatTokenBuilder2.buildUserToken(...args)).salt);
    if (!salts.every((s) => Number.isInteger(s) && s >= 1 && s <= 99_999_999)) return `salts ${salts} are not all in 1 … 99,999,999`;
    return new Set(salts).size > 60 ? undefined : 'builds got repeated salts';
  });

  return { passed, failed: failures.length, failures };
}

/** The one line each runtime prints. */
export const summaryLine = (runtime, { passed, failed }) => `${runtime}: ${passed} passed, ${failed} failed`;
