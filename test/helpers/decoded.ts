import type { DecodedService, DecodedToken } from '../../src/index';

/** Lower-case hex of bytes (test-side, independent of src/bytes/hex). */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const FIELDS = ['channelName', 'uid', 'account', 'userId', 'roomUuid', 'userUuid', 'role', 'permissions'] as const;

/** A decoded service in the golden files' shape: type, privileges, fields; role unsigned. */
export function goldenService(service: DecodedService): Record<string, unknown> {
  const out: Record<string, unknown> = { type: service.type, privileges: { ...service.privileges } };
  for (const name of FIELDS) {
    const value = service[name];
    if (value === undefined) continue;
    out[name] = name === 'role' ? (value as number) & 0xffff : value;
  }
  return out;
}

/** A decoded token in the golden files' `decoded` shape. */
export function goldenShape(decoded: DecodedToken): Record<string, unknown> {
  if (decoded.version === '006') {
    return {
      version: '006', appId: decoded.appId, signatureHex: hex(decoded.signature),
      crcChannelName: decoded.crcChannelName, crcUid: decoded.crcUid, salt: decoded.salt, ts: decoded.ts,
      privileges: { ...decoded.privileges }, messageHex: hex(decoded.message),
    };
  }
  return {
    version: '007', appId: decoded.appId, issueTs: decoded.issueTs, expire: decoded.expire, salt: decoded.salt,
    services: decoded.services.map(goldenService),
    signatureHex: hex(decoded.signature), signingInfoHex: hex(decoded.signingInfo),
  };
}

/** The same certificate with its first hex digit changed: a wrong but well-formed certificate. */
export function otherCertificate(certificate: string): string {
  const first = certificate[0] === '0' ? '1' : '0';
  return first + certificate.slice(1);
}
