/** Checks of the job API's parameters: the renderer is not trusted, the errors say what to send. */
import { RpcError } from '../../shared/protocol/rpc.js';
import type { JobRef } from '../../shared/domain/process.js';
import { isRunModeKind, type RunMode } from '../../shared/jobs/runModes.js';
import type { JobSignal } from '../../shared/protocol/agentJobs.js';
import type { ApiProcTarget, MigrateTo } from '../../shared/protocol/apiJobs.js';
import { intParam, nodeIdParam } from '../core/params.js';

const MAX_ARGS = 1024;
const MAX_ARG_LENGTH = 65536;
const MAX_NODE = 65535;

const bad = (msg: string) => new RpcError('EINVAL', msg);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

export function refParam(v: unknown): JobRef {
  const r = obj(v);
  const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1;
  if (!ok(r.home) || !ok(r.id) || (r.home as number) > MAX_NODE) throw bad('"ref" must be a job identity { home: node ID, id: job number }');
  return { home: r.home as number, id: r.id as number };
}

/** `{ nodeId, pid }` or `{ nodeId, ref }`, nothing else. */
export function targetParam(req: unknown): ApiProcTarget {
  const nodeId = nodeIdParam(req);
  const r = obj(req);
  if (r.ref !== undefined) return { nodeId, ref: refParam(r.ref) };
  if (r.pid !== undefined) return { nodeId, pid: intParam(req, 'pid', 1, 1 << 22) };
  throw bad('say which process: "pid" (a process ID on that node) or "ref" (a job identity)');
}

export function signalParam(req: unknown): JobSignal {
  const s = obj(req).signal;
  if (s !== 'KILL' && s !== 'STOP' && s !== 'CONT') throw bad(`"signal" must be KILL, STOP or CONT, got ${JSON.stringify(s)}`);
  return s;
}

export function migrateToParam(req: unknown): MigrateTo {
  const to = obj(req).to;
  if (to === 'home' || to === 'best') return to;
  if (typeof to === 'number' && Number.isInteger(to) && to >= 1 && to <= MAX_NODE) return to;
  throw bad(`"to" must be a node ID, "home" or "best", got ${JSON.stringify(to)}`);
}

export function boolParam(req: unknown, name: string): boolean {
  const v = obj(req)[name];
  if (typeof v !== 'boolean') throw bad(`"${name}" must be true or false`);
  return v;
}

/** An argv array: the program and its arguments, each passed as it is. */
export function argvParam(req: unknown): string[] {
  const v = obj(req).argv;
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_ARGS) throw bad(`"argv" must be a list of 1 to ${MAX_ARGS} strings: the program, then its arguments`);
  for (const [i, a] of v.entries()) {
    if (typeof a !== 'string' || a.length > MAX_ARG_LENGTH) throw bad(`argument ${i} must be a string of at most ${MAX_ARG_LENGTH} characters`);
    // exec() would cut the argument at a NUL byte: refuse rather than run something else.
    if (a.includes('\0')) throw bad(`argument ${i} contains a NUL character, which no program can receive`);
  }
  if (v[0] === '') throw bad('the program name is empty: choose a program');
  return v as string[];
}

export function absPathParam(req: unknown, name: string): string {
  const v = obj(req)[name];
  if (typeof v !== 'string' || !v.startsWith('/') || v.length > 4096 || v.includes('\0')) {
    throw bad(`"${name}" must be an absolute path (starting with /), got ${JSON.stringify(v)}`);
  }
  return v;
}

/** A directory to list: absolute, or "~" / "~/..." for the agent user's home. */
export function browsePathParam(req: unknown): string {
  const v = obj(req).path;
  if (typeof v === 'string' && (v === '~' || v.startsWith('~/'))) return v;
  return absPathParam(req, 'path');
}

export function modeParam(req: unknown): RunMode {
  const m = obj(obj(req).mode);
  const kind = m.kind;
  if (typeof kind !== 'string' || !isRunModeKind(kind)) throw bad(`"mode.kind" must be one of the run modes (nomig, runhome, runon, cpujob, iojob, nodecay, slowdecay, fastdecay, parallel), got ${JSON.stringify(kind)}`);
  const node = (name: string) => intParam(m, name, 1, MAX_NODE);
  if (kind === 'parallel') return { kind, first: node('first'), last: node('last'), invert: boolParam(m, 'invert') };
  if (kind === 'runon') return { kind, node: node('node') };
  return m.node === undefined ? { kind } : { kind, node: node('node') };
}
