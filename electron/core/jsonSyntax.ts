/**
 * Where a JSON text breaks, for people editing it by hand: JSON.parse names a character
 * position (and not even that for every error), an admin needs a line, a column and
 * the usual culprit named (a trailing comma, single quotes, a comment).
 */

export interface JsonSyntaxProblem {
  /** UTF-16 offset into the text. */
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in characters of that line. */
  column: number;
  message: string;
}

type Expect = 'value' | 'key' | 'colon' | 'after';
interface Open {
  kind: '{' | '[';
  at: number;
}

const WS = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const closer = (o: Open) => (o.kind === '{' ? '}' : ']');

class Found extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

/** The first syntax error of `text` as RFC 8259 JSON, or undefined if JSON.parse accepts it. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  try {
    scan(text);
    return undefined;
  } catch (e) {
    if (!(e instanceof Found)) throw e;
    return { offset: e.at, ...lineAndColumn(text, e.at), message: e.message };
  }
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** The line of the problem with a caret under it, as compilers show it (long lines cut around the column). */
export function excerpt(text: string, p: Pick<JsonSyntaxProblem, 'line' | 'column'>): string {
  const full = (text.split('\n')[p.line - 1] ?? '').replace(/\r$/, '');
  const from = Math.max(0, p.column - 60);
  const shown = (from > 0 ? '…' : '') + full.slice(from, from + 100) + (full.length > from + 100 ? '…' : '');
  const pad = (from > 0 ? ' ' : '') + full.slice(from, p.column - 1).replace(/[^\t]/g, ' ');
  const num = String(p.line);
  return `  ${num} | ${shown}\n  ${' '.repeat(num.length)} | ${pad}^`;
}

/** Iterative (a file of ten thousand "[" must not overflow the stack); throws Found at the first error. */
function scan(text: string): void {
  const n = text.length;
  const stack: Open[] = [];
  let expect: Expect = 'value';
  /** Just after "{" or "[": a close is allowed instead of a key or value. */
  let justOpened = false;
  /** The comma just before this token, if it was one: "}" there is a trailing comma. */
  let lastComma = -1;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) throw new Found(0, 'the file starts with a byte-order mark (BOM): save it as UTF-8 without one');
  for (;;) {
    while (i < n && WS.has(text[i]!)) i++;
    if (i >= n) {
      if (expect === 'after' && stack.length === 0) return;
      if (text.trim() === '') throw new Found(0, 'the file is empty: a profile is a JSON object, like {"map": "/etc/hpc.map"}');
      const open = stack.at(-1);
      if (open) throw new Found(open.at, `the "${open.kind}" here is never closed: the file ends first (a "${closer(open)}" missing?)`);
      throw new Found(i, 'the file ends where a value should follow');
    }
    const c = text[i]!;
    const top = stack.at(-1);
    if (expect === 'value') {
      if (justOpened && top?.kind === '[' && c === ']') {
        stack.pop();
        i++;
        expect = 'after';
      } else if (c === '{' || c === '[') {
        stack.push({ kind: c, at: i++ });
        expect = c === '{' ? 'key' : 'value';
        justOpened = true;
        lastComma = -1;
        continue;
      } else {
        i = scanValue(text, i, lastComma);
        expect = 'after';
      }
    } else if (expect === 'key') {
      if (c === '"') {
        i = scanString(text, i);
        expect = 'colon';
      } else if (c === '}' && justOpened) {
        stack.pop();
        i++;
        expect = 'after';
      } else {
        throw badStart(text, i, lastComma, 'a property name in double quotes');
      }
    } else if (expect === 'colon') {
      if (c !== ':') throw new Found(i, `expected ":" after the property name, found ${shown(text, i)}`);
      i++;
      expect = 'value';
    } else {
      if (!top) throw new Found(i, `unexpected ${shown(text, i)} after the end of the JSON value`);
      if (c === ',') {
        lastComma = i++;
        expect = top.kind === '{' ? 'key' : 'value';
        continue;
      } else if (c === closer(top)) {
        stack.pop();
        i++;
      } else {
        const what = top.kind === '{' ? 'a property value' : 'an array element';
        const missing = c === '"' || c === '{' || c === '[' || /[\w-]/.test(c) ? ' (a comma missing?)' : '';
        throw new Found(i, `expected "," or "${closer(top)}" after ${what}${missing}, found ${shown(text, i)}`);
      }
    }
    justOpened = false;
    lastComma = -1;
  }
}

function shown(text: string, i: number): string {
  return i >= text.length ? 'the end of the file' : JSON.stringify(text[i]);
}

/** Where a value or key should start but something else does: names the usual hand-editing mistakes. */
function badStart(text: string, i: number, lastComma: number, wanted: string): Found {
  const c = text[i]!;
  if ((c === '}' || c === ']') && lastComma !== -1) {
    return new Found(lastComma, `a trailing comma before "${c}" is not allowed in JSON: remove this comma`);
  }
  if (c === "'") return new Found(i, 'JSON needs double quotes (") around strings and property names, not single quotes');
  if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) return new Found(i, 'JSON has no comments: remove this one');
  const word = /^[A-Za-z_$][\w$.-]*/.exec(text.slice(i, i + 64))?.[0];
  if (word) return new Found(i, `"${word}" needs double quotes (strings and property names do; the bare words are true, false and null)`);
  return new Found(i, `expected ${wanted}, found ${shown(text, i)}`);
}

function scanValue(text: string, i: number, lastComma: number): number {
  const c = text[i]!;
  if (c === '"') return scanString(text, i);
  if (c === '-' || (c >= '0' && c <= '9')) return scanNumber(text, i);
  for (const lit of ['true', 'false', 'null']) {
    // A longer word starting with a literal ("nullx") is caught as text after the value.
    if (text.startsWith(lit, i)) return i + lit.length;
  }
  throw badStart(text, i, lastComma, 'a value (a string in double quotes, a number, an object, a list, true, false or null)');
}

function scanString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) return i + 1;
    if (code < 0x20) {
      throw new Found(i, code === 0x0a ? 'the string that starts here is not closed on its line (a " missing?)' : 'a control character inside a string: write it as an escape like \\t');
    }
    if (code === 0x5c) {
      const e = text[i + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Found(i, 'a \\u escape needs four hex digits');
        i += 5;
      } else if (e !== undefined && ESCAPES.has(e)) {
        i++;
      } else {
        throw new Found(i, `"\\${e ?? ''}" is not an escape JSON knows (a Windows path? write \\\\ for each backslash)`);
      }
    }
  }
  throw new Found(start, 'the string that starts here is never closed: the file ends first');
}

function scanNumber(text: string, start: number): number {
  const re = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  re.lastIndex = start;
  const m = re.exec(text);
  if (!m) throw new Found(start, 'not a number JSON knows (like 22, -1 or 1.5)');
  const end = start + m[0].length;
  // "01", "1." or "1e" stop short of the digits they promise.
  if (/[\d.eE]/.test(text[end] ?? '')) throw new Found(start, 'not a number JSON knows (like 22, -1 or 1.5: no leading zeros, digits after "." and "e")');
  return end;
}
