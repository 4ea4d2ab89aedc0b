/** Builds a fake filesystem root (proc/, sys/fs/cgroup/, etc/) for sampler tests. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface FakeProc {
  pid: number;
  comm?: string;
  state?: string;
  ppid?: number;
  flags?: number;
  utime?: number;
  stime?: number;
  nice?: number;
  starttime?: number;
  rss?: number;
  uid?: number;
  cmdline?: string[];
  /** Children's CPU time (clock ticks) of reaped children. */
  cutime?: number;
  cstime?: number;
  /** num_threads; taken from `tasks` when those are given. */
  threads?: number;
  /** /proc/PID/schedstat of the main thread: [time on CPU ns, time waiting ns]. */
  sched?: [number, number];
  /** /proc/PID/task/TID/schedstat per thread, for a multi-threaded process. */
  tasks?: Record<number, [number, number]>;
}

export function statLine(p: FakeProc): string {
  const f = [
    p.pid, `(${p.comm ?? 'proc'})`, p.state ?? 'S', p.ppid ?? 1, p.pid, p.pid, 0, -1, p.flags ?? 4194304,
    0, 0, 0, 0, p.utime ?? 0, p.stime ?? 0, p.cutime ?? 0, p.cstime ?? 0, 20, p.nice ?? 0,
    p.threads ?? (p.tasks ? Object.keys(p.tasks).length : 1), 0, p.starttime ?? 1000, 1000000,
    p.rss ?? 0, '18446744073709551615', 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0,
  ];
  return f.join(' ') + '\n';
}

function schedstatLine([runNs, waitNs]: [number, number]): string {
  return `${runNs} ${waitNs} ${Math.max(1, Math.round(runNs / 4e6))}\n`;
}

export class FakeRoot {
  readonly root = mkdtempSync(join(tmpdir(), 'mosix-proc-'));

  constructor() {
    this.file('etc/passwd', 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n');
    this.file('proc/self/status', 'Name:\tnode\nCpus_allowed_list:\t0-3\n');
    this.file('proc/self/cgroup', '0::/\n');
    this.meminfo(8_000_000, 5_000_000, 6_000_000);
  }

  file(rel: string, text: string): this {
    const p = join(this.root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    return this;
  }

  meminfo(total: number, free: number, avail: number): this {
    return this.file('proc/meminfo', `MemTotal:       ${total} kB\nMemFree:        ${free} kB\nMemAvailable:   ${avail} kB\nBuffers:  1 kB\n`);
  }

  proc(p: FakeProc): this {
    this.file(`proc/${p.pid}/stat`, statLine(p));
    this.file(`proc/${p.pid}/cmdline`, (p.cmdline ?? [p.comm ?? 'proc']).map((a) => a + '\0').join(''));
    this.file(`proc/${p.pid}/status`, `Name:\t${p.comm ?? 'proc'}\nUid:\t${p.uid ?? 0}\t${p.uid ?? 0}\t0\t0\nNSpid:\t${p.pid}\n`);
    const sched = p.sched ?? p.tasks?.[p.pid];
    if (sched) this.file(`proc/${p.pid}/schedstat`, schedstatLine(sched));
    for (const [tid, t] of Object.entries(p.tasks ?? {})) this.file(`proc/${p.pid}/task/${tid}/schedstat`, schedstatLine(t));
    return this;
  }

  /** A thread that ended: its task directory goes, the process stays. */
  removeTask(pid: number, tid: number): this {
    rmSync(join(this.root, 'proc', String(pid), 'task', String(tid)), { recursive: true, force: true });
    return this;
  }

  remove(pid: number): this {
    rmSync(join(this.root, 'proc', String(pid)), { recursive: true, force: true });
    return this;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
