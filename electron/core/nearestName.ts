/**
 * The known name a mistyped one most likely meant, for "did you mean" in a refusal: the same
 * name in other case, a name it begins or ends short of ("clusterKey" for "clusterKeyFile"),
 * or one a typo or two away. No guess when none is near: a wrong hint misleads more than none.
 */
export function nearestName(word: string, known: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  if (w.length < 3) return undefined;
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const n = name.toLowerCase();
    if (n === w) return name;
    const prefix = Math.min(n.length, w.length) >= 3 && (n.startsWith(w) || w.startsWith(n));
    const distance = prefix ? 0.5 : typoDistance(w, n);
    const allowed = w.length >= 6 ? 2 : 1;
    if (distance <= allowed && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Edits (insert, delete, change, swap two neighbours) that turn a into b. */
function typoDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
