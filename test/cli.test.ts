import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ApaasTokenBuilder, ChatTokenBuilder2, ConvoAITokenBuilder, EducationTokenBuilder2, FpaTokenBuilder, RtcRole,
  RtcRole006, RtcTokenBuilder, RtcTokenBuilder2, Rtm2Permissions, RtmPermissionType, RtmResourceType, RtmRole,
  RtmTokenBuilder, RtmTokenBuilder2, SttTokenBuilder, decodeToken, verifyToken, type DecodedToken006,
} from '../src/index';
import { run } from '../src/cli/run';
import { CLI, requireBuiltCli, runCli, startCli, type CliResult } from './helpers/run-cli';

const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERT = '5cfd2fd1755d40ecb72977518be15d3b';
const ENV = { AGORA_APP_ID: APP_ID, AGORA_APP_CERTIFICATE: CERT };
const ISSUE = 1_700_000_000;
const SALT = 12345;
const FIXED = ['--issue-ts', String(ISSUE), '--salt', String(SALT)];
const opts = { issueTs: ISSUE, salt: SALT };

/** The CLI in this process (src/cli/run.ts with a captured Io): fast, so every case can have its test. */
async function cli(args: readonly string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    out: (text) => (stdout += `${text}\n`),
    err: (text) => (stderr += `${text}\n`),
    env: options.env ?? {},
    now: () => Date.now(),
    readStdin: async () => options.input ?? '',
  });
  return { code, stdout, stderr };
}

/** Same signed content: equal decoded tokens, signature included (the compressed bytes may legitimately differ). */
function expectSameToken(actual: string, expected: string): void {
  expect(decodeToken(actual)).toEqual(decodeToken(expected));
}

/** Bad input: exit 2, exactly one line on stderr, nothing on stdout, no stack trace. */
function expectOneLineFailure(result: CliResult, pattern: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^agora-access-token2: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);
}

beforeAll(() => requireBuiltCli());

