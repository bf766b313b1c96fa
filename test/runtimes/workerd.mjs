// Runs the conformance subset in Cloudflare's workerd: bundles worker.mjs (with the package and
// the vectors) into one Worker module with esbuild, serves it on a loopback port, asks it once.
// Usage: node workerd.mjs <label> <staged consumer dir>
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { summaryLine } from './conformance.mjs';

const [label, consumer] = process.argv.slice(2);
const WORKERD = fileURLToPath(new URL('../../node_modules/.bin/workerd', import.meta.url));
const STARTUP_MS = 20_000;

/** A loopback port nobody is listening on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** GET url, retrying while workerd starts; the parsed JSON body. */
async function fetchWhenUp(url, child) {
  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`workerd exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
      return await response.json();
    } catch (err) {
      if (Date.now() > deadline || /^HTTP/.test(err.message)) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

await esbuild.build({
  entryPoints: [join(consumer, 'worker.mjs')],
  outfile: join(consumer, 'worker.bundle.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['workerd', 'worker', 'browser'],
  logLevel: 'error',
});

const port = await freePort();
writeFileSync(join(consumer, 'workerd.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .conformance)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const conformance :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed "worker.bundle.mjs")],
  compatibilityDate = "2025-09-01",
);
`);

const child = spawn(WORKERD, ['serve', join(consumer, 'workerd.capnp')], { stdio: ['ignore', 'inherit', 'inherit'] });
try {
  const result = await fetchWhenUp(`http://127.0.0.1:${port}/`, child);
  for (const failure of result.failures.slice(0, 20)) console.error(`  ${failure}`);
  console.log(summaryLine(label, result));
  if (result.failed > 0) process.exitCode = 1;
} finally {
  child.kill();
}
