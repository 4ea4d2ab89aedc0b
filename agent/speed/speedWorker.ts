/**
 * The speed check of a starting daemon (SpeedStore.startupCheck: a quick run, or a full
 * calibration on a node never calibrated) runs in a worker thread of the agent's own bundle,
 * at the lowest CPU priority. On the daemon's thread it held the socket closed for the whole
 * calibration, and 64 nodes starting on a few cores calibrated while the GUI waited for each;
 * the measurement counts the thread's own CPU time, so the priority does not change the figure.
 */
import { setPriority } from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';
import { SpeedStore } from './calibrate.js';

/** Checks (or calibrates) the speed stored in `stateDir`, writing speed.json; `log` gets what it decided. */
export type SpeedCheck = (stateDir: string, log: (message: string) => void) => Promise<void>;

/** The command the bundle's main runs in that worker thread. */
export const SPEED_CHECK_COMMAND = 'speed-check';

export function workerSpeedCheck(bundle: string): SpeedCheck {
  return (stateDir, log) =>
    new Promise((resolve, reject) => {
      const w = new Worker(bundle, { argv: [SPEED_CHECK_COMMAND, stateDir] });
      w.on('message', (m: { log?: unknown }) => {
        if (typeof m?.log === 'string') log(m.log);
      });
      w.once('error', reject);
      w.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the speed check (worker thread of ${bundle}) exited with code ${code}`))));
    });
}

/** The worker's side: lowest priority for this thread only (Linux keeps nice per thread), then the check. */
export function runSpeedCheckHere(stateDir: string, store = new SpeedStore(stateDir)): void {
  try {
    setPriority(0, 19);
  } catch {
    /* not permitted here: the check runs at the daemon's priority, as it did before */
  }
  store.startupCheck((message) => parentPort?.postMessage({ log: message }));
}