describe('build <kind>: the same token as the library builder (fixed issue time and salt)', () => {
  const permissions = new Rtm2Permissions()
    .add(RtmResourceType.MESSAGE_CHANNEL, RtmPermissionType.WRITE, ['lobby', 'room_*'])
    .add(RtmResourceType.USER, RtmPermissionType.READ, ['*']);
  const cases: [string, string[], () => string][] = [
    ['chat-user', ['--user-id', 'alice', '--expire', '600'], () => ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'alice', 600, opts)],
    ['chat-app', [], () => ChatTokenBuilder2.buildAppToken(APP_ID, CERT, 3600, opts)],
    ['rtc', ['--channel', 'room1', '--uid', '42', '--role', 'subscriber'],
      () => RtcTokenBuilder2.buildTokenWithUid(APP_ID, CERT, 'room1', 42, RtcRole.SUBSCRIBER, 3600, 3600, opts)],
    ['rtc', ['--channel', 'room1', '--account', 'bob', '--expire', '900', '--privilege-expire', '600'],
      () => RtcTokenBuilder2.buildTokenWithUserAccount(APP_ID, CERT, 'room1', 'bob', RtcRole.PUBLISHER, 900, 600, opts)],
    ['rtc', ['--channel', 'room1', '--uid', '7', '--join-expire', '100', '--audio-expire', '200'],
      () => RtcTokenBuilder2.buildTokenWithUidAndPrivilege(APP_ID, CERT, 'room1', 7, 3600, 100, 200, 3600, 3600, opts)],
    ['rtc', ['--channel', 'room1', '--account', 'bob', '--rtm'],
      () => RtcTokenBuilder2.buildTokenWithRtm(APP_ID, CERT, 'room1', 'bob', RtcRole.PUBLISHER, 3600, 3600, opts)],
    ['rtc', ['--channel', 'room1', '--account', 'bob', '--rtm-user-id', 'bob-rtm', '--rtm-expire', '60'],
      () => RtcTokenBuilder2.buildTokenWithRtm2(APP_ID, CERT, 'room1', 'bob', RtcRole.PUBLISHER, 3600, 3600, 3600, 3600, 3600, 'bob-rtm', 60, opts)],
    ['rtm', ['--user-id', 'alice'], () => RtmTokenBuilder2.buildToken(APP_ID, CERT, 'alice', 3600, opts)],
    ['rtm-permissions', ['--user-id', 'alice', '--grant', 'message-channel:write:lobby,room_*', '--grant', 'user:read:*'],
      () => RtmTokenBuilder2.buildTokenWithPermissions(APP_ID, CERT, 'alice', permissions, 3600, opts)],
    ['fpa', [], () => FpaTokenBuilder.buildToken(APP_ID, CERT, opts)],
    ['apaas', ['--room-uuid', 'r1', '--user-uuid', 'u1', '--role', '2'],
      () => ApaasTokenBuilder.buildRoomUserToken(APP_ID, CERT, 'r1', 'u1', 2, 3600, opts)],
    ['apaas', ['--user-uuid', 'u1'], () => ApaasTokenBuilder.buildUserToken(APP_ID, CERT, 'u1', 3600, opts)],
    ['education', [], () => EducationTokenBuilder2.buildAppToken(APP_ID, CERT, 3600, opts)],
    ['convoai', ['--channel', 'room1', '--account', 'agent'],
      () => ConvoAITokenBuilder.buildToken(APP_ID, CERT, 'room1', 'agent', RtcRole.PUBLISHER, 3600, 3600, 3600, 3600, 3600, 'agent', 3600, opts)],
    ['stt', ['--channel', 'room1', '--uid', '9', '--role', 'subscriber', '--rtm-user-id', 'bot'],
      () => SttTokenBuilder.buildToken(APP_ID, CERT, 'room1', '9', RtcRole.SUBSCRIBER, 3600, 3600, 3600, 3600, 3600, 'bot', 3600, opts)],
    ['rtc006', ['--channel', 'room1', '--uid', '42', '--role', 'attendee', '--expire-at', '1700003600'],
      () => RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'room1', 42, RtcRole006.ATTENDEE, 1_700_003_600, opts)],
    ['rtc006', ['--channel', 'room1', '--account', 'bob', '--expire', '60'],
      () => RtcTokenBuilder.buildTokenWithUserAccount(APP_ID, CERT, 'room1', 'bob', RtcRole006.PUBLISHER, ISSUE + 60, opts)],
    ['rtm006', ['--user-id', 'alice', '--expire-at', '0'],
      () => RtmTokenBuilder.buildToken(APP_ID, CERT, 'alice', RtmRole.RTM_USER, 0, opts)],
  ];

  it.each(cases)('build %s %j', async (kind, args, expected) => {
    const result = await cli(['build', kind, ...args, ...FIXED], { env: ENV });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^00[67]\S+\n$/);
    expectSameToken(result.stdout.trim(), expected());
  });

  it('takes credentials from flags as well as from the environment', async () => {
    const result = await cli(['build', 'chat-app', '--app-id', APP_ID, '--app-certificate', CERT, ...FIXED]);
    expectSameToken(result.stdout.trim(), ChatTokenBuilder2.buildAppToken(APP_ID, CERT, 3600, opts));
  });

  it('--help lists every kind, and each kind\'s flags', async () => {
    const all = await cli(['build', '--help']);
    expect(all.code).toBe(0);
    for (const kind of ['chat-user', 'chat-app', 'rtc', 'rtm', 'rtm-permissions', 'fpa', 'apaas', 'education', 'convoai', 'stt', 'rtc006', 'rtm006']) {
      expect(all.stdout).toContain(`  ${kind} `);
    }
    const rtc = await cli(['build', 'rtc', '-h']);
    expect(rtc.code).toBe(0);
    expect(rtc.stdout).toMatch(/--channel NAME/);
    expect(rtc.stdout).toMatch(/--app-certificate HEX32/);
    for (const command of ['decode', 'verify', 'serve']) {
      const help = await cli([command, '--help']);
      expect([command, help.code, help.stdout]).toEqual([command, 0, expect.stringMatching(new RegExp(`^Usage: agora-access-token2 ${command}`))]);
    }
    const top = await cli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/build <kind>[\s\S]*decode <token>[\s\S]*verify <token>[\s\S]*serve/);
  });

  it.each([
    [['build'], /needs a token kind/],
    [['build', 'nope'], /unknown token kind "nope"/],
    [['build', 'chat-user'], /--user-id is required/],
    [['build', 'chat-user', '--user-id', 'a', '--expire', 'soon'], /--expire must be a whole number/],
    [['build', 'rtc', '--channel', 'c', '--uid', '1', '--account', 'a'], /exactly one of --uid and --account/],
    [['build', 'rtc', '--channel', 'c', '--uid', '1', '--role', 'king'], /--role must be one of publisher, subscriber/],
    [['build', 'rtm-permissions', '--user-id', 'a', '--grant', 'planet:read:x'], /--grant must be TYPE:PERMISSION/],
    [['build', 'chat-app', '--frobnicate'], /Unknown option '--frobnicate'/],
    [['build', 'chat-app', '--app-id', 'not-hex'], /appId must be 32 hexadecimal characters.*ERR_INVALID_APP_ID/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [[], /no command given/],
  ])('bad input %j → exit 2, one line', async (args, pattern) => {
    expectOneLineFailure(await cli(args, { env: ENV }), pattern);
  });

  it('without credentials → exit 2 naming the variables', async () => {
    expectOneLineFailure(await cli(['build', 'chat-app']), /AGORA_APP_ID/);
  });
});

