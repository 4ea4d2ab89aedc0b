/**
 * Counts renders of each node's row: NodeRow renders exactly one (unmemoised) Lamp, so a
 * Lamp render for node N is a NodeRow render for node N. A test file mocks Lamp with it:
 *   const lampRenders = vi.hoisted(() => new Map<number, number>());
 *   vi.mock('../../components/Lamp.js', async (orig) => (await import('./lampCounter.test-util.js')).countingLamp(await orig(), lampRenders));
 * (kept free of imports: the mock is built while the window's modules are still loading).
 */
type LampModule = typeof import('../../components/Lamp.js');

export function countingLamp(real: LampModule, renders: Map<number, number>): LampModule {
  return {
    ...real,
    Lamp: (props: Parameters<LampModule['Lamp']>[0]) => {
      renders.set(props.id, (renders.get(props.id) ?? 0) + 1);
      return real.Lamp(props);
    },
  };
}
