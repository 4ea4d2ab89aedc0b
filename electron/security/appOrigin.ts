/**
 * The renderer is served from a private scheme, so "is this our page?" is a plain origin
 * comparison: every IPC sender, window.open target and navigation is checked with it.
 */
export const APP_SCHEME = 'mosixview';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** An IPC message is trusted only from the top frame of one of our own pages. */
export function isTrustedSender(frame: { url: string; parent?: unknown } | null | undefined): boolean {
  return !!frame && !frame.parent && isAppUrl(frame.url);
}

/** Maps a request for our scheme to a file below the renderer directory, or undefined. */
export function appFilePath(url: string): string | undefined {
  if (!isAppUrl(url)) return undefined;
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined; // malformed percent-encoding
  }
  if (path.split('/').some((seg) => seg === '..')) return undefined;
  const rel = path === '/' ? 'index.html' : path.replace(/^\/+/, '');
  return /^[\w./-]+$/.test(rel) ? rel : undefined;
}
