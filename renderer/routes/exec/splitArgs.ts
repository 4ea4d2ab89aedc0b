/**
 * Turns the arguments field into an argv array with the quoting rules of a POSIX shell,
 * so what an admin types means what it would at a prompt. Nothing else of a shell applies:
 * no variables, globs, pipes or redirections; `$HOME`, `*` and `>` stay as they are, and
 * no shell ever sees the result.
 */

export class ArgsError extends Error {
  constructor(
    message: string,
    /** Index in the input where the problem starts. */
    readonly at: number,
  ) {
    super(message);
    this.name = 'ArgsError';
  }
}

/** Characters a backslash escapes inside double quotes (POSIX 2.2.3). */
const DQ_ESCAPABLE = new Set(['\\', '"', '$', '`', '\n']);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

export function splitArgs(input: string): string[] {
  const out: string[] = [];
  let word = '';
  /** A word exists even when empty: '' and "" are empty arguments. */
  let inWord = false;
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (isSpace(c)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
      i++;
      continue;
    }
    inWord = true;
    if (c === "'") {
      const end = input.indexOf("'", i + 1);
      if (end < 0) throw new ArgsError(`the single quote at position ${i + 1} is never closed`, i);
      word += input.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      const start = i;
      i++;
      for (;;) {
        if (i >= input.length) throw new ArgsError(`the double quote at position ${start + 1} is never closed`, start);
        const d = input[i]!;
        if (d === '"') break;
        if (d === '\\' && i + 1 < input.length && DQ_ESCAPABLE.has(input[i + 1]!)) {
          // A backslash-newline is a line continuation: both go.
          if (input[i + 1] !== '\n') word += input[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      i++;
    } else if (c === '\\') {
      if (i + 1 >= input.length) throw new ArgsError('the line ends with a backslash: there is nothing for it to escape', i);
      if (input[i + 1] !== '\n') word += input[i + 1];
      else if (word === '') inWord = false;
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  if (inWord) out.push(word);
  return out;
}

/** For showing an argv back to the admin: quotes only where a shell would need them. */
export function quoteArg(a: string): string {
  if (a !== '' && /^[\w@%+=:,./-]+$/.test(a)) return a;
  return `'${a.replace(/'/g, `'\\''`)}'`;
}
