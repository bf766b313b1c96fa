import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { constantTimeEqual, createJwtAuth, type AuthVerdict, type JwtAuth, type JwtAuthOptions } from '../src/server/auth/jwt';
import type { TokenRoute } from '../src/server/options';
import { TokenError } from '../src/index';
import { startStubHost, type StubHost } from './helpers/stub-host';

const ISSUER = 'https://login.test/';
const AUDIENCE = 'chat-tokens';
const SECRET = 'server-to-server-secret-0123456789';

const chatUser = (username: string): TokenRoute => ({ kind: 'chat-user', username });
const chatApp: TokenRoute = { kind: 'chat-app' };
const rtm = (userId: string): TokenRoute => ({ kind: 'rtm', userId });
const rtc: TokenRoute = { kind: 'rtc', channel: 'room', role: 'publisher', uid: 42 };

function bearer(token: string | undefined): Request {
  return new Request('http://localhost/chat/user/alice/token', token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });
}

function failure(verdict: AuthVerdict): { status: number; code: string; challenge: string | undefined; message: string } {
  if (verdict.ok) throw new Error(`expected a refusal, got ${JSON.stringify(verdict)}`);
  const { status, code, headers, message } = verdict.error;
  return { status, code, challenge: headers['www-authenticate'], message };
}

