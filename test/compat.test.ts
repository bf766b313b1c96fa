import assert from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as compat from '../src/compat';
import compatDefault from '../src/compat';
import { TokenError, type TokenErrorCode } from '../src/index';

// The real agora-token 2.0.6 (devDependency): its builders, its parser, and its own tests.
const require = createRequire(import.meta.url);
const AGORA_TOKEN_DIR = dirname(require.resolve('agora-token/package.json'));
const agoraToken = require('agora-token');
const { AccessToken2: ReferenceToken } = require('agora-token/src/AccessToken2');
const MIGRATION_NOTES = fileURLToPath(new URL('../docs/migration-compat-notes.md', import.meta.url));

type Library = Record<string, any>;
interface Call { builder: string; method: string; args: unknown[] }

const APP_ID = '970CA35de60c44645bbae8a215061b33';
const APP_CERTIFICATE = '5CFd2fd1755d40ecb72977518be15d3b';
const BUILDERS = [
  'ApaasTokenBuilder', 'ChatTokenBuilder', 'ConvoAITokenBuilder', 'EducationTokenBuilder', 'FpaTokenBuilder',
  'RtcTokenBuilder', 'RtmTokenBuilder', 'SttTokenBuilder',
];
// agora-token's builder-level tests (the others test its AccessToken2 internals and the 006 code).
const REFERENCE_TESTS = [
  'ApaasTokenBuilderTest.js', 'ChatTokenBuilderTest.js', 'ConvoAITokenBuilderTest.js', 'EducationTokenBuilderTest.js',
  'FpaTokenBuilderTest.js', 'RtcTokenBuilder2Test.js', 'RtmTokenBuilder2Test.js', 'SttTokenBuilderTest.js',
];

/** `lib` with every builder method call appended to `calls`. */
function recording(lib: Library, calls: Call[]): Library {
  const out: Library = { ...lib };
  for (const builder of BUILDERS) {
    out[builder] = new Proxy(lib[builder], {
      get(target, method, receiver) {
        const value = Reflect.get(target, method, receiver);
        if (typeof value !== 'function' || typeof method !== 'string') return value;
        return (...args: unknown[]) => {
          calls.push({ builder, method, args });
          return value.apply(target, args);
        };
      },
    });
  }
  return out;
}

/**
 * Runs one of agora-token's nodeunit test files with its builders taken from `lib`; its
 * assertions parse the tokens with agora-token's own parser. Returns the failures.
 */
function runReferenceTests(file: string, lib: Library): string[] {
  const modules: Record<string, unknown> = {
    '../index': lib,
    '../src/AccessToken2': require('agora-token/src/AccessToken2'),
    '../src/RtcTokenBuilder2': { RtcTokenBuilder: lib.RtcTokenBuilder, Role: lib.RtcRole },
    '../src/ChatTokenBuilder': { ChatTokenBuilder: lib.ChatTokenBuilder },
    '../src/ApaasTokenBuilder': { ApaasTokenBuilder: lib.ApaasTokenBuilder },
    '../src/EducationTokenBuilder': { EducationTokenBuilder: lib.EducationTokenBuilder },
    '../src/FpaTokenBuilder': { FpaTokenBuilder: lib.FpaTokenBuilder },
    '../src/ConvoAITokenBuilder': { ConvoAITokenBuilder: lib.ConvoAITokenBuilder },
    '../src/SttTokenBuilder': { SttTokenBuilder: lib.SttTokenBuilder },
  };
  const requireMapped = (id: string) => {
    if (!(id in modules)) throw new Error(`${file} requires ${id}, which this harness does not map`);
    return modules[id];
  };
  const tests: Record<string, (test: unknown) => void> = {};
  new Function('exports', 'require', 'module', readFileSync(join(AGORA_TOKEN_DIR, 'test', file), 'utf8'))(tests, requireMapped, { exports: tests });

  const failures: string[] = [];
  for (const [name, test] of Object.entries(tests)) {
    let done = false;
    // nodeunit's assertions: equal is ==, deepEqual is the loose deep equality.
    const nodeunit = {
      equal: assert.equal, strictEqual: assert.strictEqual, deepEqual: assert.deepEqual, ok: assert.ok,
      done: () => { done = true; },
    };
    try {
      test(nodeunit);
      if (!done) failures.push(`${file} ${name}: test.done() not called`);
    } catch (err) {
      failures.push(`${file} ${name}: ${(err as Error).message}`);
    }
  }
  if (Object.keys(tests).length === 0) failures.push(`${file}: no tests found`);
  return failures;
}

