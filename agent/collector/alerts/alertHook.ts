/**
 * The admin's command hook: a program run with one alert as JSON on its stdin, so it can send
 * mail or page someone. No shell parses anything, nothing secret goes on its command line (the
 * alert is on stdin), it is killed after its timeout, and whatever goes wrong is logged: the
 * collector never waits for it and never stops because of it.
 */
import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import type { Alert } from '../../../shared/alerts/alertRules.js';

export interface HookMessage {
  event: 'raised' | 'cleared';
  alert: Alert;
}

/** More alerts at once than this are logged, not run: a burst must not start a process per node. */
export const MAX_RUNNING = 4;

type Spawn = (cmd: string, args: string[], opts: { stdio: ['pipe', 'ignore', 'pipe']; shell: false }) => ChildProcess;

export class AlertHook {
  private running = 0;

  constructor(
    private readonly log: (s: string) => void,
    private readonly spawn: Spawn = nodeSpawn as Spawn,
  ) {}

  /** Resolves when the program has ended (or was killed, or could not start); never rejects. */
  run(hook: { argv: string[]; timeoutS: number }, msg: HookMessage): Promise<void> {
    const [program, ...args] = hook.argv;
    if (!program) return Promise.resolve();
    const what = `the alert hook ${program} (${msg.event} ${msg.alert.rule} on node ${msg.alert.node})`;
    if (this.running >= MAX_RUNNING) {
      this.log(`${what} was not run: ${MAX_RUNNING} hooks are still running`);
      return Promise.resolve();
    }
    this.running++;
    return new Promise<void>((resolve) => {
      let stderr = '';
      let done = false;
      const finish = (problem?: string) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.running--;
        if (problem) this.log(`${what} failed: ${problem}`);
        resolve();
      };
      let child: ChildProcess;
      try {
        child = this.spawn(program, args, { stdio: ['pipe', 'ignore', 'pipe'], shell: false });
      } catch (e) {
        // spawn throws at once for some bad arguments (an argument with a NUL byte).
        this.running--;
        this.log(`${what} failed: ${(e as Error).message}`);
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish(`it did not finish within ${hook.timeoutS} s: killed`);
      }, hook.timeoutS * 1000);
      child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-500)));
      child.once('error', (e) => finish(`it could not be started: ${e.message}`));
      child.once('close', (code, signal) => {
        if (code === 0) finish();
        else finish(`${signal ? `killed by ${signal}` : `exit code ${code}`}${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-2).join(' | ')}` : ''}`);
      });
      // A program that does not read its stdin closes it: that is its business, not an error.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(JSON.stringify(msg) + '\n');
    });
  }
}
