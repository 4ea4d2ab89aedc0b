/**
 * What this node may use: CPUs (affinity, then cgroup CPU quota) and memory (meminfo,
 * then the memory cgroup limit). Both are read for the agent's own process, which runs
 * in the same container / cgroup as the node's work.
 */
import type { NodeMemory } from '../../shared/domain/node.js';
import {
  countCpuList,
  parseCgroup,
  parseCgroupNumber,
  parseCpuMax,
  parseMeminfo,
  type CgroupPaths,
} from './procText.js';
import type { ProcReader } from './procfs.js';

/** '/a/b' → ['/a/b', '/a', '/']. */
function selfAndAncestors(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  const out: string[] = [];
  for (let i = parts.length; i >= 0; i--) out.push('/' + parts.slice(0, i).join('/'));
  return out;
}

/**
 * Where this process's cgroup limits are looked for: its cgroup paths and where the v2
 * hierarchy is mounted. Read once per sample and shared by the CPU and memory figures.
 */
export interface CgroupPlace {
  cg: CgroupPaths;
  /** Pure v2 mounts at /sys/fs/cgroup; hybrid systems put it at .../unified. Unset without a v2 path. */
  v2Base?: string;
}

export function cgroupPlace(r: ProcReader): CgroupPlace {
  const t = r.readEverySample('proc/self/cgroup');
  const cg = t === undefined ? { v1: new Map<string, string>() } : parseCgroup(t);
  if (cg.v2 === undefined) return { cg };
  return { cg, v2Base: r.readEverySample('sys/fs/cgroup/cgroup.controllers') !== undefined ? 'sys/fs/cgroup' : 'sys/fs/cgroup/unified' };
}

/**
 * Directories that may hold a limit for this process, leaf first. A limit on any
 * ancestor applies too. Without a cgroup namespace a container may see its own cgroup
 * mounted as the root while /proc/self/cgroup names the host path; then the leaf does
 * not exist here and the mount root ('/') is the container's cgroup, which is right.
 */
function cgroupDirs({ cg, v2Base }: CgroupPlace, v1Names: string[]): string[] {
  const dirs: string[] = [];
  if (cg.v2 !== undefined && v2Base !== undefined) {
    for (const p of selfAndAncestors(cg.v2)) dirs.push(v2Base + p);
  }
  const v1 = v1Names.map((n) => cg.v1.get(n.split(',')[0] ?? n)).find((p) => p !== undefined);
  if (v1 !== undefined) {
    for (const p of selfAndAncestors(v1)) for (const n of v1Names) dirs.push(`sys/fs/cgroup/${n}${p}`);
  }
  return dirs;
}

/** Smallest CPU quota (in CPUs, rounded up) on the way to the root, if any. */
export function cgroupCpuLimit(r: ProcReader, place: CgroupPlace = cgroupPlace(r)): number | undefined {
  let best: number | undefined;
  for (const dir of cgroupDirs(place, ['cpu', 'cpu,cpuacct', 'cpuacct,cpu'])) {
    let q: { quota: number; period: number } | undefined;
    const max = r.readEverySample(`${dir}/cpu.max`);
    if (max !== undefined) q = parseCpuMax(max);
    else {
      const quota = parseCgroupNumber(r.readEverySample(`${dir}/cpu.cfs_quota_us`));
      const period = parseCgroupNumber(r.readEverySample(`${dir}/cpu.cfs_period_us`));
      if (quota !== undefined && quota > 0 && period) q = { quota, period };
    }
    if (q) {
      const cpus = Math.ceil(q.quota / q.period);
      if (best === undefined || cpus < best) best = cpus;
    }
  }
  return best;
}

/**
 * CPUs this node may use: affinity of the agent, reduced by a cgroup quota; at least 1.
 * `fallback` (the CPUs the OS lists) is asked only without an affinity list: os.cpus() reads
 * /proc/stat and /proc/cpuinfo, too dear for every sample.
 */
export function nodeCpus(r: ProcReader, fallback: () => number, place: CgroupPlace = cgroupPlace(r)): number {
  const list = r.status('self')?.cpusAllowedList;
  let cpus = list === undefined ? 0 : countCpuList(list);
  if (cpus <= 0) cpus = fallback();
  const quota = cgroupCpuLimit(r, place);
  if (quota !== undefined) cpus = Math.min(cpus, quota);
  return Math.max(1, cpus);
}

/** Smallest memory limit on the way to the root and the usage of that cgroup, in bytes. */
export function cgroupMemoryLimit(r: ProcReader, place: CgroupPlace = cgroupPlace(r)): { limit: number; usage: number } | undefined {
  let best: { limit: number; usage: number } | undefined;
  for (const dir of cgroupDirs(place, ['memory'])) {
    let limit = parseCgroupNumber(r.readEverySample(`${dir}/memory.max`));
    let usage: number | undefined;
    if (limit !== undefined) usage = parseCgroupNumber(r.readEverySample(`${dir}/memory.current`));
    else {
      limit = parseCgroupNumber(r.readEverySample(`${dir}/memory.limit_in_bytes`));
      if (limit !== undefined) usage = parseCgroupNumber(r.readEverySample(`${dir}/memory.usage_in_bytes`));
    }
    if (limit !== undefined && (best === undefined || limit < best.limit)) best = { limit, usage: usage ?? 0 };
  }
  return best;
}

/** meminfo figures, replaced by the memory cgroup's when its limit is below MemTotal. */
export function nodeMemory(r: ProcReader, place: CgroupPlace = cgroupPlace(r)): NodeMemory {
  const t = r.readEverySample('proc/meminfo');
  const m = t === undefined ? new Map<string, number>() : parseMeminfo(t);
  const totalKb = m.get('MemTotal') ?? 0;
  const freeKb = m.get('MemFree') ?? 0;
  // Kernels before 3.14 lack MemAvailable; free is the honest lower estimate there.
  const availableKb = m.get('MemAvailable') ?? freeKb;
  const cg = cgroupMemoryLimit(r, place);
  // v1 reports "no limit" as a huge page-rounded number, which this comparison drops.
  if (cg && cg.limit / 1024 < totalKb) {
    const limitKb = Math.floor(cg.limit / 1024);
    const leftKb = Math.max(0, Math.floor((cg.limit - cg.usage) / 1024));
    return { totalKb: limitKb, freeKb: Math.min(freeKb, leftKb), availableKb: Math.min(availableKb, leftKb) };
  }
  return { totalKb, freeKb, availableKb };
}
