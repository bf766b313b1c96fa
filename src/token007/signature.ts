import { HmacKey } from '../crypto/hmac';

const keyBytes = new Uint8Array(4);
const certBytes = new Uint8Array(64);
const k1 = new Uint8Array(32);
const k2 = new Uint8Array(32);

function u32le(value: number): Uint8Array {
  keyBytes[0] = value & 0xff;
  keyBytes[1] = (value >>> 8) & 0xff;
  keyBytes[2] = (value >>> 16) & 0xff;
  keyBytes[3] = (value >>> 24) & 0xff;
  return keyBytes;
}

// The first step depends only on (certificate, issueTs), which repeat within a second on a busy
// server: keep the last one.
let lastCertificate = '';
let lastIssueTs = -1;
const lastK1 = new Uint8Array(32);

/**
 * The AccessToken2 signing key:
 * `HMAC(u32(salt), HMAC(u32(issueTs), appCertificate))`, ready to sign the signingInfo.
 */
export function signingKey(appCertificate: string, issueTs: number, salt: number): HmacKey {
  if (appCertificate !== lastCertificate || issueTs !== lastIssueTs) {
    const n = appCertificate.length;
    // The certificate is validated hex, so its bytes are its char codes.
    for (let i = 0; i < n; i++) certBytes[i] = appCertificate.charCodeAt(i);
    new HmacKey(u32le(issueTs)).sign(certBytes, 0, n, lastK1);
    lastCertificate = appCertificate;
    lastIssueTs = issueTs;
  }
  k1.set(lastK1);
  new HmacKey(u32le(salt)).sign(k1, 0, 32, k2);
  return new HmacKey(k2);
}
