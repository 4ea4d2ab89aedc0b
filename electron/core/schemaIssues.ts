/**
 * Turns a schema library's (zod's) findings about a hand-edited JSON file into lines an admin
 * can act on: the file, the key path as it is written ("nodes"."3"."port"), what the value
 * must be and what it is. zod's own wording ("expected string, received number") names
 * neither the file nor the key.
 */
import type { z } from 'zod';

/** `"ssh"."port"`; the whole file is "the file". */
export function keyPath(path: readonly PropertyKey[]): string {
  return path.length ? path.map((k) => JSON.stringify(String(k))).join('.') : 'the file';
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function shownValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * One line per finding, each starting with `file`. The schema's `error` texts say what a
 * value must be ("a string", "a TCP port number (1-65535)"); `unknownKey` words the refusal
 * of a key the schema does not have (with a "did you mean" where one is near).
 */
export function describeIssues(
  file: string,
  data: unknown,
  issues: readonly z.core.$ZodIssue[],
  unknownKey: (path: readonly PropertyKey[], key: string) => string,
): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(`${file}: ${unknownKey(issue.path, key)}`);
    } else {
      out.push(`${file}: ${keyPath(issue.path)} must be ${issue.message}, got ${shownValue(valueAt(data, issue.path))}`);
    }
  }
  return out;
}
