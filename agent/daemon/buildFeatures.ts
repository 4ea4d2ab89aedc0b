/**
 * Builds the daemon's features in dependency order: a feature is built after the features
 * that provide the services it needs, and its own services are filled in for the ones
 * after it. Wiring mistakes (a need nobody provides, two providers, needs in a circle, a
 * provided service missing) stop the daemon at start-up, naming the features.
 */
import type { AgentFeature, DaemonContext, FeatureFactory } from './feature.js';
import type { DaemonServices, ServiceName } from './services.js';

/** The factories in build order: list order, except that a feature waits for what it needs. */
export function buildOrder(factories: readonly FeatureFactory[]): FeatureFactory[] {
  const provider = new Map<ServiceName, string>();
  for (const f of factories) {
    for (const s of f.provides) {
      const first = provider.get(s);
      if (first !== undefined) throw new Error(`two features provide the "${s}" service: ${first} and ${f.name}: let one of them provide it`);
      provider.set(s, f.name);
    }
  }
  for (const f of factories) {
    for (const s of f.needs) {
      if (!provider.has(s)) throw new Error(`the ${f.name} feature needs the "${s}" service, which no feature provides: add the feature that provides it to agent/daemon/features.ts`);
    }
  }
  const order: FeatureFactory[] = [];
  const provided = new Set<ServiceName>();
  const left = [...factories];
  while (left.length > 0) {
    const i = left.findIndex((f) => f.needs.every((s) => provided.has(s)));
    if (i < 0) throw new Error(`features that need each other's services to be built: ${left.map((f) => `${f.name} (needs ${f.needs.join(', ')})`).join('; ')}: one of them must look the service up when it uses it instead of needing it`);
    const [next] = left.splice(i, 1);
    order.push(next!);
    for (const s of next!.provides) provided.add(s);
  }
  return order;
}

/** Builds every feature into one services object, each in build order. */
export function buildFeatures(factories: readonly FeatureFactory[], ctx: DaemonContext): { features: AgentFeature[]; services: Readonly<DaemonServices> } {
  const services: DaemonServices = {};
  const features = buildOrder(factories).map((f): AgentFeature => {
    const parts = f.build(ctx, services);
    const undeclared = Object.keys(parts.services ?? {}).filter((s) => !f.provides.includes(s as ServiceName));
    if (undeclared.length > 0) throw new Error(`the ${f.name} feature built the ${undeclared.map((s) => `"${s}"`).join(', ')} service without declaring it in provides: declare it, or the features that need it wait in vain`);
    for (const s of f.provides) {
      const svc = parts.services?.[s];
      if (svc === undefined) throw new Error(`the ${f.name} feature declares that it provides the "${s}" service but did not build it`);
      (services as Record<ServiceName, unknown>)[s] = svc;
    }
    return { ...parts, name: f.name };
  });
  return { features, services };
}
