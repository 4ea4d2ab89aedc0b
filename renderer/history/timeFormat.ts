/** Times as the history windows show them: local, to the second. */
const pad = (n: number) => String(n).padStart(2, '0');

export function clock(t: number): string {
  const d = new Date(t);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function dateTime(t: number): string {
  const d = new Date(t);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(t)}`;
}

/** Short axis ticks: hours and minutes, with seconds once the range is under ten minutes. */
export function tick(t: number, span: number): string {
  return span < 600_000 ? clock(t) : clock(t).slice(0, 5);
}

export function formatKbShort(kb: number): string {
  if (kb >= 1024 * 1024) return `${(kb / 1024 / 1024).toFixed(1)} GB`;
  if (kb >= 1024) return `${Math.round(kb / 1024)} MB`;
  return `${Math.round(kb)} kB`;
}
