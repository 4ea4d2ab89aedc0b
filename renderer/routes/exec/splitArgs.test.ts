import { describe, expect, it } from 'vitest';
import { ArgsError, quoteArg, splitArgs } from './splitArgs.js';

describe('splitArgs (the arguments field as an argv array)', () => {
  it('splits on runs of blanks and ignores leading and trailing ones', () => {
    expect(splitArgs('  300  ')).toEqual(['300']);
    expect(splitArgs('-c\t10   -n 5\n x')).toEqual(['-c', '10', '-n', '5', 'x']);
    expect(splitArgs('')).toEqual([]);
    expect(splitArgs('   ')).toEqual([]);
  });

  it('keeps single-quoted text as it is, backslashes and double quotes included', () => {
    expect(splitArgs(`'a b'  'c\\d' '"q"'`)).toEqual(['a b', 'c\\d', '"q"']);
  });

  it('in double quotes, a backslash escapes only \\ " $ ` and newline', () => {
    expect(splitArgs(`"a \\"b\\" \\\\ \\$x \\n"`)).toEqual(['a "b" \\ $x \\n']);
    expect(splitArgs('"one\\\ntwo"')).toEqual(['onetwo']);
  });

  it('outside quotes a backslash escapes the next character; backslash-newline joins lines', () => {
    expect(splitArgs('a\\ b c\\\\d \\\'e')).toEqual(['a b', 'c\\d', "'e"]);
    expect(splitArgs('x \\\n y')).toEqual(['x', 'y']);
  });

  it('joins adjacent quoted and unquoted parts into one word', () => {
    expect(splitArgs(`--name="John Doe"'s' x'y'"z"`)).toEqual(['--name=John Does', 'xyz']);
  });

  it('gives empty arguments for empty quotes', () => {
    expect(splitArgs(`a '' "" b`)).toEqual(['a', '', '', 'b']);
  });

  it('leaves everything else of a shell alone: no variables, globs, pipes, redirections or comments', () => {
    expect(splitArgs('$HOME *.txt | rm -rf / > out ; echo `id` $(id) # c')).toEqual([
      '$HOME', '*.txt', '|', 'rm', '-rf', '/', '>', 'out', ';', 'echo', '`id`', '$(id)', '#', 'c',
    ]);
  });

  it('says where an unclosed quote or a final backslash is', () => {
    expect(() => splitArgs(`a 'b c`)).toThrow(ArgsError);
    expect(() => splitArgs(`a 'b c`)).toThrow(/single quote at position 3 is never closed/);
    expect(() => splitArgs(`x "y`)).toThrow(/double quote at position 3 is never closed/);
    expect(() => splitArgs('"a\\"')).toThrow(/double quote at position 1/);
    expect(() => splitArgs('abc\\')).toThrow(/ends with a backslash/);
    try {
      splitArgs(`ab 'c`);
    } catch (e) {
      expect((e as ArgsError).at).toBe(3);
    }
  });

  it('round-trips through quoteArg', () => {
    const argv = ['plain', 'with space', "it's", '', '$HOME', 'a"b', 'back\\slash', 'tab\there'];
    expect(splitArgs(argv.map(quoteArg).join(' '))).toEqual(argv);
    expect(quoteArg('/bin/sleep')).toBe('/bin/sleep');
  });
});
