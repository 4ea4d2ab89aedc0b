/** A main-process log whose entries a test reads back (one string per entry). */
import { Logger } from '../../shared/log/logger.js';

export function memoryLog(): { log: Logger; logged: string[] } {
  const logged: string[] = [];
  return { log: new Logger({ tag: 'mosixview', journal: false, write: (t) => logged.push(t), now: Date.now }), logged };
}
