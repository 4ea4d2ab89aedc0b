/**
 * Every window is a route of the same page. A new window keeps the page's query (the
 * headless access token); in Electron the main process turns it into a BrowserWindow.
 */
export function routeOf(hash: string): string[] {
  return hash.replace(/^#\/?/, '').split('/').filter(Boolean);
}

export function openWindow(route: string, name: string, size = 'width=720,height=520'): void {
  const url = `${location.pathname}${location.search}#/${route}`;
  window.open(url, name, `popup,${size}`);
}
