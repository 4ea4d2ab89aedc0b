/**
 * A JSON file the GUI keeps for itself (a remembered choice, the daemons it found): absent is
 * no value, not a problem; one that cannot be read or parsed is a problem naming the file and,
 * for a hand-edited one, the line and column where it breaks.
 */
import { readFileSync } from 'node:fs';
import { findJsonSyntaxError } from './jsonSyntax.js';

export type JsonFileRead = { ok: true; value: unknown } | { ok: false; problem: string };

/** `value` undefined: there is no such file. */
export function readJsonFile(file: string): JsonFileRead {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, value: undefined };
    return { ok: false, problem: `cannot read ${file}: ${(e as Error).message}` };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const p = findJsonSyntaxError(text);
    return { ok: false, problem: `${file} is not valid JSON: ${p ? `line ${p.line}, column ${p.column}: ${p.message}` : (e as Error).message}` };
  }
}
