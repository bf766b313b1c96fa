import { HmacKey } from '../crypto/hmac';

const certBytes = new Uint8Array(64);

/** The key bytes u32le(value), as the big-endian word HmacKey.setKeyWord takes. */
function u32leWord(value: number): number {
  return ((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24);
}

// The first step depends only on (certificate, issueTs), which repeat within a second on a busy
// server: keep the last one.
let lastCertificate = '';
let lastIssueTs = -1;
/** HMAC(u32(lastIssueTs), lastCertificate), as SHA-256 words. */
const lastK1 = new Int32Array(8);
const k2 = new Int32Array(8);

// Re-keyed in place on every call: a token build allocates no HMAC state.
const stepKey = new HmacKey();
const tokenKey = new HmacKey();

/**
 * The AccessToken2 signing key:
 * `HMAC(u32(salt), HMAC(u32(issueTs), appCertificate))`, ready to sign the signingInfo.
 * The returned key is shared and valid until the next call: sign with it right away.
 */
export function signingKey(appCertificate: string, issueTs: number, salt: number): HmacKey {
  if (appCertificate !== lastCertificate || issueTs !== lastIssueTs) {
    const n = appCertificate.length;
    // The certificate is validated hex, so its bytes are its char codes.
    for (let i = 0; i < n; i++) certBytes[i] = appCertificate.charCodeAt(i);
    stepKey.setKeyWord(u32leWord(issueTs)).signToWords(certBytes, 0, n, lastK1);
    lastCertificate = appCertificate;
    lastIssueTs = issueTs;
  }
  // The intermediate keys stay SHA-256 words: no digest goes to bytes and back.
  stepKey.setKeyWord(u32leWord(salt)).signWords(lastK1, k2);
  return tokenKey.setKeyWords(k2);
}