describe('decode <token>', () => {
  const chat = ChatTokenBuilder2.buildUserToken(APP_ID, CERT, 'alice', 600);

  it('prints a readable table: services, privileges by name, absolute expiry, "expires in"', async () => {
    const result = await cli(['decode', chat]);
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^AccessToken2 \(007\)/);
    expect(out).toMatch(/app ID\s+970ca35de60c44645bbae8a215061b33/);
    expect(out).toMatch(/expires\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(\d+\), expires in \d+m \d+s/);
    expect(out).toMatch(/Chat service \(type 5\)\n\s+userId\s+"alice"/);
    expect(out).toMatch(/user \(1\)\s+until .* UTC, expires in/);
  });

  it('--json for machines (bytes as hex), and - reads the token from stdin', async () => {
    const token = RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'room1', 42, RtcRole006.PUBLISHER, ISSUE + 3600, opts);
    const result = await cli(['decode', '-', '--json'], { input: `${token}\n` });
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout);
    const direct = decodeToken(token) as DecodedToken006;
    expect(parsed.version).toBe('006');
    expect(parsed.privileges).toEqual({ ...direct.privileges });
    expect(parsed.signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an expired token says how long ago', async () => {
    const old = ChatTokenBuilder2.buildAppToken(APP_ID, CERT, 60, { issueTs: ISSUE });
    expect((await cli(['decode', old])).stdout).toMatch(/expired \d+d \d+h \d+m \d+s ago/);
  });

  it.each([
    [['decode'], /decode needs a token/],
    [['decode', '007not-a-token'], /ERR_TOKEN_BASE64/],
    [['decode', 'hello'], /ERR_TOKEN_VERSION/],
    [['decode', 'a', 'b'], /unexpected argument "b"/],
  ])('bad input %j → exit 2, one line', async (args, pattern) => {
    expectOneLineFailure(await cli(args), pattern);
  });
});

