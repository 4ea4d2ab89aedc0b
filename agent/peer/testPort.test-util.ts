/**
 * Ports for tests that must name one before listening (the peer channel listens on one port
 * for TCP and UDP, so port 0 will not do). A random port in 20000-40000 failed a full run: it
 * can be one the kernel hands out for outgoing connections (from 32768 here) or another test
 * file's random pick. These come from below the ephemeral range, a slice of its own for each
 * vitest worker, and never twice in one worker.
 */
export const TEST_PORT_LOW = 20000;
/** Below Linux's default ip_local_port_range (32768-60999). */
export const TEST_PORT_HIGH = 32767;
const SLICE = 500;
const SLICES = Math.floor((TEST_PORT_HIGH - TEST_PORT_LOW + 1) / SLICE);

let used = 0;

/** A port no other test of this run has been given. `poolId`: the vitest worker (VITEST_POOL_ID, 1-based). */
export function testPort(poolId = Number(process.env.VITEST_POOL_ID ?? process.pid)): number {
  const slice = (Number.isFinite(poolId) ? poolId : process.pid) % SLICES;
  const port = TEST_PORT_LOW + slice * SLICE + (used++ % SLICE);
  return port;
}
