/**
 * docs/BENCHMARKS.md is shared by several benchmarks, each run on its own schedule: every
 * benchmark owns one section between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` and
 * rewrites only that, so running one benchmark never drops another's last results.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCHMARKS_MD = resolve(dirname(fileURLToPath(import.meta.url)), '../../docs/BENCHMARKS.md');

const HEADER = `# Benchmarks

Each section below is written by its benchmark (see \`e2e/bench/\`) and carries the machine,
date and command of its last run. \`npm run bench\` reruns all of them;
\`npm run bench -- --only NAME\` reruns one and leaves the other sections as they are.
`;

const NAME = /^[a-z0-9][a-z0-9-]*$/;

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Replaces (or appends) the section NAME of BENCHMARKS.md; `file` is for tests. */
export function writeBenchSection(name: string, markdown: string, file = BENCHMARKS_MD): void {
  if (!NAME.test(name)) throw new Error(`bad benchmark section name "${name}" (lower case, digits, "-")`);
  const open = `<!-- bench:${name} -->`;
  const close = `<!-- /bench:${name} -->`;
  const block = `${open}\n${markdown.trim()}\n${close}`;
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const start = doc.indexOf(open);
  const end = doc.indexOf(close);
  let next: string;
  if (start >= 0 && end > start) {
    next = doc.slice(0, start) + block + doc.slice(end + close.length);
  } else if (start >= 0 || end >= 0) {
    // A half-deleted marker pair: refusing beats guessing which text belongs to whom.
    throw new Error(`${file}: section markers of "${name}" are unpaired; fix them by hand`);
  } else {
    next = `${doc.trimEnd()}\n\n${block}\n`;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, next.endsWith('\n') ? next : `${next}\n`);
}

export interface Machine {
  /** 1-minute load average when taken: other work on the machine skews every figure. */
  load: string;
  cpus: number;
  cpuModel: string;
  kernel: string;
  node: string;
  os: string;
}

export function machine(): Machine {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpuModel;
  } catch {
    /* not Linux: os.cpus() is the best we have */
  }
  let os: string = process.platform;
  try {
    os = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os;
  } catch {
    /* no os-release */
  }
  // nproc, not os.cpus().length: it honours the CPU affinity the benchmark actually ran with.
  let n = cpus().length;
  try {
    n = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || n;
  } catch {
    /* no coreutils */
  }
  let load = 'n/a';
  try {
    load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0] ?? load;
  } catch {
    /* not Linux */
  }
  return { load, cpus: n, cpuModel, kernel: release(), node: process.version, os };
}

export function machineLine(m: Machine = machine(), date = new Date()): string {
  return `Machine: ${m.cpus} CPUs (nproc), ${m.cpuModel}, Linux ${m.kernel}, ${m.os}, Node.js ${m.node}. Load average (1 min) before the run: ${m.load}. Date: ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC.`;
}

export const ms = (x: number): string => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
export const ratio = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}x` : 'n/a');
