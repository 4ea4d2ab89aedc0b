/**
 * <config>/history.json checked against its schema: a wrong type or unknown key is an error
 * in the GUI's log naming the file, the key path and what it must be; the file's content is
 * kept aside (FILE.bad) before a new choice replaces it, so nothing is lost.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollectorChoiceStore } from './collectorChoice.js';
import type { MainLog } from '../core/log.js';

/** Entries as "level message", so a test sees that a mistake is logged as an error. */
function levelLog(): { log: MainLog; logged: string[] } {
  const logged: string[] = [];
  const at = (level: string) => (m: string) => void logged.push(`${level} ${m}`);
  return { log: { error: at('error'), warn: at('warn'), info: at('info') }, logged };
}

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mvchoice-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
function storeOver(text: string) {
  const file = join(dir, `history${++n}.json`);
  writeFileSync(file, text);
  const { log, logged } = levelLog();
  return { file, logged, store: new CollectorChoiceStore(file, log) };
}

describe('history.json with a mistake', () => {
  it.each([
    ['a node ID as text', '{"collectorNode": {"profile:lab": "3"}}', '"collectorNode"."profile:lab" must be a node ID (a whole number from 1), got "3"'],
    ['a fractional node ID', '{"collectorNode": {"profile:lab": 1.5}}', '"collectorNode"."profile:lab" must be a node ID (a whole number from 1), got 1.5'],
    ['collectorNode as a list', '{"collectorNode": [3]}', '"collectorNode" must be an object of node IDs by profile, like {"profile:lab": 3}, got [3]'],
    ['a file that is not an object', '[]', 'the file must be a JSON object, like {"collectorNode": {"profile:lab": 3}}, got []'],
    ['an unknown key', '{"colectorNode": {}}', 'unknown key "colectorNode": did you mean "collectorNode"? Correct it or remove it'],
    ['a file that is not JSON', '{"collectorNode": {,}}', 'is not valid JSON: line 1, column 20'],
  ])('%s: logged as an error naming the file, the key path and what it must be', (_what, text, expected) => {
    const { file, logged, store } = storeOver(text);
    expect(store.get('profile:lab')).toBeUndefined();
    expect(logged).toHaveLength(1);
    expect(logged[0]!.startsWith('error ')).toBe(true);
    expect(logged[0]).toContain(`${file}`);
    expect(logged[0]).toContain(expected);
  });

  it('the good entries of a file with a mistake are not read: the admin fixes the file', () => {
    const { store } = storeOver('{"collectorNode": {"profile:lab": 2, "profile:x": "3"}}');
    expect(store.get('profile:lab')).toBeUndefined();
  });

  it('a new choice keeps the refused file aside as FILE.bad, and says so', () => {
    const text = '{"collectorNode": {"profile:lab": "3"}, "note": "mine"}';
    const { file, logged, store } = storeOver(text);
    store.set('profile:lab', 2);
    expect(readFileSync(`${file}.bad`, 'utf8')).toBe(text);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ collectorNode: { 'profile:lab': 2 } });
    expect(logged.some((l) => l.includes(`kept as ${file}.bad`))).toBe(true);
  });

  it('a good file is read silently and keeps its other profiles on a new choice', () => {
    const { file, logged, store } = storeOver('{"collectorNode": {"profile:a": 4}}');
    expect(store.get('profile:a')).toBe(4);
    store.set('profile:b', 1);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ collectorNode: { 'profile:a': 4, 'profile:b': 1 } });
    expect(existsSync(`${file}.bad`)).toBe(false);
    expect(logged).toEqual([]);
  });

  it('a missing file is no mistake', () => {
    const { log, logged } = levelLog();
    expect(new CollectorChoiceStore(join(dir, 'none', 'history.json'), log).get('profile:a')).toBeUndefined();
    expect(logged).toEqual([]);
  });
});
