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
 * Directories that may hold a limit for this process, leaf first. A limit on any
 * ancestor applies too. Without a cgroup namespace a container may see its own cgroup
 * mounted as the root while /proc/self/cgroup names the host path; then the leaf does
 * not exist here and the mount root ('/') is the container's cgroup, which is right.
 */
function cgroupDirs(r: ProcReader, cg: CgroupPaths, v1Names: string[]): string[] {
  const dirs: string[] = [];
  if (cg.v2 !== undefined) {
    // Pure v2 mounts at /sys/fs/cgroup; hybrid systems put it at .../unified.
    const base = r.read('sys/fs/cgroup/cgroup.controllers') !== undefined ? 'sys/fs/cgroup' : 'sys/fs/cgroup/unified';
    for (const p of selfAndAncestors(cg.v2)) dirs.push(base + p);
  }
  const v1 = v1Names.map((n) => cg.v1.get(n.split(',')[0] ?? n)).find((p) => p !== undefined);
  if (v1 !== undefined) {
    for (const p of selfAndAncestors(v1)) for (const n of v1Names) dirs.push(`sys/fs/cgroup/${n}${p}`);
  }
  return dirs;
}

function readCgroup(r: ProcReader): CgroupPaths {
  const t = r.read('proc/self/cgroup');
  return t === undefined ? { v1: new Map() } : parseCgroup(t);
}

/** Smallest CPU quota (in CPUs, rounded up) on the way to the root, if any. */
export function cgroupCpuLimit(r: ProcReader, cg: CgroupPaths = readCgroup(r)): number | undefined {
  let best: number | undefined;
  for (const dir of cgroupDirs(r, cg, ['cpu', 'cpu,cpuacct', 'cpuacct,cpu'])) {
    let q: { quota: number; period: number } | undefined;
    const max = r.read(`${dir}/cpu.max`);
    if (max !== undefined) q = parseCpuMax(max);
    else {
      const quota = parseCgroupNumber(r.read(`${dir}/cpu.cfs_quota_us`));
      const period = parseCgroupNumber(r.read(`${dir}/cpu.cfs_period_us`));
      if (quota !== undefined && quota > 0 && period) q = { quota, period };
    }
    if (q) {
      const cpus = Math.ceil(q.quota / q.period);
      if (best === undefined || cpus < best) best = cpus;
    }
  }
  return best;
}

/** CPUs this node may use: affinity of the agent, reduced by a cgroup quota; at least 1. */
export function nodeCpus(r: ProcReader, fallback: number): number {
  const list = r.status('self')?.cpusAllowedList;
  let cpus = list === undefined ? 0 : countCpuList(list);
  if (cpus <= 0) cpus = fallback;
  const quota = cgroupCpuLimit(r);
  if (quota !== undefined) cpus = Math.min(cpus, quota);
  return Math.max(1, cpus);
}

/** Smallest memory limit on the way to the root and the usage of that cgroup, in bytes. */
export function cgroupMemoryLimit(
  r: ProcReader,
  cg: CgroupPaths = readCgroup(r),
): { limit: number; usage: number } | undefined {
  let best: { limit: number; usage: number } | undefined;
  for (const dir of cgroupDirs(r, cg, ['memory'])) {
    let limit = parseCgroupNumber(r.read(`${dir}/memory.max`));
    let usage: number | undefined;
    if (limit !== undefined) usage = parseCgroupNumber(r.read(`${dir}/memory.current`));
    else {
      limit = parseCgroupNumber(r.read(`${dir}/memory.limit_in_bytes`));
      if (limit !== undefined) usage = parseCgroupNumber(r.read(`${dir}/memory.usage_in_bytes`));
    }
    if (limit !== undefined && (best === undefined || limit < best.limit)) best = { limit, usage: usage ?? 0 };
  }
  return best;
}

/** meminfo figures, replaced by the memory cgroup's when its limit is below MemTotal. */
export function nodeMemory(r: ProcReader): NodeMemory {
  const t = r.read('proc/meminfo');
  const m = t === undefined ? new Map<string, number>() : parseMeminfo(t);
  const totalKb = m.get('MemTotal') ?? 0;
  const freeKb = m.get('MemFree') ?? 0;
  // Kernels before 3.14 lack MemAvailable; free is the honest lower estimate there.
  const availableKb = m.get('MemAvailable') ?? freeKb;
  const cg = cgroupMemoryLimit(r);
  // v1 reports "no limit" as a huge page-rounded number, which this comparison drops.
  if (cg && cg.limit / 1024 < totalKb) {
    const limitKb = Math.floor(cg.limit / 1024);
    const leftKb = Math.max(0, Math.floor((cg.limit - cg.usage) / 1024));
    return { totalKb: limitKb, freeKb: Math.min(freeKb, leftKb), availableKb: Math.min(availableKb, leftKb) };
  }
  return { totalKb, freeKb, availableKb };
}
