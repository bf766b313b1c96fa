import { parseArgs } from 'node:util';
import { isHex } from '../bytes/hex';

/** Bad command-line input: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One command-line flag: its type and the help line that documents it. */
export interface Flag {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  /** One-letter alias, e.g. `h` for `-h`. */
  readonly short?: string;
  /** Placeholder shown in help, e.g. `SECONDS`. */
  readonly value?: string;
  readonly help: string;
}

export type Flags = Readonly<Record<string, Flag>>;

/** What `parseArgs` returns for a flag set. */
export interface Parsed {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
  readonly positionals: readonly string[];
}

export const HELP_FLAG: Flags = { help: { type: 'boolean', short: 'h', help: 'show this help' } };

/** Parses `args` against `flags`; unknown flags and missing values are a {@link UsageError}. */
export function parse(args: readonly string[], flags: Flags, maxPositionals: number): Parsed {
  let parsed: Parsed & { tokens: readonly { kind: string; name?: string }[] };
  try {
    parsed = parseArgs({
      args: joinNegativeValues(args, flags),
      options: Object.fromEntries(Object.entries(flags).map(([name, flag]) => [name, { type: flag.type, multiple: flag.multiple === true, ...(flag.short ? { short: flag.short } : {}) }])),
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (error) {
    // parseArgs explains well but at length; its first sentence is the one line we print.
    const message = error instanceof Error ? error.message.split(/\.\s/)[0].replace(/\.$/, '') : String(error);
    throw new UsageError(message);
  }
  // A value flag given twice would silently keep the last value.
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) { // Node 18.3-18.6 return no tokens
    if (token.kind !== 'option' || token.name === undefined || flags[token.name]?.type !== 'string' || flags[token.name].multiple) continue;
    if (seen.has(token.name)) throw new UsageError(`--${token.name} is given more than once`);
    seen.add(token.name);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument ${shown(parsed.positionals[maxPositionals])}`);
  }
  return parsed;
}

/** An argument for an error message: never one that may be an app certificate (32 hex digits). */
function shown(argument: string): string {
  if (isHex(argument, 32)) return '(32 hexadecimal characters, not shown: an app ID or certificate goes after its flag)';
  return JSON.stringify(argument.length > 80 ? `${argument.slice(0, 80)}…` : argument);
}

/**
 * `--expire -5` as `--expire=-5`: parseArgs takes a value starting with `-` for a flag and calls
 * it ambiguous; for a string flag followed by a negative number the number is the value, so both
 * forms reach the flag's own check (and its message).
 */
function joinNegativeValues(args: readonly string[], flags: Flags): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const name = arg.startsWith('--') ? arg.slice(2) : undefined;
    const next = args[i + 1];
    if (name !== undefined && flags[name]?.type === 'string' && next !== undefined && /^-[0-9]/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

/** The help text of a flag set, one aligned line per flag. */
export function flagHelp(flags: Flags): string {
  const entries = Object.entries(flags).map(([name, flag]) => [`${flag.short ? `-${flag.short}, ` : ''}--${name}${flag.value ? ` ${flag.value}` : ''}`, flag.help]);
  const width = Math.max(...entries.map(([left]) => left.length));
  return entries.map(([left, help]) => `  ${left.padEnd(width)}  ${help}`).join('\n');
}

/** A string flag's value, or undefined. */
export function text(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A required string flag. */
export function required(parsed: Parsed, name: string): string {
  const value = text(parsed, name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

/** A whole-number flag within [min, max], or `fallback` when absent. */
export function integer(parsed: Parsed, name: string, fallback: number, min = 0, max = 0xffffffff): number {
  const value = text(parsed, name);
  if (value === undefined) return fallback;
  if (/^-[0-9]+$/.test(value)) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${value}: it cannot be negative`);
  }
  if (!/^[0-9]{1,16}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value.slice(0, 40))}`);
  }
  return Number(value);
}

/** An optional whole-number flag. */
export function optionalInteger(parsed: Parsed, name: string, min = 0, max = 0xffffffff): number | undefined {
  return text(parsed, name) === undefined ? undefined : integer(parsed, name, 0, min, max);
}

/** One of a fixed set of words. */
export function choice<const T extends string>(parsed: Parsed, name: string, allowed: readonly T[], fallback: T): T;
/** Without a fallback: `undefined` when the flag is absent. */
export function choice<const T extends string>(parsed: Parsed, name: string, allowed: readonly T[]): T | undefined;
export function choice<const T extends string>(parsed: Parsed, name: string, allowed: readonly T[], fallback?: T): T | undefined {
  const value = text(parsed, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value.slice(0, 40))}`);
  }
  return value as T;
}

/** A flag or, when absent, an environment variable. */
export function fromFlagOrEnv(parsed: Parsed, name: string, envName: string, env: NodeJS.ProcessEnv): string | undefined {
  const value = text(parsed, name) ?? env[envName];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The credential flags every command takes: `--app-id`, `--app-certificate` and its older
 * spelling `--certificate`.
 */
export const CREDENTIAL_FLAGS: Flags = {
  'app-id': { type: 'string', value: 'HEX32', help: 'Agora app ID (default: $AGORA_APP_ID)' },
  'app-certificate': { type: 'string', value: 'HEX32', help: 'app certificate (default: $AGORA_APP_CERTIFICATE; the variable keeps it out of `ps`)' },
  certificate: { type: 'string', value: 'HEX32', help: 'same as --app-certificate' },
};

/** The app certificate from `--app-certificate`, `--certificate` or AGORA_APP_CERTIFICATE. */
export function appCertificateOf(parsed: Parsed, env: NodeJS.ProcessEnv): string | undefined {
  const both = text(parsed, 'app-certificate') !== undefined && text(parsed, 'certificate') !== undefined;
  if (both) throw new UsageError('give --app-certificate or --certificate, not both');
  return fromFlagOrEnv(parsed, text(parsed, 'certificate') !== undefined ? 'certificate' : 'app-certificate', 'AGORA_APP_CERTIFICATE', env);
}
