/**
 * `{ ...base, ...extra }` as Node 20's V8 builds quickly. A spread followed by further
 * properties (`{ ...p, cantMove }`) takes V8's slow runtime path, about 3 µs an object, which
 * for every process or every node of the view at every sample is most of what such a loop
 * costs; Object.assign onto an empty object takes a fraction of that. The two differ only where
 * assigning is not defining: an own "__proto__" key (JSON from a peer may carry one) would set
 * the copy's prototype, so such an object keeps the spread.
 */
export function copyWith<T extends object, E extends object>(base: T, extra: E): Omit<T, keyof E> & E {
  if (Object.hasOwn(base, '__proto__') || Object.hasOwn(extra, '__proto__')) return { ...base, ...extra };
  return Object.assign({}, base, extra);
}
