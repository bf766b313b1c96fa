/**
 * Where the time goes: a build (or verify) loop over the BUILT package for `node --cpu-prof`,
 * and a summary of the resulting profile by self time. Plain Node, no TypeScript, so the profile
 * holds nothing but the library and the loop. See docs/performance.md.
 *
 *   npm run build
 *   node --cpu-prof --cpu-prof-dir=.profile bench/profile.mjs build   # or: verify
 *   node bench/profile.mjs summary .profile/*.cpuprofile              # top functions
 */
import { readFileSync } from 'node:fs';
import { APP_CERTIFICATE, APP_ID, EXPIRE, INPUT_MASK, userIds } from './inputs.mjs';

const [mode = 'build', ...rest] = process.argv.slice(2);

if (mode === 'summary') {
  for (const file of rest) summarize(file, 25);
} else {
  await loop(mode);
}

async function loop(what) {
  // The ESM build, through the package's own exports map (what `import` users get).
  const lib = await import('agora-access-token2');
  const now = Math.floor(Date.now() / 1000);
  const tokens = userIds.map((id, i) =>
    lib.ChatTokenBuilder2.buildUserToken(APP_ID, APP_CERTIFICATE, id, EXPIRE, { issueTs: now - ((i * 7) % 3000) }));
  const n = 300_000;
  let sink = 0;
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    sink += what === 'verify'
      ? lib.verifyToken(tokens[i & INPUT_MASK], APP_CERTIFICATE).issueTs
      : lib.ChatTokenBuilder2.buildUserToken(APP_ID, APP_CERTIFICATE, userIds[i & INPUT_MASK], EXPIRE).length;
  }
  const used = process.cpuUsage(cpu);
  console.log(`${what}: ${n} calls, ${(((used.user + used.system) * 1000) / n).toFixed(0)} ns CPU each (sink ${sink & 1})`);
}

/** Self time per function (name, file, line), largest first. */
function summarize(file, top) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const where = url ? `${url.split('/').slice(-2).join('/')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
  for (const [key, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
  }
}
