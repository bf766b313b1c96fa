import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AccessToken2, ServiceRtm, decodeToken } from '../src/index';
import { run } from '../src/cli/run';
import type { CliResult } from './helpers/run-cli';

const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERT = '5cfd2fd1755d40ecb72977518be15d3b';
const ENV = { AGORA_APP_ID: APP_ID, AGORA_APP_CERTIFICATE: CERT };

async function cli(args: readonly string[], env: Record<string, string> = ENV): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    out: (text) => (stdout += `${text}\n`), err: (text) => (stderr += `${text}\n`), env, now: () => Date.now(), readStdin: async () => '',
  });
  return { code, stdout, stderr };
}

async function refused(args: readonly string[], pattern: RegExp): Promise<void> {
  const result = await cli(args);
  expect(result.code, result.stdout).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(pattern);
}

describe('build refuses what the token server refuses, unless --force', () => {
  it.each([
    [['build', 'chat-user', '--user-id', 'alice', '--expire', '0'], /already expired/],
    [['build', 'chat-app', '--expire', '100000'], /over 86400 s/],
    [['build', 'chat-user', '--user-id', 'alice', '--expire', '86401'], /over 86400 s/],
    [['build', 'chat-user', '--user-id', ''], /empty: a token for nobody/],
    [['build', 'chat-user', '--user-id', 'Alice'], /not a valid Agora Chat user ID/],
    [['build', 'chat-user', '--user-id', 'a'.repeat(65)], /not a valid Agora Chat user ID/],
    [['build', 'rtm', '--user-id', 'null'], /not a valid RTM user ID/],
    [['build', 'rtm', '--user-id', ''], /empty/],
    [['build', 'rtc', '--channel', '', '--uid', '1'], /empty/],
    [['build', 'rtc', '--channel', 'room1', '--account', 'a\u0007b'], /not a valid user account/],
    [['build', 'rtc', '--channel', 'room1', '--uid', '0', '--rtm'], /RTM login would be for an empty user ID/],
    [['build', 'convoai', '--channel', 'room1', '--uid', '0'], /RTM login would be for an empty user ID/],
    [['build', 'convoai', '--channel', '', '--uid', '1'], /--channel is empty/],
    [['build', 'convoai', '--channel', 'room1', '--uid', '1', '--rtm-user-id', 'null'], /not a valid RTM user ID/],
  ])('%j', async (args, pattern) => {
    await refused(args, pattern);
    const forced = await cli([...args, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(decodeToken(forced.stdout.trim()).version).toBe('007');
  });

  it('builds the valid cases without --force (Chat: 86400 s, a-z0-9_-.)', async () => {
    expect((await cli(['build', 'chat-user', '--user-id', 'a_b-c.9', '--expire', '86400'])).code).toBe(0);
  });
});

describe('negative numbers read with the flag\'s own message, in both forms', () => {
  it.each([['--expire', '-5'], ['--expire=-5']])('%s %s', async (...form) => {
    const args = ['build', 'chat-user', '--user-id', 'alice', ...form.filter(Boolean)];
    await refused(args, /--expire must be a whole number from 0 to 4294967295, got -5: it cannot be negative/);
  });

  it('--uid -1 and --salt=-3 too', async () => {
    await refused(['build', 'rtc', '--channel', 'c', '--uid', '-1'], /--uid .*got -1: it cannot be negative/);
    await refused(['build', 'chat-app', '--salt=-3'], /--salt .*got -3: it cannot be negative/);
  });
});

describe('every command takes --app-id and --app-certificate (--certificate too)', () => {
  const token = (): string => new AccessToken2(APP_ID, CERT, 3600).addService(new ServiceRtm('alice').addPrivilege(1, 3600)).build();

  it('build takes --app-certificate and --certificate', async () => {
    for (const flag of ['--app-certificate', '--certificate']) {
      const result = await cli(['build', 'chat-app', '--app-id', APP_ID, flag, CERT], {});
      expect(result.code, result.stderr).toBe(0);
    }
    await refused(['build', 'chat-app', '--app-certificate', CERT, '--certificate', CERT], /not both/);
  });

  it('verify takes --app-certificate (and --certificate)', async () => {
    for (const flag of ['--app-certificate', '--certificate']) {
      const result = await cli(['verify', token(), flag, CERT], {});
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^valid/);
    }
  });

  it('decode takes them and reports whether they match', async () => {
    const good = await cli(['decode', token(), '--app-id', APP_ID, '--app-certificate', CERT], {});
    expect(good.stdout).toMatch(/app ID check\s+matches --app-id/);
    expect(good.stdout).toMatch(/signature check\s+made with this certificate/);
    const bad = await cli(['decode', token(), '--certificate', 'f'.repeat(32)], {});
    expect(bad.stdout).toMatch(/NOT made with this certificate/);
    // --json: one document, the checks under their own key.
    const json = JSON.parse((await cli(['decode', token(), '--json', '--app-id', APP_ID, '--app-certificate', CERT], {})).stdout);
    expect(json.checks).toEqual({ 'app ID check': 'matches --app-id', 'signature check': 'made with this certificate' });
    expect(json.version).toBe('007');
  });

  it('decode checks its flags before it prints anything, and reads no credentials from the environment (its help says so)', async () => {
    await refused(['decode', token(), '--app-certificate', 'abc'], /32 hexadecimal characters/);
    await refused(['decode', token(), '--app-id', 'abc'], /--app-id must be 32 hexadecimal characters/);
    const withEnv = await cli(['decode', token()]);
    expect(withEnv.stdout).not.toMatch(/check/);
    const help = (await cli(['decode', '--help'])).stdout;
    expect(help).toMatch(/the environment is not read/);
    expect(help).not.toMatch(/AGORA_APP_CERTIFICATE/);
  });

  it('serve takes --certificate as every command does', async () => {
    const help = (await cli(['serve', '--help'])).stdout;
    expect(help).toMatch(/--certificate HEX32\s+same as --app-certificate/);
    await refused(['serve', '--certificate', CERT, '--app-certificate', CERT], /not both/);
  });
});

describe('arguments: one value per flag, certificates never echoed, accounts with leading zeros', () => {
  const token = (): string => new AccessToken2(APP_ID, CERT, 3600).addService(new ServiceRtm('alice').addPrivilege(1, 3600)).build();

  it('a value flag given twice is refused, not silently the last', async () => {
    await refused(['build', 'chat-user', '--user-id', 'alice', '--expire', '10', '--expire', '20'], /--expire is given more than once/);
    await refused(['verify', token(), '--certificate', CERT, '--certificate', 'f'.repeat(32)], /--certificate is given more than once/);
  });

  it('a stray positional that looks like a certificate is not printed back', async () => {
    const result = await cli(['verify', token(), CERT]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unexpected argument \(32 hexadecimal characters, not shown/);
    expect(result.stderr).not.toContain(CERT);
    await refused(['decode', token(), 'extra'], /unexpected argument "extra"/);
  });

  it('verify says when every privilege has ended although the token is in date (exit 0: --privilege decides)', async () => {
    const start = Math.floor(Date.now() / 1000) - 120;
    const legacy = await cli(['build', 'rtc006', '--channel', 'room', '--uid', '7', '--expire', '60', '--issue-ts', String(start)]);
    expect(legacy.code, legacy.stderr).toBe(0);
    const result = await cli(['verify', legacy.stdout.trim(), '--channel', 'room', '--uid', '7']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^valid: 006 token/);
    expect(result.stderr).toMatch(/^note: every privilege ended at .* UTC: the token grants nothing now/);
    const fresh = await cli(['build', 'rtc006', '--channel', 'room', '--uid', '7', '--expire', '600']);
    expect((await cli(['verify', fresh.stdout.trim(), '--channel', 'room', '--uid', '7'])).stderr).toBe('');
    const ended = await cli(['verify', legacy.stdout.trim(), '--channel', 'room', '--uid', '7', '--privilege', 'joinChannel']);
    expect([ended.code, ended.stderr]).toEqual([1, expect.stringMatching(/^invalid: ERR_PRIVILEGE_EXPIRED/)]);
    // Within --clock-tolerance the privileges still count, as they do for --privilege.
    const tolerated = await cli(['verify', legacy.stdout.trim(), '--channel', 'room', '--uid', '7', '--clock-tolerance', '120']);
    expect([tolerated.code, tolerated.stderr]).toEqual([0, '']);
  });

  it('build --uid with a leading zero is refused (a uid is a number), pointing to --account', async () => {
    await refused(['build', 'rtc', '--channel', 'room', '--uid', '007'], /--uid 007 has a leading zero: .*--account 007/);
    await refused(['build', 'rtc006', '--channel', 'room', '--uid', '07'], /leading zero/);
    expect((await cli(['build', 'rtc', '--channel', 'room', '--uid', '0'])).code).toBe(0);
  });

  it('verify --uid 007 is the account "007", as build --account 007 made it; --uid 7 is the number', async () => {
    const account = await cli(['build', 'rtc', '--channel', 'room', '--account', '007']);
    const byAccount = await cli(['verify', account.stdout.trim(), '--channel', 'room', '--uid', '007']);
    expect(byAccount.code, byAccount.stderr).toBe(0);
    const numeric = await cli(['build', 'rtc', '--channel', 'room', '--uid', '7']);
    expect((await cli(['verify', numeric.stdout.trim(), '--channel', 'room', '--uid', '7'])).code).toBe(0);
    expect((await cli(['verify', numeric.stdout.trim(), '--channel', 'room', '--uid', '007'])).code).toBe(1);
  });
});

describe('--version, and decode output a terminal can show', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await cli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it('escapes control characters: a hostile app ID with ESC bytes is printed escaped', async () => {
    // A lenient decode reads an app ID of any bytes; this one clears the screen if printed raw.
    const hostile = `\u001b[2J\u001b]0;pwned\u0007${'a'.repeat(20)}`;
    const token = new AccessToken2(APP_ID, CERT, 3600).addService(new ServiceRtm(`x\u009by\u001b`).addPrivilege(1, 3600)).build();
    const decoded = decodeToken(token);
    const forged = Object.assign(Object.create(null), decoded, { appId: hostile });
    const { describeToken } = await import('../src/cli/decode');
    const text = describeToken(forged, 0);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('\\u{1b}[2J');
    const result = await cli(['decode', token], {});
    expect(result.stdout).not.toMatch(/[\u001b\u009b]/);
    expect(result.stdout).toContain('\\u{9b}');
  });
});
