// Per Node version, from the installed package: the CLI builds a token (Node 18 included: the CLI
// brings Node's Web Crypto itself), `import('agora-access-token2/server')` answers, and
// `require` of it answers where Node can require ES modules (jose 6, the server's JWT library,
// ships only those: Node ^20.19 || ^22.12 || >= 23; elsewhere Node refuses with ERR_REQUIRE_ESM,
// as the README says).
// Usage: node cli-server.mjs <label>
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { webcrypto } from 'node:crypto';

const [label] = process.argv.slice(2);
const APP_ID = '970ca35de60c44645bbae8a215061b33';
const CERT = '5cfd2fd1755d40ecb72977518be15d3b';
globalThis.crypto ??= webcrypto; // Node 18, for the server's salts (the README's advice)
let passed = 0;
let failed = 0;
async function check(name, run) {
  try {
    await run();
    passed++;
  } catch (error) {
    failed++;
    console.error(`  ${name}: ${String(error?.message ?? error).split('\n')[0]}`);
  }
}
const expect = (ok, what) => {
  if (!ok) throw new Error(what);
};

await check('CLI build', () => {
  const cli = createRequire(import.meta.url).resolve('agora-access-token2/package.json').replace(/package\.json$/, 'dist/cli.js');
  const token = execFileSync(process.execPath, [cli, 'build', 'chat-user', '--user-id', 'alice', '--app-id', APP_ID, '--app-certificate', CERT], { encoding: 'utf8' }).trim();
  expect(/^007[A-Za-z0-9+/]+=*$/.test(token), `not a token: ${token.slice(0, 60)}`);
});

async function serves(server) {
  const ping = await server.fetch(new Request('http://localhost/ping'));
  expect(ping.status === 200, `/ping answered ${ping.status}`);
  const token = await (await server.fetch(new Request('http://localhost/chat/app/token'))).text();
  expect(token.startsWith('007'), `/chat/app/token answered ${token.slice(0, 60)}`);
}
const options = { appId: APP_ID, appCertificate: CERT };

await check('import server', async () => {
  const { createTokenServer, HttpError } = await import('agora-access-token2/server');
  expect(typeof HttpError === 'function', 'HttpError is not exported as a class');
  await serves(createTokenServer(options));
});

const [major, minor] = process.versions.node.split('.').map(Number);
const requiresEsm = major >= 23 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
await check('require server', async () => {
  const require = createRequire(import.meta.url);
  let loaded;
  try {
    loaded = require('agora-access-token2/server');
  } catch (error) {
    expect(!requiresEsm && error.code === 'ERR_REQUIRE_ESM', `require failed: ${error.code ?? error.message}`);
    return; // this Node cannot require jose 6, as documented
  }
  expect(requiresEsm, 'require worked where the README says it cannot: update the README');
  await serves(loaded.createTokenServer(options));
});

console.log(`${label}: ${passed} passed, ${failed} failed`);
if (failed > 0) process.exitCode = 1;
