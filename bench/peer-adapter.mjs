// The adapter the shared peer benchmark (peer-bench.mjs, see its README) loads as its candidate:
// this package's public API, built (dist/), as users call it. Run `npm run build` first, then
//   node ../shared/bench/peer-bench.mjs bench/peer-adapter.mjs --reps 15
// from a directory whose node_modules holds agora-token 2.0.6 (this repo's does), or pass
// `--modules DIR`. PEER_ADAPTER_DIST=/path/to/dist measures another build (before/after).
const dist = process.env.PEER_ADAPTER_DIST ?? new URL('../dist/', import.meta.url).href;
const base = dist.endsWith('/') ? dist : `${dist}/`;
const href = base.startsWith('file:') ? base : `file://${base}`;
// What Node loads for `import 'agora-access-token2'`: the bundled build in dist/node (builds before
// it existed have only dist/index.js).
const { existsSync } = await import('node:fs');
const entry = existsSync(new URL('node/index.js', href)) ? 'node/index.js' : 'index.js';
const { ChatTokenBuilder2, RtcTokenBuilder2, verifyToken, TokenError } = await import(new URL(entry, href).href);

export const benchAdapter = {
  buildUserToken: (appId, appCertificate, userId, expire) => ChatTokenBuilder2.buildUserToken(appId, appCertificate, userId, expire),
  buildAppToken: (appId, appCertificate, expire) => ChatTokenBuilder2.buildAppToken(appId, appCertificate, expire),
  verify(token, appCertificate) {
    try {
      verifyToken(token, appCertificate);
      return true;
    } catch (error) {
      if (error instanceof TokenError) return false;
      throw error;
    }
  },
  rtcBuildTokenWithUid: (appId, appCertificate, channel, uid, role, tokenExpire, privilegeExpire) =>
    RtcTokenBuilder2.buildTokenWithUid(appId, appCertificate, channel, uid, role, tokenExpire, privilegeExpire),
};
