import { describe, expect, it } from 'vitest';
import { buildFeatures, buildOrder } from './buildFeatures.js';
import type { DaemonContext, FeatureFactory } from './feature.js';
import type { DaemonServices, ServiceName } from './services.js';
import { FEATURES } from './features.js';

/** A factory with plain declarations; built, it provides a marker object per service it declares. */
function factory(name: string, provides: ServiceName[] = [], needs: ServiceName[] = [], seen?: (s: Readonly<DaemonServices>) => void): FeatureFactory {
  return {
    name,
    provides,
    needs,
    build: (_ctx, services) => {
      seen?.(services);
      return { services: Object.fromEntries(provides.map((s) => [s, { from: name }])) as Partial<DaemonServices> };
    },
  };
}

const ctx = {} as DaemonContext;

describe('buildOrder', () => {
  it('keeps list order, except that a feature waits for the services it needs', () => {
    const order = buildOrder([factory('balance', ['clusterView']), factory('migrate', ['migration'], ['jobs']), factory('files'), factory('jobs', ['jobs'])]);
    expect(order.map((f) => f.name)).toEqual(['balance', 'files', 'jobs', 'migrate']);
  });

  it('the shipped features build jobs before migrate', () => {
    const names = buildOrder(FEATURES).map((f) => f.name);
    expect(names.indexOf('jobs')).toBeLessThan(names.indexOf('migrate'));
    expect(names).toHaveLength(FEATURES.length);
  });

  it('refuses a need no feature provides, naming both', () => {
    expect(() => buildOrder([factory('migrate', ['migration'], ['jobs'])])).toThrow('the migrate feature needs the "jobs" service, which no feature provides');
  });

  it('refuses two providers of one service', () => {
    expect(() => buildOrder([factory('jobs', ['jobs']), factory('jobs2', ['jobs'])])).toThrow('two features provide the "jobs" service: jobs and jobs2');
  });

  it('refuses features that need each other to be built', () => {
    expect(() => buildOrder([factory('a', ['jobs'], ['migration']), factory('b', ['migration'], ['jobs'])])).toThrow(/need each other's services.*a \(needs migration\); b \(needs jobs\)/);
  });
});

describe('buildFeatures', () => {
  it('hands a feature what it needs when it is built, and the rest once built (features that use each other)', () => {
    let atBuild: Readonly<DaemonServices> | undefined;
    const { features, services } = buildFeatures([factory('balance', ['clusterView'], [], (s) => (atBuild = s)), factory('jobs', ['jobs']), factory('migrate', ['migration'], ['jobs'], (s) => expect(s.jobs).toEqual({ from: 'jobs' }))], ctx);
    expect(features.map((f) => f.name)).toEqual(['balance', 'jobs', 'migrate']);
    // The one services object: balance, built first, finds the migration there when it runs.
    expect(atBuild).toBe(services);
    expect(atBuild!.migration).toEqual({ from: 'migrate' });
  });

  it('refuses a feature that does not build a service it declares', () => {
    const liar: FeatureFactory = { name: 'liar', provides: ['jobs'], needs: [], build: () => ({}) };
    expect(() => buildFeatures([liar], ctx)).toThrow('the liar feature declares that it provides the "jobs" service but did not build it');
  });

  it('refuses a service built without being declared', () => {
    const sneaky: FeatureFactory = { name: 'sneaky', provides: [], needs: [], build: () => ({ services: { controls: { flags: () => ({}) as never } } }) };
    expect(() => buildFeatures([sneaky], ctx)).toThrow('the sneaky feature built the "controls" service without declaring it in provides');
  });
});
