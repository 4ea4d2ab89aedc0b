import { describe, expect, it } from 'vitest';
import { nearestName } from './nearestName.js';

const KEYS = ['name', 'map', 'mapText', 'ssh', 'nodes', 'clusterKeyFile'];

describe('nearestName', () => {
  it.each([
    ['clusterkey', 'clusterKeyFile'], // a prefix, case aside
    ['Map', 'map'],
    ['maptext', 'mapText'],
    ['nodse', 'nodes'], // two letters swapped
    ['nam', 'name'],
    ['clusterKeyFiles', 'clusterKeyFile'],
    ['sshh', 'ssh'],
  ])('%s -> %s', (typo, meant) => {
    expect(nearestName(typo, KEYS)).toBe(meant);
  });

  it.each(['colour', 'x', 'hosts', 'sh'])('%s has none', (word) => {
    // Too far from every name (or too short to tell): no guess rather than a wrong one.
    expect(nearestName(word, KEYS)).toBeUndefined();
  });
});
