/** What a command touches outside itself; `main` wires it to the process, tests could fake it. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  readonly env: NodeJS.ProcessEnv;
  now(): number;
  /** All of standard input, for a token given as `-`. */
  readStdin(): Promise<string>;
}
