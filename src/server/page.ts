import { BUNDLE_FILE, PAGE_SCRIPT_FILE } from './routes';

/**
 * The page's Content-Security-Policy: scripts only from this server (the page script and the
 * library's browser build), requests only to this server, nothing framed or posted elsewhere.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const STYLE = `
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 920px; padding: 1rem 1.5rem 3rem; color: #1d2433; }
  h1 { font-size: 1.35rem; margin-bottom: .2rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
  .lead { color: #4b5565; margin-top: 0; }
  .demo { background: #fff3cd; border: 1px solid #e0b252; padding: .6rem .8rem; border-radius: 6px; }
  form { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; }
  input, textarea, button { font: inherit; padding: .4rem .6rem; border: 1px solid #b7bfcc; border-radius: 6px; }
  textarea { width: 100%; min-height: 5.5rem; font-family: ui-monospace, monospace; font-size: 13px; }
  button { background: #1859d6; color: #fff; border-color: #1859d6; cursor: pointer; }
  button.secondary { background: #fff; color: #1859d6; }
  table { border-collapse: collapse; margin: .6rem 0; width: 100%; }
  th, td { text-align: left; padding: .25rem .6rem; border-bottom: 1px solid #e4e8ef; vertical-align: top; }
  th { width: 11rem; color: #4b5565; font-weight: 600; }
  td { font-family: ui-monospace, monospace; font-size: 13px; word-break: break-all; }
  .service { border: 1px solid #d5dbe5; border-radius: 8px; padding: .3rem .8rem; margin: .6rem 0; }
  .error { color: #b3261e; font-weight: 600; white-space: pre-wrap; }
  .ok { color: #17702f; font-weight: 600; }
  .muted { color: #6b7385; }
  #events { font-family: ui-monospace, monospace; font-size: 12px; color: #4b5565; max-height: 9rem; overflow: auto; }
`;

/** The page at `/`: the guide's web client, plus a token inspector. */
export function pageHtml(options: { demo: boolean }): string {
  const demo = options.demo
    ? '<p class="demo" id="demo-banner"><strong>Demo credentials.</strong> This server made up its app ID and certificate at start; its tokens are well formed but Agora will not accept them. Set AGORA_APP_ID and AGORA_APP_CERTIFICATE for real ones.</p>'
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Agora Chat tokens</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
<script type="module" src="./${PAGE_SCRIPT_FILE}"></script>
</head>
<body>
<h1>Agora Chat tokens</h1>
<p class="lead">The web client of Agora Chat's token guide: log in with a username, get a Chat user token from this server, watch it renew before it expires. Tokens are read in this page by agora-access-token2.</p>
${demo}
<section>
<h2>Log in</h2>
<form id="login-form" autocomplete="off">
  <label for="username">Username</label>
  <input id="username" name="username" required maxlength="64" placeholder="alice" spellcheck="false">
  <button id="login" type="submit">Login</button>
  <button id="logout" type="button" class="secondary" hidden>Log out</button>
</form>
<p id="login-error" class="error" role="alert"></p>
<div id="session" hidden>
  <p><span id="session-status" class="ok"></span> — <span id="countdown"></span>; renewals: <span id="renewals">0</span></p>
  <div id="user-token"></div>
  <div id="events" aria-live="polite"></div>
</div>
</section>
<section>
<h2>Inspect a token</h2>
<p class="muted">Paste any 006 or 007 token. With the app certificate the signature is checked too — here, in the page: the certificate is never sent anywhere.</p>
<form id="inspect-form" autocomplete="off">
  <textarea id="inspect-token" placeholder="007eJxT…" spellcheck="false" required></textarea>
  <input id="inspect-certificate" type="password" placeholder="App certificate (optional)" size="36" spellcheck="false">
  <input id="inspect-channel" placeholder="006 only: channel" size="14" spellcheck="false">
  <input id="inspect-uid" placeholder="006 only: uid" size="10" spellcheck="false">
  <button id="inspect" type="submit">Decode</button>
</form>
<p id="inspect-error" class="error" role="alert"></p>
<p id="inspect-verdict"></p>
<div id="inspect-result"></div>
</section>
</body>
</html>
`;
}

/**
 * The page's script (an ES module; no template literals inside, it lives in one). Renewal
 * follows the Chat SDK's `onTokenWillExpire` flow, driven by the decoded expiry: the new token
 * is fetched when 80 % of the lifetime has passed, at least 30 s before the end (at most half
 * the lifetime early); a Chat app would then call `connection.renewToken(token)`.
 */
export const PAGE_SCRIPT = `import { decodeToken, verifyToken, SERVICES } from './${BUNDLE_FILE}';

const $ = (id) => document.getElementById(id);
let session = null;

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function time(seconds) {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z') + ' (' + seconds + ')';
}

function duration(seconds) {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return (h ? h + 'h ' : '') + (h || m ? m + 'm ' : '') + r + 's';
}

function table(rows) {
  const t = element('table');
  for (const [label, value] of rows) {
    const tr = element('tr');
    tr.append(element('th', label), element('td', value));
    t.append(tr);
  }
  return t;
}

function privilegeText(p) {
  return (p.name || 'privilege ' + p.id) + ' (' + p.id + '): ' + (p.expiresAt === null ? 'no limit of its own' : 'until ' + time(p.expiresAt));
}

function fieldText(name, value) {
  if (name === 'permissions') return JSON.stringify(value);
  return value === '' ? '"" (empty)' : JSON.stringify(value);
}

// The fields of each service come from the library's service table, as the CLI prints them.
function renderToken(decoded) {
  const box = element('div');
  box.dataset.version = decoded.version;
  if (decoded.version === '007') {
    box.append(table([
      ['version', '007 (AccessToken2)'], ['app ID', decoded.appId], ['issued', time(decoded.issueTs)],
      ['expires', time(decoded.expiresAt) + ', lifetime ' + duration(decoded.expire)], ['salt', decoded.salt],
    ]));
    for (const service of decoded.services) {
      const section = element('div', undefined, 'service');
      section.dataset.service = service.name;
      section.append(element('strong', service.label + ' service (type ' + service.type + ')'));
      const spec = SERVICES[service.type];
      const rows = (spec ? spec.fields : []).map((f) => [f.name, fieldText(f.name, service[f.name])]);
      for (const p of service.privilegeDetails) rows.push(['privilege', privilegeText(p)]);
      if (service.privilegeDetails.length === 0) rows.push(['privileges', 'none']);
      if (service.unparsed) rows.push(['unparsed', service.unparsed.length + ' bytes of an unknown service type']);
      section.append(table(rows));
      box.append(section);
    }
  } else {
    const rows = [
      ['version', '006 (AccessToken, legacy)'], ['app ID', decoded.appId], ['expires', time(decoded.expiresAt)],
      ['salt', decoded.salt], ['CRC-32 of channel', decoded.crcChannelName], ['CRC-32 of uid', decoded.crcUid],
    ];
    for (const p of decoded.privilegeDetails) rows.push(['privilege', privilegeText(p)]);
    box.append(table(rows));
  }
  return box;
}

function problem(error) {
  return (error && error.code ? error.code + ': ' : '') + (error && error.message ? error.message : String(error));
}

function note(text) {
  const line = element('div', new Date().toLocaleTimeString() + '  ' + text);
  $('events').prepend(line);
}

async function fetchUserToken(username) {
  const response = await fetch('./chat/user/' + encodeURIComponent(username) + '/token', {
    headers: { accept: 'application/json' },
  });
  const body = await response.json().catch(() => null);
  if (!response.ok || !body || typeof body.token !== 'string') {
    const error = new Error(body && body.message ? body.message : 'HTTP ' + response.status);
    error.code = body && body.error ? body.error : 'http_' + response.status;
    throw error;
  }
  return body.token;
}

function stopSession() {
  if (!session) return;
  clearTimeout(session.renewTimer);
  clearInterval(session.countdownTimer);
  session = null;
}

// Server clock minus ours, from the moment a fresh token arrives: countdowns use server time.
function serverNow() {
  return Date.now() / 1000 + (session ? session.skew : 0);
}

function accept(token) {
  const decoded = decodeToken(token);
  if (decoded.version !== '007') throw new Error('the server sent a ' + decoded.version + ' token');
  session.token = token;
  session.decoded = decoded;
  // issueTs is whole seconds, floored: take the latest instant it can stand for, so renewal is early rather than late.
  session.skew = decoded.issueTs + 1 - Date.now() / 1000;
  $('user-token').replaceChildren(renderToken(decoded));
  $('session-status').textContent = 'Logged in as ' + session.username;
  // Renew at 80 % of the lifetime, at least 30 s early — but never earlier than half-way, so a
  // very short token does not renew in a loop.
  const margin = Math.max(decoded.expire * 0.2, Math.min(30, decoded.expire / 2));
  const renewIn = (decoded.expiresAt - margin - serverNow()) * 1000;
  clearTimeout(session.renewTimer);
  session.renewTimer = setTimeout(tokenWillExpire, Math.max(0, renewIn));
  tick();
}

function tick() {
  if (!session) return;
  const left = session.decoded.expiresAt - serverNow();
  $('countdown').textContent = left > 0 ? 'token expires in ' + duration(left) : 'token expired';
}

// The onTokenWillExpire flow: fetch a new token before the old one lapses.
async function tokenWillExpire() {
  const current = session;
  if (!current) return;
  note('token will expire in ' + duration(current.decoded.expiresAt - serverNow()) + ': renewing');
  try {
    const token = await fetchUserToken(current.username);
    if (session !== current) return;
    current.renewals += 1;
    accept(token);
    $('renewals').textContent = String(current.renewals);
    note('token renewed; new expiry ' + time(current.decoded.expiresAt));
  } catch (error) {
    if (session !== current) return;
    note('renewal failed (' + problem(error) + '); trying again in 5 s');
    current.renewTimer = setTimeout(tokenWillExpire, 5000);
  }
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const username = $('username').value.trim().toLowerCase();
  $('login-error').textContent = '';
  stopSession();
  $('session').hidden = true;
  try {
    const token = await fetchUserToken(username);
    session = { username, renewals: 0, renewTimer: 0, countdownTimer: 0, skew: 0 };
    accept(token);
    session.countdownTimer = setInterval(tick, 1000);
    $('renewals').textContent = '0';
    $('events').replaceChildren();
    note('logged in with a token for ' + username);
    $('session').hidden = false;
    $('logout').hidden = false;
  } catch (error) {
    stopSession();
    $('login-error').textContent = 'Login failed: ' + problem(error);
  }
});

$('logout').addEventListener('click', () => {
  stopSession();
  $('session').hidden = true;
  $('logout').hidden = true;
});

$('inspect-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('inspect-token').value.trim();
  const certificate = $('inspect-certificate').value.trim();
  $('inspect-error').textContent = '';
  $('inspect-verdict').textContent = '';
  $('inspect-verdict').className = '';
  $('inspect-result').replaceChildren();
  let decoded;
  try {
    decoded = decodeToken(token);
  } catch (error) {
    $('inspect-error').textContent = 'Cannot decode: ' + problem(error);
    return;
  }
  $('inspect-result').append(renderToken(decoded));
  if (!certificate) {
    $('inspect-verdict').textContent = 'Decoded only: enter the app certificate to check the signature.';
    return;
  }
  const options = {};
  if (decoded.version === '006') {
    options.channelName = $('inspect-channel').value;
    options.uid = $('inspect-uid').value;
  }
  try {
    verifyToken(token, certificate, options);
    $('inspect-verdict').textContent = 'Valid: the signature matches this certificate and the token is in date.';
    $('inspect-verdict').className = 'ok';
  } catch (error) {
    $('inspect-error').textContent = 'Not valid: ' + problem(error);
  }
});
`;
