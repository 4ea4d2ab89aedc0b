/**
 * The openMosix run modes of a mosrun job (HOWTO 8.5 and 12.2.8), shared by the agent
 * (mosrun, the run-mode scripts) and the GUI (advanced execution).
 */
import type { NodeId } from '../domain/node.js';

/** Modes that run where they start and leave placement to the balancer (with a hint). */
export type LocalModeKind = 'plain' | 'nomig' | 'runhome' | 'cpujob' | 'iojob' | 'nodecay' | 'slowdecay' | 'fastdecay';

export type RunMode =
  /** `node` (cpujob..fastdecay from the host chooser): start there instead of here. */
  | { kind: LocalModeKind; node?: NodeId }
  | { kind: 'runon'; node: NodeId }
  /** One copy on each node of first..last, or of every other node when inverted. */
  | { kind: 'parallel'; first: NodeId; last: NodeId; invert: boolean };

export type RunModeKind = RunMode['kind'];

/** The openMosix scripts and the mode each one starts its command in. */
export const RUN_MODE_SCRIPTS = ['nomig', 'runhome', 'runon', 'cpujob', 'iojob', 'nodecay', 'slowdecay', 'fastdecay'] as const;
export type RunModeScript = (typeof RUN_MODE_SCRIPTS)[number];

const KINDS: readonly RunModeKind[] = ['plain', 'nomig', 'runhome', 'runon', 'cpujob', 'iojob', 'nodecay', 'slowdecay', 'fastdecay', 'parallel'];

export const MODE_LABELS: Record<RunModeKind, string> = {
  plain: 'normal (may migrate)',
  nomig: 'no migration',
  runhome: 'run home (locked to its home node)',
  runon: 'run on a chosen node (locked there)',
  cpujob: 'CPU job',
  iojob: 'I/O job',
  nodecay: 'no decay',
  slowdecay: 'slow decay',
  fastdecay: 'fast decay',
  parallel: 'parallel',
};

export function isRunModeKind(s: string): s is RunModeKind {
  return (KINDS as readonly string[]).includes(s);
}

/** Why the mode forbids migration, or undefined when it allows it. */
export function modeForbidsMigration(mode: RunMode): string | undefined {
  if (mode.kind === 'nomig') return 'it was started with "nomig" (no migration)';
  if (mode.kind === 'runhome') return 'it was started with "runhome": it stays locked to its home node';
  return undefined;
}

/** Jobs that start locked: runon pins the job to its chosen node as openMosix did. */
export function modeStartsLocked(mode: RunMode): boolean {
  return mode.kind === 'runon' || mode.kind === 'runhome';
}

/** Nodes other than this one the job should start on; empty when it starts here. */
export function remoteTargets(mode: RunMode, here: NodeId, nodes: readonly NodeId[]): NodeId[] {
  if (mode.kind === 'parallel') return parallelTargets(mode, nodes);
  if (mode.node !== undefined && mode.node !== here && mode.node !== 0) return [mode.node];
  return [];
}

/** first..last (either order), or every known node outside it when inverted. */
export function parallelTargets(mode: { first: NodeId; last: NodeId; invert: boolean }, nodes: readonly NodeId[]): NodeId[] {
  const lo = Math.min(mode.first, mode.last);
  const hi = Math.max(mode.first, mode.last);
  const inRange = (n: NodeId) => n >= lo && n <= hi;
  if (mode.invert) return [...nodes].filter((n) => !inRange(n)).sort((a, b) => a - b);
  // Without a map the range itself is the list: the orchestrator reports nodes that do not exist.
  const known = nodes.length ? nodes.filter(inRange) : Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  return [...new Set(known)].sort((a, b) => a - b);
}

export interface MosrunArgs {
  mode: RunMode;
  argv: string[];
  /** -o DIR: where the job's directory (stdout, stderr, exit) goes. */
  jobsDir?: string;
  /** -w: wait for the job to end and exit with its status, as openMosix's mosrun did. */
  wait?: boolean;
}

