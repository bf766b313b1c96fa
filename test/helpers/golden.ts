import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One golden vector, as stored in fixtures/golden (fields vary by kind). */
export interface GoldenVector {
  id: string;
  kind: string;
  call?: string;
  args?: Record<string, any>;
  issueTs?: number | null;
  salt?: number | null;
  token?: string | null;
  [key: string]: any;
}

const dir = fileURLToPath(new URL('../../fixtures/golden/', import.meta.url));

/** All vectors of one golden file. Tests read fixtures/, never ../shared. */
export function loadGolden(file: string): GoldenVector[] {
  return JSON.parse(readFileSync(dir + file, 'utf8')).vectors;
}
