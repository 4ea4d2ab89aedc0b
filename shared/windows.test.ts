import { describe, expect, it } from 'vitest';
import { routeOfUrl, routeParts, WINDOW_SIZES, windowKindOf, windowSizeOf } from './windows.js';

describe('window routes and sizes', () => {
  it('reads the route from a window URL, in Electron and in headless mode', () => {
    expect(routeOfUrl('mosixview://app/index.html#/node/3')).toBe('node/3');
    expect(routeOfUrl('http://127.0.0.1:4000/?code=x#/exec?node=2')).toBe('exec?node=2');
    expect(routeOfUrl('mosixview://app/index.html')).toBe('');
    expect(routeParts('#/migrator/1/1.76')).toEqual(['migrator', '1', '1.76']);
  });

  it('names the kind of every window route', () => {
    const kinds: [string, string][] = [
      ['', 'main'], ['node/3', 'node'], ['node/all', 'allNodes'], ['procs/2', 'procs'], ['remote/3', 'remote'],
      ['migrator/1/1.76', 'migrator'], ['migrator/1/4321', 'migrator'], ['exec?node=1', 'exec'], ['exec', 'exec'],
      ['history/load', 'loadHistory'], ['history/mem', 'memHistory'], ['history/procs', 'procHistory'],
      ['history/average/load/2/current/1/2', 'average'], ['no-such-window', 'main'],
    ];
    for (const [route, kind] of kinds) expect(windowKindOf(route), route).toBe(kind);
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
