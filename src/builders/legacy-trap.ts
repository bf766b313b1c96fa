import { TokenError } from '../base/errors';

/**
 * The 006 builders share their names with `agora-token`'s 007 builders (`RtcTokenBuilder`,
 * `RtmTokenBuilder`). Code written for `agora-token` with only the import changed must fail
 * loudly here, never make a 006 token whose privileges ended in 1970.
 */
function wrongBuilder(called: string, use: string): TokenError {
  const builder = use.slice(0, use.indexOf('.'));
  const method = use.slice(use.indexOf('.') + 1);
  return new TokenError(
    'ERR_INVALID_ARGUMENT',
    `${called} from "agora-access-token2" is the legacy 006 builder; for agora-token's 007 call use ${use} (or ${builder.replace(/2$/, '')}.${method} from "agora-access-token2/compat")`,
  );
}

/**
 * A 006 builder's last argument: `BuildOptions` or nothing. A number there is agora-token's
 * `privilegeExpire` (a 007 call): refused with the builder to use.
 */
export function optionsOf006(options: unknown, called: string, use: string): void {
  if (options !== undefined && (typeof options !== 'object' || options === null)) throw wrongBuilder(called, use);
}

/** A method agora-token's 007 builder has and the 006 builder does not: throws naming `use`. */
export function notIn006(builder: string, method: string, use: string): (...args: never[]) => never {
  return () => {
    throw wrongBuilder(`${builder}.${method}`, use);
  };
}
