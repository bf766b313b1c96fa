import CRC32 from 'crc-32';
import { base64Encode } from '../bytes/base64';
import { utf8Encode } from '../bytes/utf8';
import { ByteWriter } from '../bytes/writer';
import { HmacKey } from '../crypto/hmac';
import { resolveBuildOptions, type BuildOptions } from '../args/options';
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
  /** Privilege id → absolute expiry timestamp (0 = none). */
  readonly privileges: ReadonlyMap<number, number>;
}

/** CRC-32 (IEEE) of a string's UTF-8 bytes, unsigned. */
export function crc32OfString(text: string): number {
  return CRC32.buf(utf8Encode(text)) >>> 0;
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
  const keyBytes = ascii(certificate);
  const key = new HmacKey(keyBytes);
  keyBytes.fill(0);
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

/** Packs and signs a 006 token: `"006" + appId + base64(content)`. */
export function packToken006(content: Token006Content): string {
  const message = new ByteWriter(64);
  message.u32(content.salt).u32(content.ts).u16(content.privileges.size);
  for (const id of [...content.privileges.keys()].sort((a, b) => a - b)) {
    message.u16(id).u32(content.privileges.get(id)!);
  }
  const messageBytes = message.view();

  const channelBytes = utf8Encode(content.channelName);
  const uidBytes = utf8Encode(content.uid);
  const signature = new Uint8Array(32);
  sign006(content.appCertificate, content.appId, channelBytes, uidBytes, messageBytes, signature);

  const packed = new ByteWriter(128)
    .bytes(signature)
    .u32(CRC32.buf(channelBytes) >>> 0)
    .u32(CRC32.buf(uidBytes) >>> 0)
    .bytes(messageBytes)
    .view();
  return VERSION_006 + content.appId + base64Encode(packed);
}

const ONE_DAY = 24 * 3600;

/**
 * Builds a 006 token from validated arguments: salt and issue time from the options, and the
 * message expiry the reference uses, the issue time plus a day (wrapping as a u32).
 */
export function buildToken006(
  appId: string, appCertificate: string, channelName: string, uid: string,
  privileges: ReadonlyMap<number, number>, options: BuildOptions | undefined,
): string {
  const { issueTs, salt } = resolveBuildOptions(options);
  const ts = (issueTs + ONE_DAY) >>> 0;
  return packToken006({ appId, appCertificate, channelName, uid, salt, ts, privileges });
}
