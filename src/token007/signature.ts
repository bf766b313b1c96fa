import { HmacKey, zero } from '../crypto/hmac';

/** The key bytes u32le(value), as the big-endian word HmacKey.setKeyWord takes. */
function u32leWord(value: number): number {
  return ((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24);
}

/**
 * The AccessToken2 signing chain for one certificate:
 * `key = HMAC(u32(salt), HMAC(u32(issueTs), appCertificate))`, then `signature = HMAC(key, signingInfo)`.
 * The certificate (32 ASCII characters) is the message of the first step, 32 bytes, so it is
 * kept as the 8 big-endian words HmacKey.signWords takes: no byte array ever holds it.
 *
 * Owned by whoever made it: the one-call functions use one scratch instance that keeps no first
 * step, rekeyed on every call and wiped (certificate words included) before the call returns; a {@link TokenSigner} made for one app (`createTokenMaker`, `createTokenVerifier`)
 * keeps the certificate words and, with `keepFirstStep`, the first step for the last issue time
 * (a server issues many tokens within one second), until `wipe()`.
 */
export class TokenSigner {
  private readonly certificateWords = new Int32Array(8);
  private readonly step = new HmacKey();
  private readonly key = new HmacKey();
  /** HMAC(u32(firstStepIssueTs), certificate), as words. */
  private readonly firstStep = new Int32Array(8);
  private firstStepIssueTs = -1;
  private readonly secondStep = new Int32Array(8);

  constructor(private readonly keepFirstStep: boolean) {}

  /** Sets the certificate (validated 32 hex characters); forgets any kept first step. */
  setCertificate(appCertificate: string): this {
    const words = this.certificateWords;
    for (let i = 0; i < 8; i++) {
      const at = i * 4;
      words[i] = (appCertificate.charCodeAt(at) << 24) | (appCertificate.charCodeAt(at + 1) << 16)
        | (appCertificate.charCodeAt(at + 2) << 8) | appCertificate.charCodeAt(at + 3);
    }
    this.firstStepIssueTs = -1;
    return this;
  }

  /** MAC of `data[start, end)` under the token key for (issueTs, salt), into `out` at `outOffset`. */
  sign(issueTs: number, salt: number, data: Uint8Array, start: number, end: number, out: Uint8Array, outOffset = 0): void {
    this.keyFor(issueTs, salt);
    this.key.sign(data, start, end, out, outOffset);
    this.forgetCall();
  }

  /**
   * True when `signature[sigOffset, +32)` is the MAC of `data[start, end)` for (issueTs, salt),
   * compared in constant time; the expected MAC never leaves the HMAC scratch (zeroed after).
   */
  matches(issueTs: number, salt: number, data: Uint8Array, start: number, end: number, signature: Uint8Array, sigOffset = 0): boolean {
    this.keyFor(issueTs, salt);
    const same = this.key.verify(data, start, end, signature, sigOffset);
    this.forgetCall();
    return same;
  }

  /** Keys `this.key` for (issueTs, salt): the chain's first two steps. */
  private keyFor(issueTs: number, salt: number): void {
    if (!this.keepFirstStep || issueTs !== this.firstStepIssueTs) {
      this.step.setKeyWord(u32leWord(issueTs)).signWords(this.certificateWords, this.firstStep);
      this.firstStepIssueTs = this.keepFirstStep ? issueTs : -1;
    }
    // The intermediate keys stay SHA-256 words: no digest goes to bytes and back.
    this.step.setKeyWord(u32leWord(salt)).signWords(this.firstStep, this.secondStep);
    this.key.setKeyWords(this.secondStep);
  }

  /**
   * Zeroes what one call derived: the HMAC states and the second step; a signer that keeps no
   * first step (the one-call scratch) also zeroes the first step and the certificate words.
   */
  private forgetCall(): void {
    this.step.wipe();
    this.key.wipe();
    zero(this.secondStep, 8);
    if (!this.keepFirstStep) {
      zero(this.firstStep, 8);
      zero(this.certificateWords, 8);
    }
  }

  /** Zeroes everything the signer holds: the certificate, the kept step, the HMAC states. */
  wipe(): void {
    zero(this.certificateWords, 8);
    zero(this.firstStep, 8);
    this.firstStepIssueTs = -1;
    zero(this.secondStep, 8);
    this.step.wipe();
    this.key.wipe();
  }
}

/**
 * Scratch (listed in test/module-state.test.ts) for the one-call functions: set, used and wiped
 * within one {@link signOnce} call, so nothing of the certificate outlives the call.
 */
const scratchSigner = new TokenSigner(false);

/**
 * Signs `data[start, end)` with the 007 key of (appCertificate, issueTs, salt), into `out` at
 * `outOffset`, keeping nothing: the path of the one-call builders and `verifyToken`.
 */
export function signOnce(
  appCertificate: string, issueTs: number, salt: number, data: Uint8Array, start: number, end: number,
  out: Uint8Array, outOffset = 0,
): void {
  // sign() zeroes everything this signer derived and the certificate words (it keeps no first
  // step). Arguments are validated, so nothing here throws.
  scratchSigner.setCertificate(appCertificate).sign(issueTs, salt, data, start, end, out, outOffset);
}

/** {@link TokenSigner.matches} with the certificate given, keeping nothing: `verifyToken`'s path. */
export function matchesOnce(
  appCertificate: string, issueTs: number, salt: number, data: Uint8Array, start: number, end: number,
  signature: Uint8Array, sigOffset = 0,
): boolean {
  return scratchSigner.setCertificate(appCertificate).matches(issueTs, salt, data, start, end, signature, sigOffset);
}

/** The one-call signer, for the test that checks it holds no secret after a call. @internal */
export const signatureScratch: readonly TokenSigner[] = [scratchSigner];