// One clock reading and one salt for both libraries: agora-token takes the time from Date and
// the salt from Math.random (1 … 99999999); this library the time from Date.now and the salt
// from src/random.ts (crypto.getRandomValues, pooled), replaced here by the same fixed salt.
const NOW_MS = 1_735_689_600_250;
const { SALT } = vi.hoisted(() => ({ SALT: 12_345_678 }));
vi.mock('../src/args/random', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../src/args/random')>()),
  randomSalt: () => SALT,
}));
function withFixedClockAndSalt<T>(fn: () => T): T {
  vi.useFakeTimers({ now: NOW_MS, toFake: ['Date'] });
  vi.spyOn(Math, 'random').mockReturnValue((SALT - 0.5) / 99_999_999);
  try {
    return fn();
  } finally {
    vi.restoreAllMocks();
    vi.useRealTimers();
  }
}

/** The token's content: version prefix + the inflated payload (signature, header, services). */
const content = (token: string): string => `${token.slice(0, 3)}:${inflateSync(Buffer.from(token.slice(3), 'base64')).toString('hex')}`;

/** A token read by agora-token's parser, as plain data. */
function parsed(token: string) {
  const reference = new ReferenceToken('', '', 0, 0);
  expect(reference.from_string(token)).toBe(true);
  expect(reference.verifySignature(APP_CERTIFICATE)).toBe(true);
  return {
    appId: reference.appId, issueTs: reference.issueTs, expire: reference.expire, salt: reference.salt,
    services: reference.services.map((s: Record<string, unknown>) => Object.fromEntries(
      Object.entries(s).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString() : v]),
    )),
  };
}

function build(lib: Library, call: Call): string {
  return lib[call.builder][call.method](...call.args);
}

// Calls beyond agora-token's tests: other argument shapes each builder accepts.
const rtm2Args = (rtcAccount: unknown, role: number, rtmUserId: unknown) =>
  [APP_ID, APP_CERTIFICATE, 'room', rtcAccount, role, 600, 500, 400, 300, 200, rtmUserId, 100];
