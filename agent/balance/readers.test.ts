/** mosctl status says where this node's map came from, so an admin knows what to edit. */
import { describe, expect, it } from 'vitest';
import { mapOriginLine } from './readers.js';

describe('mosctl status: the map line', () => {
  it('names who installed the map, and the file read at start', () => {
    expect(mapOriginLine({ nodeId: 1, mapBy: 'gui' })).toBe('Map: installed by Mosixview (the GUI that opened this cluster)');
    expect(mapOriginLine({ nodeId: 1, mapBy: 'setpe' })).toBe('Map: installed with setpe');
    expect(mapOriginLine({ nodeId: 1, mapBy: 'file', mapFile: '/etc/mosixview/hpc.map' })).toBe('Map: read at the agent\'s start from /etc/mosixview/hpc.map');
    expect(mapOriginLine({ nodeId: 1, mapBy: null })).toBe('Map: who installed it is not recorded (an older agent did)');
  });
  it('says nothing about a map when there is none', () => {
    expect(mapOriginLine({ nodeId: null, mapBy: null })).toBeUndefined();
  });
});
