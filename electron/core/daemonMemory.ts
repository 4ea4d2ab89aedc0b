/**
 * Where each node's agent daemon was last found (its socket, the login's uid, its version),
 * remembered in <state>/daemons.json (~/.local/state/mosixview, XDG_STATE_HOME respected), so
 * that the next start of the GUI goes straight to the daemon's socket after the SSH handshake
 * instead of first running the probe for Node.js and the daemon (a shell and a Node.js
 * `--version` per node, on a warm start of 16 nodes the largest part after the handshake).
 *
 * Only a hint: the daemon's hello (version) and its identity challenge (uid) prove what the
 * memory claims, and anything that does not hold goes the probe's way as before
 * (electron/core/sshLauncher.ts). A damaged file is said in the GUI's log and started over,
 * its content kept as FILE.bad.
 */
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { RunningDaemon } from '../ssh/daemonProbe.js';
import type { SshSettings } from './profile.js';
import { log as guiLog, type MainLog } from './log.js';
import { readJsonFile } from './jsonFile.js';

export function daemonMemoryFile(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  return join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'mosixview', 'daemons.json');
}

/** Logins remembered at most (a test cluster on a fresh subnet per run would grow it without end). */
export const MAX_REMEMBERED = 1024;

/** What the memory answers for one node. */
export interface DaemonMemory {
  recall(key: string): RunningDaemon | undefined;
  remember(key: string, daemon: RunningDaemon): void;
  forget(key: string): void;
}

/** One node's login as the GUI reaches it: another user, port or jump host finds another daemon. */
export function daemonMemoryKey(node: { host: string; ssh: SshSettings }): string {
  const { user, port, proxyJump } = node.ssh;
  return `${user ?? ''}@${node.host}:${port ?? ''}${proxyJump ? ` via ${proxyJump}` : ''}`;
}

const daemonSchema = z.strictObject({ socket: z.string().min(1), version: z.string().min(1), uid: z.number().int().min(0) });
const storedSchema = z.record(z.string(), daemonSchema);
type Stored = z.infer<typeof storedSchema>;

type Read = { ok: true; data: Stored } | { ok: false; problem: string };

function read(file: string): Read {
  const j = readJsonFile(file);
  if (!j.ok) return j;
  if (j.value === undefined) return { ok: true, data: {} };
  const r = storedSchema.safeParse(j.value);
  if (r.success) return { ok: true, data: r.data };
  return { ok: false, problem: `${file} is not an object of daemons by login, like {"@node1:": {"socket": "/var/lib/mosixview/agent.sock", "version": "0.1.0", "uid": 0}}` };
}

/** Size, time and inode of the file ('none': absent); undefined: it cannot be looked at (read() says why). */
function fileStamp(file: string): string | undefined {
  try {
    const st = statSync(file, { throwIfNoEntry: false });
    return st ? `${st.mtimeMs}:${st.size}:${st.ino}` : 'none';
  } catch {
    return undefined;
  }
}

/** How long changes gather before one write: a start's nodes find their daemons within this of each other. */
export const WRITE_DELAY_MS = 500;

export class DaemonMemoryFile implements DaemonMemory {
  /** Said once per run: a damaged file is not worth a line per node. */
  private told = false;
  /**
   * Changes not written yet, by login (null: forgotten). A start of 64 nodes changes 64 logins:
   * read, checked and written once for each, a file of MAX_REMEMBERED logins cost the GUI
   * 65 parses and 128 writes (430 ms on an idle machine) while its nodes were connecting.
   */
  private readonly pending = new Map<string, RunningDaemon | null>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly flushAtExit = (): void => this.flush();

  constructor(
    readonly file = daemonMemoryFile(),
    private readonly log: MainLog = guiLog,
  ) {}

  recall(key: string): RunningDaemon | undefined {
    if (this.pending.has(key)) return this.pending.get(key) ?? undefined;
    const r = this.read();
    return r.ok && Object.hasOwn(r.data, key) ? r.data[key] : undefined;
  }

  remember(key: string, daemon: RunningDaemon): void {
    const was = this.recall(key);
    if (was && was.socket === daemon.socket && was.version === daemon.version && was.uid === daemon.uid) return;
    this.change(key, { socket: daemon.socket, version: daemon.version, uid: daemon.uid });
  }

  forget(key: string): void {
    if (this.recall(key) === undefined && !this.pending.has(key)) return;
    this.change(key, null);
  }

  /** Writes the changes now (also done by itself WRITE_DELAY_MS after the first, and at exit). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    process.off('exit', this.flushAtExit);
    if (this.pending.size === 0) return;
    // Read again just before writing: another GUI may have written meanwhile, and keeps its logins.
    const r = this.read();
    const data: Stored = r.ok ? { ...r.data } : {};
    for (const [key, daemon] of this.pending) {
      // Newest last: a login seen again moves to the end, and the oldest go beyond the limit.
      delete data[key];
      if (daemon) data[key] = daemon;
    }
    for (const old of Object.keys(data).slice(0, -MAX_REMEMBERED)) delete data[old];
    this.pending.clear();
    this.write(r, data);
  }

  private change(key: string, daemon: RunningDaemon | null): void {
    // Re-inserted: the order of the changes is the order the logins were seen in.
    this.pending.delete(key);
    this.pending.set(key, daemon);
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), WRITE_DELAY_MS);
    this.timer.unref?.();
    process.once('exit', this.flushAtExit);
  }

  /** The last read and the file's size and time then: 64 nodes starting at once read and check it once, not 64 times. */
  private last: { stamp: string; r: Read } | undefined;

  private read(): Read {
    const stamp = fileStamp(this.file);
    if (stamp !== undefined && this.last?.stamp === stamp) return this.last.r;
    const r = read(this.file);
    this.last = stamp === undefined ? undefined : { stamp, r };
    if (!r.ok && !this.told) {
      this.told = true;
      this.log.warn(`${r.problem}\n(the GUI probes every node until it is replaced; its content is then kept as ${this.file}.bad)`);
    }
    return r;
  }

  private write(r: Read, data: Stored): void {
    this.last = undefined;
    try {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
      if (!r.ok) renameSync(this.file, `${this.file}.bad`);
      // Another GUI writing at the same time may win: it is only a hint, the probe finds the rest.
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, this.file);
      // What was written is what the file holds: the next read need not parse it again.
      const stamp = fileStamp(this.file);
      if (stamp !== undefined) this.last = { stamp, r: { ok: true, data } };
    } catch {
      /* an unwritable state dir: every start probes, as without the memory */
    }
  }
}