export const MOSRUN_USAGE = [
  'usage: mosrun [-h | -N | -n N] [-m] [-c | -i] [--decay no|slow|fast] [-p FIRST-LAST [--invert]] [-o DIR] [--] COMMAND [ARGS...]',
  '  (none)  start COMMAND here as a job that may migrate',
  '  -h      run home: locked to this node        -N, -n N  run on node N (locked there)',
  '  -m      no migration                          -c / -i   CPU job / I/O job',
  '  --decay no|slow|fast   load statistics decay  -p A-B    one copy on each node A..B (--invert: all others)',
  '  -o DIR  put the job directory (stdout, stderr, exit status) under DIR',
  '  -w      wait for the job to end and exit with its exit status',
].join('\n');

const node = (s: string | undefined, what: string): NodeId => {
  if (s === undefined || !/^\d+$/.test(s) || Number(s) < 1) throw new Error(`${what} needs a node number (1, 2, ...), got "${s ?? ''}"`);
  return Number(s);
};

/** Parses mosrun's command line; the command and its arguments are kept as an argv array. */
export function parseMosrunArgs(args: readonly string[]): MosrunArgs {
  let kind = 'plain' as RunModeKind;
  let target: NodeId | undefined;
  let range: { first: NodeId; last: NodeId } | undefined;
  let invert = false;
  let jobsDir: string | undefined;
  let wait = false;
  const set = (k: RunModeKind) => {
    if (kind !== 'plain' && kind !== k) throw new Error(`choose one run mode, not both "${kind}" and "${k}"`);
    kind = k;
  };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    if (a === '-h') set('runhome');
    else if (/^-\d+$/.test(a)) {
      set('runon');
      target = node(a.slice(1), '-N');
    } else if (a === '-n') {
      set('runon');
      target = node(args[++i], '-n');
    } else if (a === '-m') set('nomig');
    else if (a === '-c') set('cpujob');
    else if (a === '-i') set('iojob');
    else if (a === '--decay') {
      const d = args[++i];
      if (d !== 'no' && d !== 'slow' && d !== 'fast') throw new Error(`--decay takes no, slow or fast, got "${d ?? ''}"`);
      set(d === 'no' ? 'nodecay' : d === 'slow' ? 'slowdecay' : 'fastdecay');
    } else if (a === '-p') {
      const m = /^(\d+)-(\d+)$/.exec(args[++i] ?? '');
      if (!m) throw new Error('-p needs a node range like 2-5');
      set('parallel');
      range = { first: node(m[1], '-p'), last: node(m[2], '-p') };
    } else if (a === '--invert') invert = true;
    else if (a === '-w') wait = true;
    else if (a === '-o') {
      jobsDir = args[++i];
      if (!jobsDir) throw new Error('-o needs a directory');
    } else throw new Error(`unknown option "${a}"`);
  }
  const argv = args.slice(i);
  if (argv.length === 0) throw new Error('no command given');
  if (invert && kind !== 'parallel') throw new Error('--invert only goes with -p FIRST-LAST');
  let mode: RunMode;
  if (kind === 'parallel') mode = { kind, first: range!.first, last: range!.last, invert };
  else if (kind === 'runon') mode = { kind, node: target! };
  else mode = { kind };
  const out: MosrunArgs = { mode, argv };
  if (jobsDir !== undefined) out.jobsDir = jobsDir;
  if (wait) out.wait = true;
  return out;
}

/** The mosrun arguments an openMosix script stands for: `runon 3 cmd` is `mosrun -n 3 cmd`. */
export function scriptToMosrunArgs(script: RunModeScript, args: readonly string[]): string[] {
  switch (script) {
    case 'nomig':
      return ['-m', '--', ...args];
    case 'runhome':
      return ['-h', '--', ...args];
    case 'runon': {
      const [n, ...rest] = args;
      return ['-n', n ?? '', '--', ...rest];
    }
    case 'cpujob':
      return ['-c', '--', ...args];
    case 'iojob':
      return ['-i', '--', ...args];
    default:
      return ['--decay', script.replace('decay', ''), '--', ...args];
  }
}
