import { PAGE_SCRIPT_FILE } from './routes';

/**
 * The page's Content-Security-Policy: scripts only from this server (the page's bundle, the
 * Agora Chat Web SDK inside it), requests only to this server and to Agora (the SDK's
 * connection), nothing framed or posted elsewhere.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self' https://*.agora.io wss://*.agora.io",
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

/**
 * The page at `/`: the guide's web client on the Agora Chat Web SDK (its script, served at
 * `/page.js`, is the browser bundle `dist/browser/page.js`), plus a token inspector.
 */
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
<p class="lead">The web client of Agora Chat's token guide, on the Agora Chat Web SDK: log in with a username (a Chat user token from this server, then <code>connection.open</code>), and watch <code>keepChatTokenFresh</code> from agora-access-token2/client renew it before it expires. Tokens are read in this page by agora-access-token2.</p>
${demo}
<section>
<h2>Log in</h2>
<form id="login-form" autocomplete="off">
  <label for="username">Username</label>
  <input id="username" name="username" required maxlength="64" placeholder="alice" spellcheck="false">
  <label for="app-key">App Key</label>
  <input id="app-key" name="app-key" maxlength="128" placeholder="org#app (Agora Console)" size="22" spellcheck="false">
  <button id="login" type="submit">Login</button>
  <button id="logout" type="button" class="secondary" hidden>Log out</button>
</form>
<p id="login-error" class="error" role="alert"></p>
<div id="session" hidden>
  <p><span id="session-status" class="ok"></span> — <span id="countdown"></span>; renewals: <span id="renewals">0</span></p>
  <p id="agora-status" class="muted" role="status"></p>
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
