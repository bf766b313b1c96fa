import { nowSeconds } from './clock';
import { randomSalt } from './random';
import { checkU32 } from './validate';

/**
 * Optional last argument of every builder: fix the clock reading and the salt (for tests and
 * reproducible tokens). Defaults: the current Unix time in seconds, and a fresh random salt in
 * 1 … 99,999,999 (the references' range).
 */
export interface BuildOptions {
  /** Unix time in seconds the token is issued at; 007 expires are counted from it. */
  readonly issueTs?: number;
  /** The token's salt, any u32; by default drawn from `crypto.getRandomValues`, uniform over 1 … 99,999,999. */
  readonly salt?: number;
}

/** The issue time and salt a build uses: the options' values, checked, or the defaults. */
export function resolveBuildOptions(options: BuildOptions | undefined): { issueTs: number; salt: number } {
  return {
    issueTs: options?.issueTs === undefined ? nowSeconds() : checkU32(options.issueTs, 'issueTs'),
    salt: options?.salt === undefined ? randomSalt() : checkU32(options.salt, 'salt'),
  };
}
