import { base64Encode } from '../bytes/base64';
import { utf8Encode } from '../bytes/utf8';
import { ByteWriter } from '../bytes/writer';
import { HmacKey } from '../crypto/hmac';
import { resolveBuildOptions, type BuildOptions } from '../args/options';
import { crc32 } from './crc32';
import { privilegeNames, type CamelCase } from '../token007/services';

/** The legacy AccessToken version prefix. */
export const VERSION_006 = '006';

/** 006 privilege ids. */
export const Privileges006 = {
  JOIN_CHANNEL: 1,
  PUBLISH_AUDIO_STREAM: 2,
  PUBLISH_VIDEO_STREAM: 3,
  PUBLISH_DATA_STREAM: 4,
  RTM_LOGIN: 1000,
} as const;

/** A 006 privilege name: `'joinChannel'` … `'rtmLogin'` (camelCase of {@link Privileges006}'s keys). */
export type PrivilegeName006 = CamelCase<keyof typeof Privileges006>;

/** Privilege id → name, for reading 006 tokens, derived from {@link Privileges006}. */
export const PRIVILEGE_NAMES_006: Readonly<Record<number, string>> = privilegeNames(Privileges006);

/** Everything a 006 token signs. Arguments are already validated. */
export interface Token006Content {
  readonly appId: string;
  readonly appCertificate: string;
  readonly channelName: string;
  /** The uid as the string that is signed (`""` for uid 0). */
  readonly uid: string;
  readonly salt: number;
  /** The message's own expiry timestamp (absolute). */
  readonly ts: number;
  /** Privilege ids, ascending (wire order); each expires at `privilegeTs`. */
  readonly privilegeIds: readonly number[];
  /** The absolute expiry timestamp of every privilege (0 = none). */
  readonly privilegeTs: number;
}

/** CRC-32 (IEEE) of a string's UTF-8 bytes, unsigned. */
export function crc32OfString(text: string): number {
  return crc32(utf8Encode(text));
}

const ascii = (text: string): Uint8Array => utf8Encode(text);

/**
 * The 006 signature, `HMAC-SHA256(key = appCertificate, appId + channelName + uid + message)`,
 * written to `out` (32 bytes). Shared by the packer and the verifier. The key is the
 * certificate (keyed for this call and wiped) or an HMAC key an app verifier keeps for it.
 */
export function sign006(
  certificate: string | HmacKey, appId: string, channelName: Uint8Array, uid: Uint8Array, message: Uint8Array,
  out: Uint8Array,
): void {
  const signed = new ByteWriter(128).raw(ascii(appId)).raw(channelName).raw(uid).raw(message).view();
  if (typeof certificate !== 'string') {
    certificate.sign(signed, 0, signed.length, out);
    return;
  }
  const key = new HmacKey().setKeyAscii(certificate);
  key.sign(signed, 0, signed.length, out);
  key.wipe();
}

/**
 * The uid string a numeric 006 uid is signed as: `""` for 0, otherwise its signed 32-bit
 * decimal, as Java's `String.valueOf(int)` (4294967295 → "-1").
 */
export function uidString006(uid: number): string {
  return uid === 0 ? '' : String(uid | 0);
}

/**
 * Scratch (listed in test/module-state.test.ts): the one-call 006 packer's writer. It holds
 * only public bytes (the signed text — app ID, channel, uid, message — then the token); the
 * certificate never goes through it. Each build starts by resetting it.
 */
const scratch006 = new ByteWriter(512);
/** Scratch (listed in test/module-state.test.ts): the 006 HMAC key, keyed and wiped within one build. */
const key006 = new HmacKey();

/** The 006 message: salt, ts, then the privileges (id → expiry) in id order. */
function writeMessage(w: ByteWriter, content: Token006Content): void {
  const ids = content.privilegeIds;
  w.u32(content.salt).u32(content.ts).u16(ids.length);
  for (let i = 0; i < ids.length; i++) w.u16(ids[i]).u32(content.privilegeTs);
}

/**
 * Packs and signs a 006 token: `"006" + appId + base64(content)`. Everything is written into
 * one scratch writer — the signed text, then the token after it — and the HMAC key is made
 * from the certificate's characters in a scratch key (wiped after), so a build allocates
 * little more than the string.
 */
export function packToken006(content: Token006Content): string {
  const w = scratch006.reset();
  // The signed text: appId + channelName + uid + message.
  w.text(content.appId);
  const channelStart = w.position;
  w.text(content.channelName);
  const uidStart = w.position;
  w.text(content.uid);
  const messageStart = w.position;
  writeMessage(w, content);
  const signedEnd = w.position;
  // The token: u16 32 + signature, CRCs of the channel and the uid, u16-prefixed message.
  w.u16(32);
  const signatureAt = w.position;
  w.u32(0).u32(0).u32(0).u32(0).u32(0).u32(0).u32(0).u32(0);
  const buffer = w.backing;
  w.u32(crc32(buffer, channelStart, uidStart)).u32(crc32(buffer, uidStart, messageStart)).u16(signedEnd - messageStart);
  writeMessage(w, content);
  const end = w.position;
  const bytes = w.backing; // the writes above may have moved the bytes to a larger buffer
  key006.setKeyAscii(content.appCertificate).sign(bytes, 0, signedEnd, bytes, signatureAt);
  key006.wipe();
  return VERSION_006 + content.appId + base64Encode(bytes, signedEnd, end);
}

/** The 006 packer's writer, for the test that checks it holds no secret after a call. @internal */
export const pack006Scratch: readonly unknown[] = [scratch006, key006];

const ONE_DAY = 24 * 3600;

/**
 * Builds a 006 token from validated arguments: salt and issue time from the options, and the
 * message expiry the reference uses, the issue time plus a day (wrapping as a u32).
 */
export function buildToken006(
  appId: string, appCertificate: string, channelName: string, uid: string,
  privilegeIds: readonly number[], privilegeTs: number, options: BuildOptions | undefined,
): string {
  const { issueTs, salt } = resolveBuildOptions(options);
  const ts = (issueTs + ONE_DAY) >>> 0;
  return packToken006({ appId, appCertificate, channelName, uid, salt, ts, privilegeIds, privilegeTs });
}
