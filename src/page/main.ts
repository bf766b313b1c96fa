// The web page's script, bundled with the Agora Chat Web SDK into dist/browser/page.js and
// served by the token server itself. Log in = fetch a user token from this server, then
// connection.open({ user, accessToken }); renewal = keepChatTokenFresh. When Agora cannot be
// reached the page says so, and the same helper keeps the token view and countdown going.
import agoraChatModule, { type AgoraChatStatic } from 'agora-chat';
import { keepChatTokenFresh, type FreshToken, type StopKeepingFresh, type TokenError } from '../client/index';
import { decodeToken, verifyToken, type DecodedToken007, type VerifyOptions } from '../index';
import { $, duration, element, problem, renderToken, time } from './render';

const params = new URLSearchParams(location.search);
/** ?expire=SECONDS: ask the server for short tokens (to watch renewals). */
const EXPIRE = params.get('expire');
/** ?renewBefore=SECONDS: renew this long before the end (default: a fifth of the lifetime, at most 30 s). */
const RENEW_BEFORE = params.get('renewBefore');
const RELOGIN_DELAY_MS = 2000;
/** The SDK's UMD build puts its API on `default` (one level deeper than its typings say, once bundled). */
const AgoraChat: AgoraChatStatic = (agoraChatModule as unknown as { default?: AgoraChatStatic }).default ?? agoraChatModule;

interface Session {
  readonly username: string;
  readonly connection: InstanceType<typeof AgoraChat.connection>;
  stop: StopKeepingFresh;
  decoded: DecodedToken007;
  expiresAt: number;
  skew: number;
  renewals: number;
  expired: boolean;
  countdown: ReturnType<typeof setInterval>;
  retry?: ReturnType<typeof setTimeout>;
}
let session: Session | undefined;

function note(text: string): void {
  $('events').prepend(element('div', `${new Date().toLocaleTimeString()}  ${text}`));
}

function status(text: string, className: 'ok' | 'error' | 'muted'): void {
  $('session-status').textContent = text;
  $('session-status').className = className;
}

function agora(text: string, className: 'ok' | 'error' | 'muted'): void {
  $('agora-status').textContent = text;
  $('agora-status').className = className;
}

async function fetchUserToken(username: string): Promise<string> {
  const query = EXPIRE ? `?expire=${encodeURIComponent(EXPIRE)}` : '';
  const response = await fetch(`./chat/user/${encodeURIComponent(username)}/token${query}`, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => null) as { token?: unknown; error?: string; message?: string } | null;
  if (!response.ok || !body || typeof body.token !== 'string') {
    throw Object.assign(new Error(body?.message ?? `HTTP ${response.status}`), { code: body?.error ?? `http_${response.status}` });
  }
  return body.token;
}

// Countdowns use the server's clock: issueTs is whole seconds, floored, so take the latest
// instant it can stand for (renewal early rather than late).
function show(current: Session, token: FreshToken): void {
  current.decoded = token.decoded;
  current.expiresAt = token.expiresAt;
  current.skew = token.decoded.issueTs + 1 - Date.now() / 1000;
  $('user-token').replaceChildren(renderToken(token.decoded));
  tick();
}

function tick(): void {
  if (!session) return;
  const left = session.expiresAt - (Date.now() / 1000 + session.skew);
  $('countdown').textContent = left > 0 ? `token expires in ${duration(left)}` : 'token expired';
}

function end(): void {
  clearTimeout(reloginTimer);
  if (!session) return;
  session.stop();
  clearInterval(session.countdown);
  clearTimeout(session.retry);
  session.connection.close();
  session = undefined;
}

function renewBefore(lifetime: number): number {
  return RENEW_BEFORE !== null ? Number(RENEW_BEFORE) : Math.min(30, lifetime / 5);
}