const reversedPermissions = new compat.Rtm2Permissions();
reversedPermissions.add(compat.Rtm2Permissions.kUsers, compat.Rtm2Permissions.kWrite, ['u1']);
reversedPermissions.add(compat.Rtm2Permissions.kMessageChannels, compat.Rtm2Permissions.kWrite, ['m1', 'm2']);
reversedPermissions.add(compat.Rtm2Permissions.kMessageChannels, compat.Rtm2Permissions.kRead, ['*']);
reversedPermissions.add(compat.Rtm2Permissions.kUsers, compat.Rtm2Permissions.kWrite, ['u2']);
const EXTRA_CALLS: Call[] = [
  { builder: 'RtcTokenBuilder', method: 'buildTokenWithUid', args: [APP_ID, APP_CERTIFICATE, 'room', 0, 1, 600, 300] },
  { builder: 'RtcTokenBuilder', method: 'buildTokenWithUid', args: [APP_ID, APP_CERTIFICATE, 'room', 4294967295, 2, 600] },
  { builder: 'RtcTokenBuilder', method: 'buildTokenWithUid', args: [APP_ID, APP_CERTIFICATE, 'room', 'alice', 1, 600, 600] },
  { builder: 'RtcTokenBuilder', method: 'buildTokenWithUserAccount', args: [APP_ID, APP_CERTIFICATE, 'канал', 42, 1, 600] },
  { builder: 'RtcTokenBuilder', method: 'buildTokenWithUidAndPrivilege', args: [APP_ID, APP_CERTIFICATE, 'room', 0, 900, 800, 0, 600, 500] },
  { builder: 'RtcTokenBuilder', method: 'BuildTokenWithUserAccountAndPrivilege', args: [APP_ID, APP_CERTIFICATE, 'room', 7, 900, 1, 2, 3, 4] },
  { builder: 'RtcTokenBuilder', method: 'buildTokenWithRtm', args: [APP_ID, APP_CERTIFICATE, 'room', 'bob', 2, 600] },
  { builder: 'RtcTokenBuilder', method: 'buildTokenWithRtm2', args: rtm2Args(0, 1, '') },
  { builder: 'RtcTokenBuilder', method: 'buildTokenWithRtm2', args: rtm2Args(9, 2, 'rtm-user') },
  { builder: 'ConvoAITokenBuilder', method: 'buildToken', args: rtm2Args(1001, 2, 'agent') },
  { builder: 'SttTokenBuilder', method: 'buildToken', args: rtm2Args('bot', 1, 'bot') },
  { builder: 'ChatTokenBuilder', method: 'buildUserToken', args: [APP_ID, APP_CERTIFICATE, 'ユーザー 😀', 86400] },
  { builder: 'ChatTokenBuilder', method: 'buildUserToken', args: [APP_ID, APP_CERTIFICATE, '', 60] },
  { builder: 'RtmTokenBuilder', method: 'buildToken', args: [APP_ID, APP_CERTIFICATE, 'x'.repeat(300), 0] },
  { builder: 'RtmTokenBuilder', method: 'buildTokenWithPermissions', args: [APP_ID, APP_CERTIFICATE, 'alice', null, 600] },
  { builder: 'RtmTokenBuilder', method: 'buildTokenWithPermissions', args: [APP_ID, APP_CERTIFICATE, 'alice', reversedPermissions, 600] },
  { builder: 'ApaasTokenBuilder', method: 'buildUserToken', args: [APP_ID, APP_CERTIFICATE, 'user-1', 3600] },
  { builder: 'EducationTokenBuilder', method: 'buildAppToken', args: [APP_ID, APP_CERTIFICATE, 3600] },
];

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('agora-access-token2/compat mirrors agora-token 2.0.6', () => {
  it('has every export of agora-token, with the same static methods and arities (plus an optional BuildOptions)', () => {
    expect(Object.keys(agoraToken).sort()).toEqual(BUILDERS.concat('RtcRole', 'Rtm2Permissions').sort());
    for (const name of Object.keys(agoraToken)) {
      expect(compat, name).toHaveProperty(name);
      expect((compatDefault as Library)[name], `default.${name}`).toBe((compat as Library)[name]);
    }
    const staticMethods = (value: object) =>
      Object.getOwnPropertyNames(value).filter((k) => typeof (value as Library)[k] === 'function').sort();
    for (const builder of BUILDERS) {
      const ours = (compat as Library)[builder];
      expect(staticMethods(ours), builder).toEqual(staticMethods(agoraToken[builder]));
      for (const method of staticMethods(agoraToken[builder])) {
        expect([agoraToken[builder][method].length, agoraToken[builder][method].length + 1], `${builder}.${method}`)
          .toContain(ours[method].length);
      }
    }
    expect(compat.RtcTokenBuilder.BuildTokenWithUserAccountAndPrivilege).toBeTypeOf('function');
    expect({ ...compat.RtcRole }).toEqual({ ...agoraToken.RtcRole });
    for (const key of Object.keys(agoraToken.Rtm2Permissions)) {
      expect((compat.Rtm2Permissions as Library)[key], key).toBe(agoraToken.Rtm2Permissions[key]);
    }
    const ours = new compat.Rtm2Permissions();
    const theirs = new agoraToken.Rtm2Permissions();
    for (const p of [ours, theirs]) {
      p.add(1, 0, ['a']);
      p.add(0, 1, ['b', 'c']);
      p.add(1, 0, ['d']);
    }
    expect(ours.details).toEqual(theirs.details);
  });

  const recorded: Call[] = [];
  it.each(REFERENCE_TESTS)('agora-token test/%s passes against agora-token and against compat', (file) => {
    expect(runReferenceTests(file, agoraToken)).toEqual([]);
    expect(runReferenceTests(file, recording(compat as Library, recorded))).toEqual([]);
  });

  it('every call of those tests, and more shapes, gives the same token content with the same clock and salt', () => {
    expect(recorded.length).toBeGreaterThanOrEqual(25);
    const calls = [...recorded, ...EXTRA_CALLS];
    const roomUser = calls.filter((c) => c.method === 'buildRoomUserToken');
    expect(roomUser.length).toBeGreaterThan(0);
    for (const call of calls.filter((c) => c.method !== 'buildRoomUserToken')) {
      const label = `${call.builder}.${call.method}(${call.args.slice(2).map((a) => JSON.stringify(a)).join(', ')})`;
      const theirs = withFixedClockAndSalt(() => build(agoraToken, call));
      const ours = withFixedClockAndSalt(() => build(compat as Library, call));
      expect(theirs, label).toMatch(/^007/);
      // The strings differ (agora-token compresses with Node's zlib); the content is identical.
      expect(content(ours), label).toBe(content(theirs));
      expect(parsed(ours).issueTs, label).toBe(Math.floor(NOW_MS / 1000));
      expect(parsed(ours).salt, label).toBe(SALT);
    }
  });

  it('room-user tokens follow Agora\'s Java reference where agora-token differs (documented: apaas-room-user-privileges)', () => {
    for (const builder of ['ApaasTokenBuilder', 'EducationTokenBuilder']) {
      const call = { builder, method: 'buildRoomUserToken', args: [APP_ID, APP_CERTIFICATE, 'room-1', 'user-1', 2, 600] };
      const theirs = parsed(withFixedClockAndSalt(() => build(agoraToken, call)));
      const ours = parsed(withFixedClockAndSalt(() => build(compat as Library, call)));
      const privilegesByType = (token: ReturnType<typeof parsed>) =>
        Object.fromEntries(token.services.map((s: Library) => [s.__type, s.__privileges]));
      // Same header, same services and fields …
      expect({ ...ours, services: ours.services.map(({ __privileges, ...rest }: Library) => rest) })
        .toEqual({ ...theirs, services: theirs.services.map(({ __privileges, ...rest }: Library) => rest) });
      // … but Java grants the room-user privilege on APaaS and none on Chat; agora-token the reverse.
      expect(privilegesByType(ours)).toEqual({ 7: { 1: 600 }, 2: { 1: 600 }, 5: {} });
      expect(privilegesByType(theirs)).toEqual({ 7: {}, 2: { 1: 600 }, 5: { 1: 600 } });
    }
  });
});