describe('verify <token> --certificate', () => {
  const token = RtcTokenBuilder2.buildTokenWithUid(APP_ID, CERT, 'room1', 42, RtcRole.PUBLISHER, 600, 600);

  it('valid → exit 0 with a one-line verdict', async () => {
    const result = await cli(['verify', token, '--certificate', CERT, '--service', 'rtc', '--privilege', 'joinChannel', '--channel', 'room1', '--uid', '42']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^valid: 007 token for app 970ca35de60c44645bbae8a215061b33, until .* \(expires in \d+m \d+s\)\n$/);
  });

  it('takes the certificate from AGORA_APP_CERTIFICATE', async () => {
    expect((await cli(['verify', token], { env: { AGORA_APP_CERTIFICATE: CERT } })).code).toBe(0);
  });

  it.each([
    [['--certificate', '0'.repeat(32)], 'ERR_SIGNATURE_MISMATCH'],
    [['--certificate', CERT, '--now', String(Math.floor(Date.now() / 1000) + 3600)], 'ERR_TOKEN_EXPIRED'],
    [['--certificate', CERT, '--app-id', 'f'.repeat(32)], 'ERR_APP_ID_MISMATCH'],
    [['--certificate', CERT, '--service', 'chat'], 'ERR_SERVICE_MISSING'],
    [['--certificate', CERT, '--channel', 'room2'], 'ERR_CHANNEL_MISMATCH'],
  ])('invalid %j → exit 1 with the reason code %s', async (flags, code) => {
    const result = await cli(['verify', token, ...flags]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(new RegExp(`^invalid: ${code}: .+\\n$`));
  });

  it('a tampered token → exit 1 with a reason code', async () => {
    const tampered = token.slice(0, 40) + (token[40] === 'A' ? 'B' : 'A') + token.slice(41);
    const result = await cli(['verify', tampered, '--certificate', CERT]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^invalid: ERR_[A-Z_]+: /);
  });

  it('006 needs --channel and --uid; with them it verifies', async () => {
    const legacy = RtcTokenBuilder.buildTokenWithUid(APP_ID, CERT, 'room1', 42, RtcRole006.PUBLISHER, 0);
    expectOneLineFailure(await cli(['verify', legacy, '--certificate', CERT]), /needs options.channelName and options.uid/);
    const ok = await cli(['verify', legacy, '--certificate', CERT, '--channel', 'room1', '--uid', '42']);
    expect(ok.code).toBe(0);
    expect(verifyToken(legacy, CERT, { channelName: 'room1', uid: 42 }).version).toBe('006');
  });

  it.each([
    [['verify', 'x'], /needs the app certificate/],
    [['verify', 'x', '--certificate', 'short'], /appCertificate must be 32 hexadecimal characters/],
    [['verify', 'x', '--certificate', CERT, '--now', 'later'], /--now must be a whole number/],
  ])('bad input %j → exit 2, one line', async (args, pattern) => {
    expectOneLineFailure(await cli(args), pattern);
  });
});

describe('serve', () => {
  it('--help documents the endpoints and variables', async () => {
    const result = await cli(['serve', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/GET \/chat\/user\/\{username\}\/token/);
    expect(result.stdout).toMatch(/AGORA_CHAT_REST_HOST/);
  });

  it.each([
    [['serve', '--port', 'eighty'], {}, /--port must be a whole number/],
    [['serve'], { PORT: '99999' }, /PORT must be a port number/],
    [['serve', '--port', '0'], { AGORA_APP_ID: APP_ID }, /AGORA_APP_CERTIFICATE is not set/],
    [['serve', '--port', '0'], { AGORA_CHAT_REST_HOST: 'a41.chat.agora.io' }, /AGORA_CHAT_APP_KEY/],
    [['serve', '--port', '0', '--token-subject', 'email'], {}, /--token-subject must be one of uuid, username/],
  ])('bad input %j %j → exit 2, one line', async (args, env, pattern) => {
    expectOneLineFailure(await cli(args, { env }), pattern);
  });
});

describe.concurrent('the built binary, dist/cli.js, as a process', () => {
  it('has a shebang and prints help', async () => {
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const help = await runCli(['--help']);
    expect([help.code, help.stderr]).toEqual([0, '']);
    expect(help.stdout).toMatch(/^Usage: agora-access-token2 <command>/);
  });

  it('build → decode (token on stdin) → verify', async () => {
    const built = await runCli(['build', 'chat-user', '--user-id', 'alice'], { env: ENV });
    expect(built.code).toBe(0);
    const token = built.stdout.trim();
    verifyToken(token, CERT, { service: 'chat', privilege: 'user' });
    const decoded = await runCli(['decode', '-'], { input: built.stdout });
    expect(decoded.code).toBe(0);
    expect(decoded.stdout).toMatch(/Chat service \(type 5\)\n\s+userId\s+"alice"/);
    expect((await runCli(['verify', token, '--certificate', CERT])).code).toBe(0);
    const invalid = await runCli(['verify', token, '--certificate', 'f'.repeat(32)]);
    expect([invalid.code, invalid.stderr]).toEqual([1, expect.stringMatching(/^invalid: ERR_SIGNATURE_MISMATCH: [^\n]+\n$/)]);
  });

  it('bad input → exit 2 with one line, no stack trace', async () => {
    expectOneLineFailure(await runCli(['build', 'rtc', '--channel']), /argument missing|--channel/);
    expectOneLineFailure(await runCli(['decode', '007!!']), /ERR_TOKEN_BASE64/);
  });

  it('serve starts with demo credentials, answers, and stops on SIGTERM with exit 0', async () => {
    const running = await startCli(['serve', '--port', '0', '--quiet'], {}, /open to everyone.*\n/);
    try {
      const out = running.output();
      const url = /listening on (http:\/\/[\d.:]+)/.exec(out)![1];
      const certificate = /AGORA_APP_CERTIFICATE=([0-9a-f]{32})/.exec(out)![1];
      expect(out).toMatch(/DEMO credentials/);
      const token = await (await fetch(`${url}/chat/app/token`)).text();
      expect(verifyToken(token, certificate, { service: 'chat', privilege: 'app' }).version).toBe('007');
    } finally {
      expect(await running.stop()).toBe(0);
    }
  });

});
