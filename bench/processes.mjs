// Server processes for the load benches: start one, read its CPU time and memory from /proc.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const APP_ID = '970ca35de60c44645bbae8a215061b33';
export const CERT = '5cfd2fd1755d40ecb72977518be15d3b';

/** This process's environment without the developer's AGORA_* / PORT, plus the bench credentials. */
export const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(AGORA_|PORT$)/.test(name))),
  AGORA_APP_ID: APP_ID,
  AGORA_APP_CERTIFICATE: CERT,
};

/** Starts a server process; resolves with its URL, pid and a stop function. */
export async function start(args, extraEnv = {}) {
  const child = spawn(process.execPath, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${out}`)));
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (match) resolve(match[1]);
    });
  });
  child.removeAllListeners('exit');
  return { url, pid: child.pid, stop: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }) };
}

/** CPU seconds (user + system) a process has used so far, from /proc; undefined elsewhere. */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return undefined;
  }
}

/** Resident memory of a process in MiB, from /proc; undefined elsewhere. */
export function rssMiB(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
