/** The speed check's worker thread code (agent/speed/speedWorkerMain.ts), bundled into one CommonJS string. */
export function speedWorkerCode(): Promise<string>;