describe('JWT authentication (jose keys, a JWKS served on loopback)', () => {
  let keys: { privateKey: CryptoKey; publicKey: CryptoKey };
  let other: { privateKey: CryptoKey; publicKey: CryptoKey };
  let jwksHost: StubHost;
  let jwks: JWK;
  let auth: JwtAuth;

  const base = (): JwtAuthOptions => ({ jwksUrl: `${jwksHost.url}/.well-known/jwks.json`, issuer: ISSUER, audience: AUDIENCE });

  async function jwt(claims: JWTPayload & { sub?: string }, options: { key?: CryptoKey; kid?: string; alg?: string; exp?: string | number; iss?: string; aud?: string } = {}) {
    const { sub, ...rest } = claims;
    let builder = new SignJWT(rest)
      .setProtectedHeader({ alg: options.alg ?? 'ES256', kid: options.kid ?? 'k1' })
      .setIssuer(options.iss ?? ISSUER)
      .setAudience(options.aud ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.exp ?? '10m');
    if (sub !== undefined) builder = builder.setSubject(sub);
    return builder.sign(options.key ?? keys.privateKey);
  }

  beforeAll(async () => {
    keys = await generateKeyPair('ES256');
    other = await generateKeyPair('ES256');
    jwks = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwksHost = await startStubHost((req, res) => {
      if (req.url !== '/.well-known/jwks.json') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwks] }));
    });
    auth = createJwtAuth({ ...base(), appTokenScope: 'chat:app', serverSecret: SECRET });
  });
  afterAll(() => jwksHost.close());

  it('the right user → ok, with the JWT subject (the rate-limit key) and claims', async () => {
    const verdict = await auth.check(bearer(await jwt({ sub: 'alice' })), chatUser('alice'));
    expect(verdict).toMatchObject({ ok: true, subject: 'alice', via: 'jwt', claims: { sub: 'alice', iss: ISSUER } });
    expect(jwksHost.requests).toBeGreaterThanOrEqual(1);
  });

  it('another user → 403 forbidden', async () => {
    const refused = failure(await auth.check(bearer(await jwt({ sub: 'alice' })), chatUser('bob')));
    expect(refused).toMatchObject({ status: 403, code: 'forbidden', challenge: undefined });
    expect(refused.message).toMatch(/another user than "alice"/);
  });

  it('no token → 401 with a bare Bearer challenge (RFC 6750: no error code without credentials)', async () => {
    expect(failure(await auth.check(bearer(undefined), chatUser('alice')))).toMatchObject({
      status: 401, code: 'unauthorized', challenge: 'Bearer realm="agora-access-token2"',
    });
    const basic = new Request('http://localhost/', { headers: { authorization: 'Basic YWxpY2U6cHc=' } });
    expect(failure(await auth.check(basic, chatUser('alice'))).challenge).toBe('Bearer realm="agora-access-token2"');
  });

  it('expired, wrong issuer, wrong audience, another key, junk → 401 invalid_token', async () => {
    const cases: Array<[string, Promise<string> | string, RegExp]> = [
      ['expired', jwt({ sub: 'alice' }, { exp: Math.floor(Date.now() / 1000) - 60 }), /expired/],
      ['wrong issuer', jwt({ sub: 'alice' }, { iss: 'https://evil.test/' }), /iss claim/],
      ['wrong audience', jwt({ sub: 'alice' }, { aud: 'another-app' }), /aud claim/],
      ['another key, same kid', jwt({ sub: 'alice' }, { key: other.privateKey }), /not valid/],
      ['not a JWT', 'abc.def.ghi', /not valid/],
      ['alg none', `${btoa('{"alg":"none"}').replace(/=+$/, '')}.${btoa('{"sub":"alice"}').replace(/=+$/, '')}.`, /not valid/],
      ['no user claim', jwt({}), /no user in its sub claim/],
    ];
    for (const [name, token, message] of cases) {
      const refused = failure(await auth.check(bearer(await token), chatUser('alice')));
      expect(refused.status, name).toBe(401);
      expect(refused.code, name).toBe('unauthorized');
      expect(refused.challenge, name).toMatch(/^Bearer realm="agora-access-token2", error="invalid_token", error_description="[^"\\]+"$/);
      expect(refused.message, name).toMatch(message);
    }
  });

  it('an HS256 token signed with the public key as secret (algorithm confusion) → 401', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(jwks));
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setSubject('alice')
      .setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').sign(secret);
    expect(failure(await auth.check(bearer(forged), chatUser('alice'))).status).toBe(401);
  });

  it('the app token: only with the configured scope or the server secret', async () => {
    const noScope = failure(await auth.check(bearer(await jwt({ sub: 'alice', scope: 'profile' })), chatApp));
    expect(noScope).toMatchObject({ status: 403, code: 'forbidden', challenge: 'Bearer realm="agora-access-token2", error="insufficient_scope", scope="chat:app"' });
    expect(await auth.check(bearer(await jwt({ sub: 'ops', scope: 'profile chat:app' })), chatApp)).toMatchObject({ ok: true, subject: 'ops' });
    expect(await auth.check(bearer(await jwt({ sub: 'ops', scp: ['chat:app'] })), chatApp)).toMatchObject({ ok: true });
    expect(await auth.check(bearer(SECRET), chatApp)).toEqual({ ok: true, subject: 'server', via: 'secret' });
    expect(await auth.check(bearer(SECRET), chatUser('anyone'))).toMatchObject({ ok: true, via: 'secret' });
    expect(failure(await auth.check(bearer(`${SECRET}x`), chatApp))).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(failure(await auth.check(bearer('x'.repeat(20_000)), chatApp)).message).toMatch(/no well-formed Bearer token/);
  });

  it('without appTokenScope no JWT gets the app token, whatever its scopes', async () => {
    const strict = createJwtAuth({ ...base(), serverSecret: SECRET });
    expect(failure(await strict.check(bearer(await jwt({ sub: 'ops', scope: 'chat:app admin' })), chatApp)).status).toBe(403);
    expect((await strict.check(bearer(SECRET), chatApp)).ok).toBe(true);
  });

  it('RTC, RTM and RTE by rule: defaults (rtc any signed-in user, rtm and rte self), declarative and function rules, new kinds', async () => {
    const alice = await jwt({ sub: 'alice', rooms: ['room'] });
    expect((await auth.check(bearer(alice), rtc)).ok).toBe(true);
    expect((await auth.check(bearer(alice), rtm('alice'))).ok).toBe(true);
    expect(failure(await auth.check(bearer(alice), rtm('bob'))).status).toBe(403);

    const ruled = createJwtAuth({
      ...base(),
      rules: {
        rtc: ({ route, claims }) => route.kind === 'rtc' && Array.isArray(claims.rooms) && claims.rooms.includes(route.channel),
        rtm: { scope: 'rtm' },
        rte: 'self',
      },
    });
    expect((await ruled.check(bearer(alice), rtc)).ok).toBe(true);
    expect(failure(await ruled.check(bearer(alice), { ...rtc, channel: 'other' } as TokenRoute)).status).toBe(403);
    expect(failure(await ruled.check(bearer(alice), rtm('alice'))).status).toBe(403);
    // RTE: 'self' by default, on the RTM user (whose login the answer carries).
    const rte = (rtmUserId: string): TokenRoute => ({ kind: 'rte', channel: 'room', role: 'publisher', uid: 7, rtmUserId });
    expect((await auth.check(bearer(alice), rte('alice'))).ok).toBe(true);
    expect(failure(await auth.check(bearer(alice), rte('bob'))).status).toBe(403);
    // A kind the server learns later: its rule keys on the kind; 'self' reads userId/account/uid.
    const future = { kind: 'future', userId: 'alice' } as unknown as TokenRoute;
    expect(failure(await auth.check(bearer(alice), future)).status).toBe(403); // no rule: never
    const withRule = createJwtAuth({ ...base(), rules: { future: 'self' } });
    expect((await withRule.check(bearer(alice), future)).ok).toBe(true);
    // 'self' with an RTC uid route compares the uid as text.
    const numeric = await jwt({ sub: '42' });
    const selfRtc = createJwtAuth({ ...base(), rules: { rtc: 'self' } });
    expect((await selfRtc.check(bearer(numeric), rtc)).ok).toBe(true);
    expect(failure(await selfRtc.check(bearer(alice), rtc)).status).toBe(403);
  });

  it('a token that carries RTC privileges besides its own (RTE; RTM with a stream channel) must pass the rtc rule for them too', async () => {
    const alice = await jwt({ sub: 'alice' });
    const rte = (rtcUser: { uid: number } | { account: string }, channel = 'room'): TokenRoute => ({ kind: 'rte', channel, role: 'publisher', ...rtcUser, rtmUserId: 'alice' });
    const rtmWithChannel: TokenRoute = { kind: 'rtm', userId: 'alice', channel: 'secret' };
    // Defaults (rtc: any signed-in user): as before.
    expect((await auth.check(bearer(alice), rte({ uid: 0 }))).ok).toBe(true);
    expect((await auth.check(bearer(alice), rtmWithChannel)).ok).toBe(true);
    // rtc 'self': no uid 0 and no other account through /rte; her own account passes.
    const selfRtc = createJwtAuth({ ...base(), rules: { rtc: 'self' } });
    const refused = failure(await selfRtc.check(bearer(alice), rte({ uid: 0 })));
    expect([refused.status, refused.message]).toEqual([403, 'its RTC part is for another user than "alice"']);
    expect(failure(await selfRtc.check(bearer(alice), rte({ account: 'bob' }))).status).toBe(403);
    expect((await selfRtc.check(bearer(alice), rte({ account: 'alice' }))).ok).toBe(true);
    expect((await selfRtc.check(bearer(alice), rtmWithChannel)).ok).toBe(true); // her own account
    // rtc 'never' or a room rule: the stream channel of an RTM token and the RTE channel follow it.
    const noRtc = createJwtAuth({ ...base(), rules: { rtc: 'never' } });
    expect(failure(await noRtc.check(bearer(alice), rte({ account: 'alice' }))).status).toBe(403);
    expect(failure(await noRtc.check(bearer(alice), rtmWithChannel)).status).toBe(403);
    expect((await noRtc.check(bearer(alice), rtm('alice'))).ok).toBe(true); // no channel: no RTC part
    const rooms = createJwtAuth({ ...base(), rules: { rtc: ({ route }) => route.kind === 'rtc' && route.channel === 'room' } });
    expect((await rooms.check(bearer(alice), rte({ uid: 7 }))).ok).toBe(true);
    expect(failure(await rooms.check(bearer(alice), rte({ uid: 7 }, 'secret'))).status).toBe(403);
    expect(failure(await rooms.check(bearer(alice), rtmWithChannel)).status).toBe(403);
    // An RTE answer's RTM token publishes data in the channel too: a subscribers-only rule refuses it.
    const subscribersOnly = createJwtAuth({ ...base(), rules: { rtc: ({ route }) => route.kind === 'rtc' && route.role === 'subscriber' } });
    expect((await subscribersOnly.check(bearer(alice), { kind: 'rtc', channel: 'room', role: 'subscriber', uid: 0 })).ok).toBe(true);
    expect(failure(await subscribersOnly.check(bearer(alice), { kind: 'rte', channel: 'room', role: 'subscriber', uid: 0, rtmUserId: 'alice' })).status).toBe(403);
  });

  it('userClaim names the claim that holds the Chat username', async () => {
    const byName = createJwtAuth({ ...base(), userClaim: 'preferred_username' });
    const token = await jwt({ sub: 'auth0|123', preferred_username: 'alice' });
    expect(await byName.check(bearer(token), chatUser('alice'))).toMatchObject({ ok: true, subject: 'alice' });
    expect(failure(await auth.check(bearer(token), chatUser('alice'))).status).toBe(403);
  });

  it('a local public key instead of a JWKS: PEM (RSA, EC) and JWK', async () => {
    const rsa = await generateKeyPair('RS256');
    const local = createJwtAuth({ publicKey: await exportSPKI(rsa.publicKey), issuer: ISSUER });
    const token = await jwt({ sub: 'alice' }, { key: rsa.privateKey, alg: 'RS256' });
    expect(await local.check(bearer(token), chatUser('alice'))).toMatchObject({ ok: true, subject: 'alice' });
    expect(failure(await local.check(bearer(await jwt({ sub: 'alice' })), chatUser('alice'))).status).toBe(401); // an EC token
    const ec = createJwtAuth({ publicKey: await exportSPKI(keys.publicKey), issuer: ISSUER });
    expect((await ec.check(bearer(await jwt({ sub: 'alice' })), chatUser('alice'))).ok).toBe(true);
    const fromJwk = createJwtAuth({ publicKey: jwks, issuer: ISSUER, audience: AUDIENCE });
    expect((await fromJwk.check(bearer(await jwt({ sub: 'alice' })), chatUser('alice'))).ok).toBe(true);
  });

  it('a JWKS that cannot be read → 503 upstream_unavailable (not the client\'s fault, so no 401)', async () => {
    const down = await startStubHost((_, res) => res.writeHead(500).end());
    try {
      const broken = createJwtAuth({ jwksUrl: `${down.url}/jwks`, audience: AUDIENCE });
      const refused = failure(await broken.check(bearer(await jwt({ sub: 'alice' })), chatUser('alice')));
      expect(refused).toMatchObject({ status: 503, code: 'upstream_unavailable' });
    } finally {
      await down.close();
    }
  });

  it('refuses bad options at creation with a TokenError', async () => {
    const pem = await exportSPKI(keys.publicKey);
    const bad: JwtAuthOptions[] = [
      {},
      { jwksUrl: 'https://x.test/jwks', publicKey: pem, audience: 'a' },
      { jwksUrl: 'https://x.test/jwks' }, // no audience
      { jwksUrl: 'not a url', audience: 'a' },
      { publicKey: 'not a pem' },
      { publicKey: { kty: 'oct', k: 'c2VjcmV0' } },
      { publicKey: { ...jwks, d: 'private' } },
      { publicKey: pem, serverSecret: 'short' },
      { publicKey: pem, serverSecret: 'sixteen chars with spaces' },
      { publicKey: pem, clockToleranceSeconds: -1 },
      { publicKey: pem, algorithms: ['HS256'] },
      { publicKey: pem, audience: [] },
    ];
    for (const options of bad) expect(() => createJwtAuth(options), JSON.stringify(options)).toThrow(TokenError);
  });

  it('the server secret alone: the secret gets every token, no JWT is accepted', async () => {
    const only = createJwtAuth({ serverSecret: SECRET });
    expect(await only.check(bearer(SECRET), chatApp)).toMatchObject({ ok: true, via: 'secret' });
    expect(failure(await only.check(bearer(await jwt({ sub: 'alice' })), chatUser('alice'))).status).toBe(401);
    expect(failure(await only.check(bearer(undefined), chatUser('alice'))).status).toBe(401);
  });

  it('constantTimeEqual', () => {
    expect(constantTimeEqual(SECRET, SECRET)).toBe(true);
    expect(constantTimeEqual(SECRET, `${SECRET}x`)).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('a', '')).toBe(false);
    expect(constantTimeEqual('ab', 'ba')).toBe(false);
  });
});