type Outcome = 'token' | '""' | 'TypeError' | 'RangeError' | TokenErrorCode;
function outcome(fn: () => unknown): Outcome {
  try {
    const token = fn();
    return token === '' ? '""' : 'token';
  } catch (err) {
    if (err instanceof TokenError) return err.code;
    if (err instanceof RangeError) return 'RangeError';
    if (err instanceof TypeError) return 'TypeError';
    throw err;
  }
}

interface Difference {
  /** Named in docs/migration-compat-notes.md as `id`. */
  readonly id: string;
  readonly call: Call;
  readonly agoraToken: Outcome;
  readonly compat: Outcome;
  /** For calls both accept: how the tokens differ. */
  readonly tokens?: (theirs: ReturnType<typeof parsed>, ours: ReturnType<typeof parsed>) => void;
}

const rtc = (...args: unknown[]): Call => ({ builder: 'RtcTokenBuilder', method: 'buildTokenWithUid', args: [APP_ID, APP_CERTIFICATE, ...args] });
const chat = (...args: unknown[]): Call => ({ builder: 'ChatTokenBuilder', method: 'buildUserToken', args: [APP_ID, APP_CERTIFICATE, ...args] });
const field = (token: ReturnType<typeof parsed>, type: number, name: string) =>
  token.services.find((s: Library) => s.__type === type)?.[name];

