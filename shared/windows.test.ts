import { describe, expect, it } from 'vitest';
import { parseRoute, routeOfUrl, routeParts, routes, routeString, WINDOW_SIZES, windowKindOf, windowSizeOf, type RouteOf, type WindowKind } from './windows.js';

/** Routes of every kind, as the windows open them; the type refuses a kind without one. */
const EXAMPLES: { [K in WindowKind]: RouteOf<K>[] } = {
  main: [{ kind: 'main' }],
  node: [{ kind: 'node', nodeId: 3 }, { kind: 'node', nodeId: 100 }],
  allNodes: [{ kind: 'allNodes' }],
  procs: [{ kind: 'procs', nodeId: 2 }],
  clusterProcs: [{ kind: 'clusterProcs' }],
  remote: [{ kind: 'remote', nodeId: 3 }],
  migrator: [{ kind: 'migrator', nodeId: 1, process: { pid: 4321 } }, { kind: 'migrator', nodeId: 1, process: { job: { home: 3, id: 77 } } }],
  exec: [{ kind: 'exec' }, { kind: 'exec', nodeId: 2 }],
  loadHistory: [{ kind: 'loadHistory' }],
  memHistory: [{ kind: 'memHistory' }],
  ioHistory: [{ kind: 'ioHistory' }],
  procHistory: [
    { kind: 'procHistory' },
    { kind: 'procHistory', at: { t: 1_700_000_000_000 } },
    { kind: 'procHistory', at: { t: 1_700_000_000_000, node: 3 } },
    { kind: 'procHistory', at: { t: 1_700_000_000_000, node: 2, backup: 'mosixview-20261128-120000' } },
  ],
  alerts: [{ kind: 'alerts' }],
  monitor: [{ kind: 'monitor' }],
  average: [
    { kind: 'average', metric: 'load', nodeId: 2, range: { from: 1_700_000_000_000, to: 1_700_000_120_000 } },
    { kind: 'average', metric: 'tmem', nodeId: 4, backup: 'history-2026-11-28', range: { from: 1, to: 2 } },
    { kind: 'average', metric: 'mem', nodeId: 1 },
  ],
};

describe('window routes and sizes', () => {
  it('reads the route from a window URL, in Electron and in headless mode', () => {
    expect(routeOfUrl('mosixview://app/index.html#/node/3')).toBe('node/3');
    expect(routeOfUrl('http://127.0.0.1:4000/?code=x#/exec?node=2')).toBe('exec?node=2');
    expect(routeOfUrl('mosixview://app/index.html')).toBe('');
    expect(routeParts('#/migrator/1/1.76')).toEqual(['migrator', '1', '1.76']);
  });

  it('names the kind of every window route', () => {
    const kinds: [string, string][] = [
      ['', 'main'], ['node/3', 'node'], ['node/all', 'allNodes'], ['procs/2', 'procs'], ['procs/all', 'clusterProcs'], ['remote/3', 'remote'],
      ['migrator/1/1.76', 'migrator'], ['migrator/1/4321', 'migrator'], ['exec?node=1', 'exec'], ['exec', 'exec'],
      ['history/load', 'loadHistory'], ['history/mem', 'memHistory'], ['history/io', 'ioHistory'], ['history/procs', 'procHistory'],
      ['history/average/load/2/current/1/2', 'average'], ['alerts', 'alerts'], ['monitor', 'monitor'], ['no-such-window', 'main'],
    ];
    for (const [route, kind] of kinds) expect(windowKindOf(route), route).toBe(kind);
  });

  it('every window kind has a builder, and each built route reads back as itself', () => {
    const kinds = Object.keys(WINDOW_SIZES).sort();
    expect(Object.keys(routes).sort()).toEqual(kinds);
    expect(Object.keys(EXAMPLES).sort()).toEqual(kinds);
    for (const kind of kinds as WindowKind[]) {
      expect(typeof routes[kind], kind).toBe('function');
      for (const r of EXAMPLES[kind]) {
        const s = routeString(r);
        expect(parseRoute(s), s).toEqual(r);
        expect(parseRoute(`#/${s}`), s).toEqual(r);
        expect(windowKindOf(s), s).toBe(kind);
      }
    }
  });

  it('builds the routes the windows have always had', () => {
    expect(routes.node(3)).toBe('node/3');
    expect(routes.allNodes()).toBe('node/all');
    expect(routes.clusterProcs()).toBe('procs/all');
    expect(routes.migrator(1, 4321)).toBe('migrator/1/4321');
    expect(routes.migrator(1, { home: 1, id: 76 })).toBe('migrator/1/1.76');
    expect(routes.exec(1)).toBe('exec?node=1');
    expect(routes.average('load', 2, undefined, { from: 1.4, to: 2.6 })).toBe('history/average/load/2/current/1/3');
    expect(routes.procHistory()).toBe('history/procs');
    expect(routes.procHistory({ t: 1_700_000_000_000.4, node: 2 })).toBe('history/procs/current/1700000000000/2');
  });

  it('says what is missing from a route that names a window but not what it shows', () => {
    expect(parseRoute('procs/x')).toEqual({ kind: 'bad', window: 'procs', why: 'This window needs a node number, e.g. #/procs/1 (or #/procs/all for every node).' });
    expect(parseRoute('migrator/1/abc')).toMatchObject({ kind: 'bad', why: 'The migrator needs a process: #/migrator/NODE/PID.' });
    expect(parseRoute('history/procs/current/soon')).toMatchObject({ kind: 'bad', window: 'procHistory', why: expect.stringContaining('#/history/procs/current/TIME_MS/NODE') });
    expect(parseRoute('history/procs/current/1700000000000/x')).toMatchObject({ kind: 'bad', window: 'procHistory' });
    expect(parseRoute('history/nope')).toMatchObject({ kind: 'bad', why: 'There is no history window "nope".' });
    expect(parseRoute('node/x')).toMatchObject({ kind: 'bad', window: 'node' });
    expect(parseRoute('no-such-window')).toEqual({ kind: 'main' });
  });

  it('gives every kind a size that holds its window, the main window wide enough for its table', () => {
    for (const [kind, s] of Object.entries(WINDOW_SIZES)) {
      expect(s.width, kind).toBeGreaterThanOrEqual(360);
      expect(s.height, kind).toBeGreaterThanOrEqual(200);
    }
    expect(windowSizeOf('').width).toBeGreaterThanOrEqual(1100);
    expect(windowSizeOf('migrator/1/1.5')).toBe(WINDOW_SIZES.migrator);
  });
});
