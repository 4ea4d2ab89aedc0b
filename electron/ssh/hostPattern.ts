/**
 * OpenSSH's match_pattern: `*` is any run of characters (also none), `?` exactly one,
 * everything else itself, case-insensitively (ssh lowercases host names and patterns).
 *
 * Without backtracking: the pattern is cut at its stars into segments; the first must
 * start the name, the last must end it, and each one between is taken at its leftmost
 * place after the previous one (a later place could only leave less room for the rest).
 * At most name length x pattern length steps, where a regular expression backtracked
 * through every way of spreading a run like `*a*a*a*a*b` over the name.
 */
export function matchPattern(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const s = name.toLowerCase();
  const segments = p.split('*');
  if (segments.length === 1) return p.length === s.length && segmentAt(p, s, 0);
  const first = segments[0]!;
  const last = segments[segments.length - 1]!;
  if (first.length + last.length > s.length) return false;
  if (!segmentAt(first, s, 0) || !segmentAt(last, s, s.length - last.length)) return false;
  let pos = first.length;
  const end = s.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const seg = segments[i]!;
    if (seg === '') continue;
    const at = findSegment(seg, s, pos, end);
    if (at < 0) return false;
    pos = at + seg.length;
  }
  return true;
}

/** Whether `seg` (with `?` for any one character) matches `s` at `at`. */
function segmentAt(seg: string, s: string, at: number): boolean {
  for (let i = 0; i < seg.length; i++) {
    const c = seg.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== s.charCodeAt(at + i)) return false;
  }
  return true;
}

/** The leftmost place in s[from, end) where `seg` fits entirely, or -1. */
function findSegment(seg: string, s: string, from: number, end: number): number {
  for (let at = from; at + seg.length <= end; at++) if (segmentAt(seg, s, at)) return at;
  return -1;
}