/** Where compat differs from agora-token on purpose. */
const DIFFERENCES: Difference[] = [
  { id: 'invalid-app-id', call: { builder: 'RtcTokenBuilder', method: 'buildTokenWithUid', args: ['not-an-app-id', APP_CERTIFICATE, 'room', 1, 1, 600, 600] }, agoraToken: '""', compat: 'ERR_INVALID_APP_ID' },
  { id: 'invalid-app-certificate', call: { builder: 'ChatTokenBuilder', method: 'buildAppToken', args: [APP_ID, '', 600] }, agoraToken: '""', compat: 'ERR_INVALID_APP_CERTIFICATE' },
  { id: 'unknown-role', call: rtc('room', 1, 0, 600, 600), agoraToken: 'token', compat: 'ERR_INVALID_ROLE' },
  { id: 'unknown-role', call: { builder: 'ConvoAITokenBuilder', method: 'buildToken', args: rtm2Args('a', 3, 'a') }, agoraToken: 'token', compat: 'ERR_INVALID_ROLE' },
  { id: 'role-as-string', call: rtc('room', 1, '1', 600, 600), agoraToken: 'token', compat: 'ERR_INVALID_ROLE' },
  { id: 'non-integer-number', call: rtc('room', 1, 1, 600.5, 600), agoraToken: 'token', compat: 'ERR_INVALID_NUMBER' },
  { id: 'number-as-string', call: chat('alice', '600'), agoraToken: 'token', compat: 'ERR_INVALID_NUMBER' },
  { id: 'missing-number', call: rtc('room', 1, 1, undefined, 600), agoraToken: 'token', compat: 'ERR_MISSING_ARGUMENT' },
  { id: 'number-out-of-range', call: rtc('room', 1, 1, -1, 600), agoraToken: 'RangeError', compat: 'ERR_INVALID_NUMBER' },
  { id: 'number-out-of-range', call: chat('alice', 2 ** 32), agoraToken: 'RangeError', compat: 'ERR_INVALID_NUMBER' },
  { id: 'uid-not-u32', call: rtc('room', -1, 1, 600, 600), agoraToken: 'token', compat: 'ERR_INVALID_NUMBER' },
  { id: 'uid-not-u32', call: rtc('room', 1.5, 1, 600, 600), agoraToken: 'token', compat: 'ERR_INVALID_NUMBER' },
  { id: 'numeric-user-id', call: chat(123, 600), agoraToken: 'TypeError', compat: 'token' },
  { id: 'numeric-user-id', call: { builder: 'RtmTokenBuilder', method: 'buildToken', args: [APP_ID, APP_CERTIFICATE, 123, 600] }, agoraToken: 'TypeError', compat: 'token' },
  { id: 'numeric-user-id', call: { builder: 'RtcTokenBuilder', method: 'buildTokenWithRtm2', args: rtm2Args('a', 1, 7) }, agoraToken: 'TypeError', compat: 'token' },
  { id: 'numeric-user-id', call: { builder: 'ApaasTokenBuilder', method: 'buildUserToken', args: [APP_ID, APP_CERTIFICATE, 12, 600] }, agoraToken: 'TypeError', compat: 'token' },
  { id: 'missing-user-id', call: chat(undefined, 600), agoraToken: 'token', compat: 'ERR_MISSING_ARGUMENT' },
  { id: 'missing-user-id', call: { builder: 'RtmTokenBuilder', method: 'buildTokenWithPermissions', args: [APP_ID, APP_CERTIFICATE, null, null, 600] }, agoraToken: 'token', compat: 'ERR_MISSING_ARGUMENT' },
  { id: 'non-string-argument', call: rtc(5, 1, 1, 600, 600), agoraToken: 'TypeError', compat: 'ERR_INVALID_ARGUMENT' },
  { id: 'non-string-argument', call: rtc(undefined, 1, 1, 600, 600), agoraToken: 'TypeError', compat: 'ERR_MISSING_ARGUMENT' },
  { id: 'string-too-long', call: chat('x'.repeat(70_000), 600), agoraToken: 'RangeError', compat: 'ERR_STRING_TOO_LONG' },
  { id: 'invalid-permissions', call: { builder: 'RtmTokenBuilder', method: 'buildTokenWithPermissions', args: [APP_ID, APP_CERTIFICATE, 'a', 'read', 600] }, agoraToken: 'TypeError', compat: 'ERR_INVALID_ARGUMENT' },
  {
    id: 'apaas-room-user-privileges',
    call: { builder: 'ApaasTokenBuilder', method: 'buildRoomUserToken', args: [APP_ID, APP_CERTIFICATE, 'r', 'u', 1, 600] },
    agoraToken: 'token', compat: 'token',
    tokens: (theirs, ours) => {
      expect(field(theirs, 7, '__privileges')).toEqual({});
      expect(field(ours, 7, '__privileges')).toEqual({ 1: 600 });
    },
  },
  {
    // md5("user-316") = 001fd039…: agora-token keeps both zeros; Java (and compat) keep one.
    id: 'apaas-chat-user-id',
    call: { builder: 'EducationTokenBuilder', method: 'buildRoomUserToken', args: [APP_ID, APP_CERTIFICATE, 'r', 'user-316', 1, 600] },
    agoraToken: 'token', compat: 'token',
    tokens: (theirs, ours) => {
      expect(field(theirs, 5, '__user_id')).toBe('001fd03972726e18e32426122f82c8fc');
      expect(field(ours, 5, '__user_id')).toBe('01fd03972726e18e32426122f82c8fc');
    },
  },
  {
    id: 'apaas-role-zero',
    call: { builder: 'ApaasTokenBuilder', method: 'buildRoomUserToken', args: [APP_ID, APP_CERTIFICATE, 'r', 'u', 0, 600] },
    agoraToken: 'token', compat: 'token',
    tokens: (theirs, ours) => {
      expect(field(theirs, 7, '__role')).toBe(0xffff); // `role || -1`
      expect(field(ours, 7, '__role')).toBe(0);
    },
  },
];

describe('where compat differs from agora-token on purpose (docs/migration-compat-notes.md)', () => {
  it.each(DIFFERENCES.map((d) => [d.id, d] as const))('%s', (_id, d) => {
    const label = `${d.call.builder}.${d.call.method}`;
    expect(outcome(() => build(agoraToken, d.call)), `agora-token ${label}`).toBe(d.agoraToken);
    expect(outcome(() => build(compat as Library, d.call)), `compat ${label}`).toBe(d.compat);
    if (d.tokens) d.tokens(parsed(build(agoraToken, d.call)), parsed(build(compat as Library, d.call)));
  });

  it('the migration notes name every difference', () => {
    const notes = readFileSync(MIGRATION_NOTES, 'utf8');
    for (const id of new Set(DIFFERENCES.map((d) => d.id))) expect(notes, id).toContain(`\`${id}\``);
  });
});
