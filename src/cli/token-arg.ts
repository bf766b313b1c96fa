import { UsageError, type Parsed } from './args';
import type { Io } from './io';

/** The token positional: the argument itself, or standard input when it is `-`. */
export async function tokenArgument(parsed: Parsed, io: Io, command: string): Promise<string> {
  const given = parsed.positionals[0];
  if (given === undefined) throw new UsageError(`${command} needs a token (or - to read it from standard input)`);
  return given === '-' ? (await io.readStdin()).trim() : given;
}
