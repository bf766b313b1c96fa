/** Runs the built CLI (dist/cli.js) as a child process, with a clean Agora environment. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment without any AGORA_* / PORT variable of the developer's shell, plus `env`. */
export function cleanEnv(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AGORA_|PORT$)/.test(name)));
  return { ...base, ...env };
}

export function runCli(args: readonly string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/**
 * Starts a long-running CLI command; resolves once stdout matches `ready`. `fdLimit` runs it
 * under `ulimit -n` (through /bin/sh, which `exec`s node: the pid is node's).
 */
export function startCli(
  args: readonly string[], env: Record<string, string>, ready: RegExp, options: { fdLimit?: number } = {},
): Promise<{ child: ChildProcess; output: () => string; match: RegExpMatchArray; stop: () => Promise<number | null> }> {
  return new Promise((resolve, reject) => {
    const command = options.fdLimit === undefined
      ? [process.execPath, CLI, ...args]
      : ['/bin/sh', '-c', `ulimit -n ${options.fdLimit} && exec "$0" "$@"`, process.execPath, CLI, ...args];
    const child = spawn(command[0], command.slice(1), { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onData = (chunk: Buffer) => {
      out += chunk;
      const match = out.match(ready);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (more: Buffer) => (out += more));
        resolve({
          child,
          output: () => out,
          match,
          stop: () => new Promise((done) => {
            if (child.exitCode !== null) return done(child.exitCode);
            child.once('exit', (code) => done(code));
            child.kill('SIGTERM');
          }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk));
    child.on('exit', (code) => reject(new Error(`CLI exited with ${code} before it was ready:\n${out}`)));
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI not ready within 10 s:\n${out}`));
    }, 10_000);
  });
}