async function login(username: string, appKey: string): Promise<void> {
  const token = await fetchUserToken(username);
  const first = decodeToken(token);
  if (first.version !== '007') throw new Error(`the server sent a ${first.version} token`);
  const connection = new AgoraChat.connection({ appKey });
  const current: Session = {
    username, connection, stop: () => {}, decoded: first, expiresAt: first.expiresAt, skew: 0, renewals: 0, expired: false,
    countdown: setInterval(tick, 250),
  };
  session = current;
  show(current, { token, decoded: first, expiresAt: first.expiresAt });
  $('renewals').textContent = '0';
  status(`Logged in as ${username}`, 'ok');
  current.stop = keepChatTokenFresh(connection, {
    user: username,
    token, // its user id (the UUID or the username this server signs for) is the one every new token must carry
    renewBefore: renewBefore(first.expire),
    fetchToken: () => fetchUserToken(username),
    onRenewing: (reason) => {
      if (reason === 'expired') {
        current.expired = true;
        status('Session expired — logging in again', 'error');
        note('token expired before it could be renewed: session expired — logging in again');
      } else {
        note(`token will expire in ${duration(current.expiresAt - (Date.now() / 1000 + current.skew))}: renewing`);
      }
    },
    onToken: (fresh) => {
      show(current, fresh);
      if (current.expired) return; // a fresh login, handled by onRenewed / the SDK
      current.renewals += 1;
      $('renewals').textContent = String(current.renewals);
      note(`token renewed; new expiry ${time(fresh.expiresAt)}`);
    },
    onRenewed: (renewal) => {
      if (renewal.action === 'open') connected(current, 'logged in to Agora Chat again with a new token');
    },
    onError: (error: TokenError) => {
      if (session !== current) return;
      if (current.expired) {
        note(`could not log in again (${problem(error)}); trying again in ${RELOGIN_DELAY_MS / 1000} s`);
        current.retry = setTimeout(() => relogin(username, appKey), RELOGIN_DELAY_MS);
      } else if (error.code === 'ERR_TOKEN_RENEW') {
        unreachable((error as { cause?: unknown }).cause ?? error, 'the new token is kept here for the next login');
      } else {
        note(`renewal failed: ${problem(error)}`);
      }
    },
  });
  note(`logged in with a token for ${username}`);
  agora('Connecting to Agora Chat…', 'muted');
  connection.open({ user: username, accessToken: token }).then(
    () => connected(current, 'connected to Agora Chat'),
    (error: unknown) => unreachable(error, 'the token view and its renewal keep working on this page'),
  );
}

function connected(current: Session, what: string): void {
  if (session !== current) return;
  agora('Connected to Agora Chat', 'ok');
  note(what);
}

function unreachable(error: unknown, consequence: string): void {
  agora(`Agora Chat cannot be reached or refused the login (${problem(error).slice(0, 160)}): not connected; ${consequence}.`, 'error');
}

let reloginTimer: ReturnType<typeof setTimeout> | undefined;

/** After an expiry the server could not cure in time: a fresh login, as soon as the server answers. */
function relogin(username: string, appKey: string): void {
  end();
  status('Session expired — logging in again', 'error');
  login(username, appKey).then(
    () => note('session expired — logged in again with a fresh token'),
    (error: unknown) => {
      note(`login failed (${problem(error)}); trying again in ${RELOGIN_DELAY_MS / 1000} s`);
      status('Session expired — logging in again', 'error');
      reloginTimer = setTimeout(() => relogin(username, appKey), RELOGIN_DELAY_MS);
    },
  );
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const username = ($('username') as HTMLInputElement).value.trim().toLowerCase();
  const appKey = ($('app-key') as HTMLInputElement).value.trim() || 'demo#tokens';
  $('login-error').textContent = '';
  end();
  $('session').hidden = true;
  $('events').replaceChildren();
  login(username, appKey).then(
    () => {
      $('session').hidden = false;
      $('logout').hidden = false;
    },
    (error: unknown) => {
      end();
      $('login-error').textContent = `Login failed: ${problem(error)}`;
    },
  );
});

$('logout').addEventListener('click', () => {
  end();
  $('session').hidden = true;
  $('logout').hidden = true;
});

$('inspect-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = ($('inspect-token') as HTMLTextAreaElement).value.trim();
  const certificate = ($('inspect-certificate') as HTMLInputElement).value.trim();
  $('inspect-error').textContent = '';
  $('inspect-verdict').textContent = '';
  $('inspect-verdict').className = '';
  $('inspect-result').replaceChildren();
  let decoded;
  try {
    decoded = decodeToken(token);
  } catch (error) {
    $('inspect-error').textContent = `Cannot decode: ${problem(error)}`;
    return;
  }
  $('inspect-result').append(renderToken(decoded));
  if (!certificate) {
    $('inspect-verdict').textContent = 'Decoded only: enter the app certificate to check the signature.';
    return;
  }
  const options: VerifyOptions = decoded.version === '006'
    ? { channelName: ($('inspect-channel') as HTMLInputElement).value, uid: ($('inspect-uid') as HTMLInputElement).value }
    : {};
  try {
    verifyToken(token, certificate, options);
    $('inspect-verdict').textContent = 'Valid: the signature matches this certificate and the token is in date.';
    $('inspect-verdict').className = 'ok';
  } catch (error) {
    $('inspect-error').textContent = `Not valid: ${problem(error)}`;
  }
});
