import { describe, expect, it } from 'vitest';
import { composeHandlers } from '../../shared/rpc/composeHandlers.js';
import { AgentDaemon } from './agentDaemon.js';
import { FEATURES } from './features.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { statePaths } from '../stateDir.js';

describe('composeHandlers', () => {
  it('joins the handlers of every part', () => {
    const h = composeHandlers<Record<string, () => number>>([
      { by: 'a', handlers: { x: () => 1 } },
      { by: 'b', handlers: { y: () => 2 } },
      { by: 'c', handlers: undefined },
    ]);
    expect(Object.keys(h).sort()).toEqual(['x', 'y']);
  });

  it('refuses a name two parts declare, naming both', () => {
    expect(() =>
      composeHandlers([
        { by: 'jobs', handlers: { 'jobs.start': () => 1 } },
        { by: 'migrate', handlers: { 'jobs.start': () => 2 } },
      ]),
    ).toThrow('two handlers for the request "jobs.start": jobs and migrate both declare it');
  });
});

describe('the daemon composes its features', () => {
  it('the shipped features declare every request name once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mv-compose-'));
    try {
      expect(() => new AgentDaemon(statePaths({ MOSIXVIEW_STATE_DIR: dir }), () => undefined, FEATURES)).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start with a feature that takes over another feature\'s request', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mv-compose-'));
    try {
      const thief = () => ({ name: 'thief', handlers: { 'jobs.list': () => [] } });
      expect(() => new AgentDaemon(statePaths({ MOSIXVIEW_STATE_DIR: dir }), () => undefined, [...FEATURES, thief])).toThrow(/"jobs.list": jobs and thief/);
      const daemonName = () => ({ name: 'thief', handlers: { hello: () => null } as never });
      expect(() => new AgentDaemon(statePaths({ MOSIXVIEW_STATE_DIR: dir }), () => undefined, [daemonName])).toThrow(/"hello": daemon and thief/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
