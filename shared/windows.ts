/**
 * Every Mosixview window is a route of one page (#/node/3, #/migrator/1/1.5, ...). Its size
 * lives here, once: the renderer asks for it when it opens a window (headless mode), the
 * Electron main process gives it to the BrowserWindow, and the layout test checks each
 * window at exactly this size.
 */
export interface WindowSize {
  width: number;
  height: number;
}

/** The parts of a route, e.g. "migrator/1/1.5" -> ["migrator", "1", "1.5"]; a query stays on its part. */
export function routeParts(route: string): string[] {
  return route.replace(/^#?\/?/, '').split('/').filter(Boolean);
}

/** The route of a window's URL (its hash), e.g. "mosixview://app/index.html#/node/3" -> "node/3". */
export function routeOfUrl(url: string): string {
  const i = url.indexOf('#');
  return i < 0 ? '' : url.slice(i + 1).replace(/^\/+/, '');
}

/** The kinds of window, by the first part of their route; "" is the main window. */
export const WINDOW_SIZES = {
  main: { width: 1120, height: 480 },
  node: { width: 620, height: 480 },
  allNodes: { width: 640, height: 760 },
  procs: { width: 900, height: 600 },
  remote: { width: 860, height: 480 },
  migrator: { width: 660, height: 640 },
  exec: { width: 780, height: 680 },
  loadHistory: { width: 1000, height: 640 },
  memHistory: { width: 1000, height: 760 },
  procHistory: { width: 820, height: 600 },
  average: { width: 380, height: 220 },
} as const satisfies Record<string, WindowSize>;

export type WindowKind = keyof typeof WINDOW_SIZES;

/** Which kind of window a route opens; unknown routes show the main window (as the renderer does). */
export function windowKindOf(route: string): WindowKind {
  const [first = '', second] = routeParts(route);
  const name = first.split('?')[0];
  switch (name) {
    case 'node':
      return second === 'all' ? 'allNodes' : 'node';
    case 'procs':
    case 'remote':
    case 'migrator':
    case 'exec':
      return name;
    case 'history':
      return second === 'load' ? 'loadHistory' : second === 'mem' ? 'memHistory' : second === 'procs' ? 'procHistory' : 'average';
    default:
      return 'main';
  }
}

export function windowSizeOf(route: string): WindowSize {
  return WINDOW_SIZES[windowKindOf(route)];
}
