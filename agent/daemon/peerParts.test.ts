import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentDaemon } from './agentDaemon.js';
import { FEATURES } from './features.js';
import { defineFeature } from './feature.js';
import { statePaths } from '../stateDir.js';
import { PEER_VALIDATORS } from '../../shared/protocol/peer.validate.js';

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'mv-peerparts-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const daemon = (dir: string, factories = FEATURES) => new AgentDaemon(statePaths({ MOSIXVIEW_STATE_DIR: dir }), () => undefined, factories);

describe('features declare their peer requests; the daemon registers them', () => {
  it('the shipped features serve their peer requests under their own names', () => {
    withDir((dir) => {
      const d = daemon(dir);
      expect(d.peers.servedBy('balance.arriving')).toBe('balance');
      expect(d.peers.servedBy('mig.commit')).toBe('migrate');
      expect(d.peers.servedBy('peer.hello')).toBe('the peer service');
    });
  });

  it('every peer request the shipped features serve has a validator, and every validator a peer request served', () => {
    withDir((dir) => {
      expect(daemon(dir).peers.requestNames().sort()).toEqual(Object.keys(PEER_VALIDATORS).sort());
    });
  });

  it('two features declaring the same peer request stop the daemon at start-up, naming both', () => {
    withDir((dir) => {
      const a = defineFeature({ name: 'alpha', build: () => ({ peerHandlers: { 'balance.sample': () => { throw new Error('unused'); } } }) });
      const b = defineFeature({ name: 'beta', build: () => ({ peerHandlers: { 'balance.sample': () => { throw new Error('unused'); } } }) });
      expect(() => daemon(dir, [a, b])).toThrow('two handlers for the peer request "balance.sample": alpha and beta both declare it');
    });
  });

  it('a feature may not take over peer.hello', () => {
    withDir((dir) => {
      const thief = defineFeature({ name: 'thief', build: () => ({ peerHandlers: { 'peer.hello': () => ({ nodeId: 1, version: 'x' }) } }) });
      expect(() => daemon(dir, [thief])).toThrow(/"peer.hello": the peer service and thief/);
    });
  });

  it('where incoming transfers land is declared by at most one feature', () => {
    withDir((dir) => {
      const a = defineFeature({ name: 'alpha', build: () => ({ transferDir: () => '/a' }) });
      const b = defineFeature({ name: 'beta', build: () => ({ transferDir: () => '/b' }) });
      expect(() => daemon(dir, [a, b])).toThrow('two features say where incoming transfers land: alpha and beta: let one of them declare transferDir');
      const d = daemon(dir, [a]);
      expect(d.peers.transferDirOf({ transfer: 't1', from: 1, files: [] })).toBe('/a');
    });
  });

  it('the migrate feature decides where incoming images land: its target side refuses a transfer of no migration begun', () => {
    withDir((dir) => {
      const d = daemon(dir);
      expect(() => d.peers.transferDirOf({ transfer: 'm-1', from: 2, files: [] })).toThrow('no migration m-1 is waiting for its images');
    });
  });

  it('incoming page channels go to the migrate feature; two features declaring pagesHandler stop the daemon, naming both', () => {
    withDir((dir) => {
      expect(daemon(dir).peers.takesPages()).toBe(true);
      expect(daemon(dir, []).peers.takesPages()).toBe(false);
      const a = defineFeature({ name: 'alpha', build: () => ({ pagesHandler: async () => undefined }) });
      const b = defineFeature({ name: 'beta', build: () => ({ pagesHandler: async () => undefined }) });
      expect(() => daemon(dir, [a, b])).toThrow('two features take incoming page channels: alpha and beta: let one of them declare pagesHandler');
    });
  });
});
