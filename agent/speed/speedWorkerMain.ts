/**
 * The speed check process on its own, built into a small string of code
 * (build/speedWorkerCode.mjs) that the agent bundle carries and feeds to `node -` (speedWorker.ts):
 * it yields to every other session (autogroup.ts) before it measures, and says on stdout, one
 * line each, what it decided.
 */
import { lowerOwnAutogroup } from './autogroup.js';
import { runSpeedCheckHere } from './speedWorker.js';

lowerOwnAutogroup();
runSpeedCheckHere(process.argv[2]!, (message) => process.stdout.write(message.replace(/\n/g, ' ') + '\n'));
