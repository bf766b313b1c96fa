/*
 * Hostile-input oracle and mutators shared by test/hostile.test.ts (property tests at CI size)
 * and bench/fuzz.ts (≥ 1,000,000 cases): golden tokens as seeds, mutations of the token text
 * and of the decompressed payload, and a check that every call either succeeds or throws a
 * TokenError, and that nothing verifies whose signed bytes changed.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { TokenError, decodeToken, verifyToken, type DecodedToken } from '../../src/index';
import { loadGolden } from '../helpers/golden';
import type { Rng } from './deflate-payloads';

/** A valid golden token and what verifies it. */
export interface Seed {
  readonly id: string;
  readonly token: string;
  readonly certificate: string;
  /** 006 only: the channel name and uid the signature covers. */
  readonly channelName?: string;
  readonly uid?: string | number;
  /** The decompressed (007) or base64-decoded (006) payload. */
  readonly payload: Uint8Array;
  /** What the signature covers besides the options: signingInfo (007), appId + message (006). */
  readonly signed: string;
  readonly signatureHex: string;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');

function signedPart(decoded: DecodedToken): string {
  return decoded.version === '007' ? hex(decoded.signingInfo) : `${decoded.appId}:${hex(decoded.message)}`;
}

/** Every golden token that verifies (007 and 006), with its certificate; oversize user ids left out. */
export function loadSeeds(): Seed[] {
  const seeds: Seed[] = [];
  const files = ['accesstoken2-decode.json', 'accesstoken2-builders.json', 'accesstoken2-services.json', 'accesstoken2-convoai-stt.json', 'accesstoken-006.json'];
  for (const file of files) {
    for (const v of loadGolden(file)) {
      if (!v.token || v.kind === 'chat.user.oversize' || v.kind === 'invalid006') continue;
      const certificate: string = v.appCertificate ?? v.args!.appCertificate;
      let channelName: string | undefined;
      let uid: string | number | undefined;
      if (v.kind === 'rtm006.token') [channelName, uid] = [v.args!.uid, ''];
      else if (v.kind.startsWith('rtc006.')) [channelName, uid] = [v.args!.channelName, v.kind === 'rtc006.uid' ? v.args!.uid : v.args!.account];
      const decoded = decodeToken(v.token);
      const body = Buffer.from(v.token.slice(decoded.version === '007' ? 3 : 35), 'base64');
      const payload = new Uint8Array(decoded.version === '007' ? inflateSync(body) : body);
      seeds.push({
        id: v.id, token: v.token, certificate, channelName, uid, payload,
        signed: signedPart(decoded), signatureHex: hex(decoded.signature),
      });
    }
  }
  return seeds;
}

/** A token from a (mutated) payload, packed as the seed's version packs it. */
export function packPayload(seed: Seed, payload: Uint8Array, level = 6): string {
  return seed.token.startsWith('007')
    ? `007${deflateSync(payload, { level }).toString('base64')}`
    : seed.token.slice(0, 35) + Buffer.from(payload).toString('base64');
}

const int = (rng: Rng, n: number): number => rng() % n;
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';
const ODD_CHARS = ['-', '_', '!', ' ', '\n', '=', 'é', '\u0000', '\ud800', '😀', '*'];
const BOUNDARY_U16 = [0, 1, 2, 31, 32, 33, 0x7fff, 0x8000, 0x8001, 0xfffe, 0xffff];

function randomChar(rng: Rng): string {
  const r = int(rng, 10);
  if (r < 6) return BASE64[int(rng, BASE64.length)];
  if (r < 8) return ODD_CHARS[int(rng, ODD_CHARS.length)];
  return String.fromCharCode(int(rng, 0x10000));
}

/** One random edit of the token text: bit flip, substitution, insertion, deletion, truncation or a slice repeated. */
export function mutateText(rng: Rng, token: string): string {
  const n = token.length;
  const at = int(rng, n + 1);
  switch (int(rng, 7)) {
    case 0: { // flip one bit of one character
      const i = int(rng, n);
      return token.slice(0, i) + String.fromCharCode(token.charCodeAt(i) ^ (1 << int(rng, 7))) + token.slice(i + 1);
    }
    case 1: { // replace one character
      const i = int(rng, n);
      return token.slice(0, i) + randomChar(rng) + token.slice(i + 1);
    }
    case 2: // insert 1–4 characters
      return token.slice(0, at) + Array.from({ length: 1 + int(rng, 4) }, () => randomChar(rng)).join('') + token.slice(at);
    case 3: // delete 1–4 characters
      return token.slice(0, at) + token.slice(at + 1 + int(rng, 4));
    case 4: // truncate
      return token.slice(0, at);
    case 5: { // repeat a slice
      const len = 1 + int(rng, 16);
      return token.slice(0, at) + token.slice(at, at + len) + token.slice(at);
    }
    default: { // several flips at once
      let out = token;
      for (let k = 0; k < 2 + int(rng, 4); k++) out = mutateText(rng, out);
      return out;
    }
  }
}

/** One random edit of the payload bytes (before compression), e.g. a count set to 0x8000. */
export function mutatePayload(rng: Rng, payload: Uint8Array): Uint8Array {
  const n = payload.length;
  const at = int(rng, n + 1);
  switch (int(rng, 6)) {
    case 0: { // flip a bit
      const out = payload.slice();
      if (n > 0) out[int(rng, n)] ^= 1 << int(rng, 8);
      return out;
    }
    case 1: { // a u16 (length, count, type, id) set to a boundary value
      const out = payload.slice();
      if (n < 2) return out;
      const i = int(rng, n - 1);
      const v = BOUNDARY_U16[int(rng, BOUNDARY_U16.length)];
      out[i] = v & 0xff;
      out[i + 1] = v >>> 8;
      return out;
    }
    case 2: // truncate
      return payload.slice(0, at);
    case 3: { // insert random bytes
      const extra = Uint8Array.from({ length: 1 + int(rng, 8) }, () => int(rng, 256));
      const out = new Uint8Array(n + extra.length);
      out.set(payload.subarray(0, at));
      out.set(extra, at);
      out.set(payload.subarray(at), at + extra.length);
      return out;
    }
    case 4: { // delete up to 8 bytes
      const len = Math.min(1 + int(rng, 8), n - at);
      const out = new Uint8Array(n - len);
      out.set(payload.subarray(0, at));
      out.set(payload.subarray(at + len), at);
      return out;
    }
    default: { // a byte set to a random value
      const out = payload.slice();
      if (n > 0) out[int(rng, n)] = int(rng, 256);
      return out;
    }
  }
}

/** What the oracle found in one case. */
export interface Finding {
  readonly kind: 'nonTokenError' | 'falseAccept';
  readonly detail: string;
}

function attempt(fn: () => DecodedToken): DecodedToken | undefined {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TokenError) return undefined;
    throw err;
  }
}

/**
 * Decodes and verifies `token` in both modes with `seed`'s certificate (and 006 channel/uid).
 * Returns a finding when anything but a TokenError escapes, or when the token verifies while
 * the bytes its signature covers differ from the seed's.
 */
export function examine(token: unknown, seed: Seed | undefined): Finding | undefined {
  for (const lenient of [false, true]) {
    try {
      attempt(() => decodeToken(token as string, { lenient }));
      if (!seed) continue;
      // now = 0: every token is in date, so only the signature decides.
      const verified = attempt(() => verifyToken(token as string, seed.certificate, {
        lenient, now: 0, channelName: seed.channelName, uid: seed.uid,
      }));
      if (verified && (signedPart(verified) !== seed.signed || hex(verified.signature) !== seed.signatureHex)) {
        return { kind: 'falseAccept', detail: `${seed.id} lenient=${lenient}: ${JSON.stringify(token)}` };
      }
    } catch (err) {
      return { kind: 'nonTokenError', detail: `lenient=${lenient} ${String(err)} for ${JSON.stringify(token).slice(0, 300)}` };
    }
  }
  return undefined;
}
