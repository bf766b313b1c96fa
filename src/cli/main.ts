import { webcrypto } from 'node:crypto';
import { UsageError } from './args';
import type { Io } from './io';
import { run } from './run';

// Node 18 has no global Web Crypto; the builders take their salt from it (the core itself uses
// only crypto.getRandomValues, which every other runtime has).
(globalThis as { crypto?: unknown }).crypto ??= webcrypto;

const io: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  env: process.env,
  now: () => Date.now(),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of process.stdin) {
      size += (chunk as Buffer).length;
      if (size > 1 << 20) throw new UsageError('standard input is over 1 MiB; a token is under 1 KB');
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  },
};

run(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
});
