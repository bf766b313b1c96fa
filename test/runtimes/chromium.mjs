// Runs the conformance subset in Chromium: serves the staged consumer directory on a loopback
// port and opens page.html (a <script type="module"> page that loads the browser build) with
// playwright-core driving Debian's /usr/bin/chromium.
// Usage: node chromium.mjs <label> <staged consumer dir> [chromium executable]
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';
import { summaryLine } from './conformance.mjs';

const [label, consumer, executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json' };
const PAGE_TIMEOUT_MS = 60_000;

const server = createServer(async (request, response) => {
  const path = normalize(decodeURIComponent(new URL(request.url, 'http://x').pathname));
  try {
    const body = await readFile(join(consumer, path));
    response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => pageErrors.push(`request failed: ${req.url()}`));
  await page.goto(`http://127.0.0.1:${server.address().port}/page.html`);
  let result;
  try {
    result = await (await page.waitForFunction(() => window.conformance, null, { timeout: PAGE_TIMEOUT_MS })).jsonValue();
  } catch (err) {
    result = { passed: 0, failed: 1, failures: [String(err.message).split('\n')[0], ...pageErrors] };
  }
  for (const failure of result.failures.slice(0, 20)) console.error(`  ${failure}`);
  console.log(summaryLine(label, result));
  if (result.failed > 0) process.exitCode = 1;
} finally {
  await browser.close();
  server.close();
}
