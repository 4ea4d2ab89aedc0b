/** Validators of the fields several protocol maps share: node numbers, job identities, paths, run modes, process targets. */
import type { JobRef } from '../domain/process.js';
import type { RunMode } from '../jobs/runModes.js';
import { isRunModeKind } from '../jobs/runModes.js';
import { bool, custom, fieldPath, int, invalid, isRecord, obj, oneOf, optional, show, type ObjOf, type Validator } from './validate.js';

export const MAX_NODE = 65535;
export const MAX_PID = 1 << 22;

export const nodeId = int(1, MAX_NODE, `a node number (a whole number from 1 to ${MAX_NODE})`);
export const nodeOrAll = custom<number | 'all'>(`a node number (1 to ${MAX_NODE}) or "all"`, (v, at) => {
  if (v === 'all') return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_NODE) return v;
  throw invalid(at, `expected a node number (1 to ${MAX_NODE}) or "all", got ${show(v)}`);
});
export const pid = int(1, MAX_PID, `a process ID (a whole number from 1 to ${MAX_PID})`);
export const jobRef: Validator<JobRef> = obj(
  { home: nodeId, id: int(1, Number.MAX_SAFE_INTEGER, 'a job number (a whole number from 1)') },
  'a job identity { home: node number, id: job number }',
);
export const jobSignal = oneOf(['KILL', 'STOP', 'CONT'] as const, 'KILL, STOP or CONT');
export const nice = int(-20, 19);
export const migrateTo = custom<number | 'home' | 'best'>(`a node number (1 to ${MAX_NODE}), "home" or "best"`, (v, at) => {
  if (v === 'home' || v === 'best') return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_NODE) return v;
  throw invalid(at, `expected a node number (1 to ${MAX_NODE}), "home" or "best", got ${show(v)}`);
});

const MAX_PATH = 4096;
/** exec() and open() cut a text at a NUL byte: refuse it rather than reach another file. */
export const absPath = custom<string>('an absolute path (starting with /)', (v, at) => {
  if (typeof v !== 'string' || !v.startsWith('/') || v.length > MAX_PATH || v.includes('\0')) {
    throw invalid(at, `expected an absolute path (starting with /, at most ${MAX_PATH} characters), got ${show(v)}`);
  }
  return v;
});
/** A directory to list: absolute, or "~" / "~/..." for the agent user's home. */
export const browsePath = custom<string>('an absolute path, "~" or "~/..."', (v, at) => {
  if (typeof v === 'string' && (v === '~' || v.startsWith('~/')) && v.length <= MAX_PATH && !v.includes('\0')) return v;
  return absPath.check(v, at);
});

const MAX_ARGS = 1024;
const MAX_ARG_LENGTH = 65536;
/** An argv array: the program and its arguments, each passed as it is (no shell parses them). */
export const argv = custom<string[]>(`a list of 1 to ${MAX_ARGS} texts: the program, then its arguments`, (v, at) => {
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_ARGS) {
    throw invalid(at, `expected a list of 1 to ${MAX_ARGS} texts: the program, then its arguments, got ${show(v)}`);
  }
  for (const [i, a] of v.entries()) {
    const here = fieldPath(at, i);
    if (typeof a !== 'string' || a.length > MAX_ARG_LENGTH) throw invalid(here, `expected a text of at most ${MAX_ARG_LENGTH} characters, got ${show(a)}`);
    if (a.includes('\0')) throw invalid(here, 'contains a NUL character, which no program can receive: remove it');
  }
  if (v[0] === '') throw invalid(fieldPath(at, 0), 'the program name is empty: choose a program');
  return v as string[];
});

const KINDS_TEXT = 'plain, nomig, runhome, runon, cpujob, iojob, nodecay, slowdecay, fastdecay, parallel';
const parallelMode = obj({ kind: oneOf(['parallel'] as const), first: nodeId, last: nodeId, invert: bool });
const runonMode = obj({ kind: oneOf(['runon'] as const), node: nodeId });
export const runMode = custom<RunMode>(`a run mode { kind: ${KINDS_TEXT}, ... }`, (v, at) => {
  const kind = isRecord(v) ? v.kind : undefined;
  if (typeof kind !== 'string' || !isRunModeKind(kind)) throw invalid(fieldPath(at, 'kind'), `expected one of the run modes (${KINDS_TEXT}), got ${show(kind)}`);
  if (kind === 'parallel') return parallelMode.check(v, at);
  if (kind === 'runon') return runonMode.check(v, at);
  return obj({ kind: oneOf([kind] as const), node: optional(nodeId) }).check(v, at) as RunMode;
});

type Shape = Record<string, Validator<unknown>>;
const TARGET_WORDS = 'say which process: "pid" (a process ID on that node) or "ref" (a job identity { home, id })';

/**
 * A process by PID or a job by its identity, with the request's other fields: two shapes,
 * told apart by which of "pid" and "ref" is there (both or neither is refused).
 */
/**
 * "pid" of a process target: a process ID, or, at a job's home, the job number mosrun printed
 * (a job started elsewhere by runon or -p has a number above any PID: REMOTE_ID_BASE, job.ts).
 */
export const targetPid = int(1, Number.MAX_SAFE_INTEGER, 'a process ID (or, at the job\'s home, the job number mosrun printed)');

export function procTarget<B extends Shape, E extends Shape>(base: B, extra: E): Validator<(ObjOf<B & { pid: typeof targetPid }> | ObjOf<B & { ref: typeof jobRef }>) & ObjOf<E>> {
  const byPid = obj({ ...base, pid: targetPid, ...extra });
  const byRef = obj({ ...base, ref: jobRef, ...extra });
  return custom(TARGET_WORDS, (v, at) => {
    if (!isRecord(v)) throw invalid(at, `expected an object: ${TARGET_WORDS}, got ${show(v)}`);
    const hasPid = Object.hasOwn(v, 'pid');
    const hasRef = Object.hasOwn(v, 'ref');
    if (hasPid === hasRef) throw invalid(at, hasPid ? 'both "pid" and "ref": send one of them' : TARGET_WORDS);
    return (hasRef ? byRef : byPid).check(v, at) as never;
  });
}
