/**
 * Opening a window: every window is a route of the same page (shared/windows.ts builds the
 * routes). A new window keeps the page's query (the headless access token); in Electron the
 * main process turns it into a BrowserWindow. Its size comes from the one table in
 * shared/windows.ts, which Electron reads too.
 */
import { windowSizeOf } from '../shared/windows.js';

/** The features window.open gets: a popup of the route's own size. */
export function windowFeatures(route: string): string {
  const { width, height } = windowSizeOf(route);
  return `popup,width=${width},height=${height}`;
}

/** Opens `route` (from `routes.*`) in the window called `name`, or brings that window back to it. */
export function openWindow(route: string, name: string): void {
  const url = `${location.pathname}${location.search}#/${route}`;
  window.open(url, name, windowFeatures(route));
}
