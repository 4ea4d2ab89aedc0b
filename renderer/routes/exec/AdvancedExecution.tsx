import { useState } from 'react';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { NodeId } from '../../../shared/domain/node.js';
import { jobKey } from '../../../shared/domain/process.js';
import type { JobRecord } from '../../../shared/jobs/job.js';
import type { RunMode, RunModeKind } from '../../../shared/jobs/runModes.js';
import { startFailure } from '../../../shared/jobs/startFailure.js';
import { useCluster } from '../../store/clusterStore.js';
import { openWindow } from '../../windows.js';
import { routes } from '../../../shared/windows.js';
import { useWindowTitle, windowTitles } from '../../windowTitle.js';
import { FileBrowser, parentOf } from './FileBrowser.js';
import { HostChooser, ParallelChooser, type Range } from './HostChooser.js';
import { splitArgs } from './splitArgs.js';
import { MigrationCheck, useMigrationCheck, useSharedWorkdir } from './MigrationCheck.js';
import type { JobStartRequest } from '../../../shared/protocol/apiJobs.js';

/** The run modes of HOWTO 12.2.8 (plus mosrun's plain start), and whether the host chooser applies. */
export const EXEC_MODES: { kind: RunModeKind; label: string; chooser: 'none' | 'host' | 'parallel' }[] = [
  { kind: 'plain', label: 'normal (may migrate)', chooser: 'none' },
  { kind: 'nomig', label: 'no migration', chooser: 'none' },
  { kind: 'runhome', label: 'run home', chooser: 'none' },
  { kind: 'runon', label: 'run on', chooser: 'host' },
  { kind: 'cpujob', label: 'cpu job', chooser: 'host' },
  { kind: 'iojob', label: 'io job', chooser: 'host' },
  { kind: 'nodecay', label: 'no decay', chooser: 'host' },
  { kind: 'slowdecay', label: 'slow decay', chooser: 'host' },
  { kind: 'fastdecay', label: 'fast decay', chooser: 'host' },
  { kind: 'parallel', label: 'parallel', chooser: 'parallel' },
];

/** The run mode the form stands for; the host chooser's node only where the mode uses it. */
export function modeOf(kind: RunModeKind, target: NodeId | undefined, range: Range): RunMode {
  if (kind === 'parallel') return { kind, ...range };
  const chooser = EXEC_MODES.find((m) => m.kind === kind)?.chooser;
  if (chooser !== 'host') return { kind } as RunMode;
  if (target === undefined) throw new Error('choose a target node with the host chooser');
  return { kind, node: target } as RunMode;
}

/** One line per started copy, in the words of what really happened to it. */
export function describeStart(r: JobRecord): { ok: boolean; line: string } {
  const key = jobKey(r.ref);
  const failed = startFailure(r);
  if (failed) return { ok: false, line: `Not started: job ${key}${r.where ? ` on node ${r.where}` : ''} ${failed}` };
  if (r.state === 'pending') return { ok: true, line: `job ${key}: to be started on node ${r.where}${r.note ? ` (${r.note})` : ''}` };
  if (r.state === 'away') return { ok: true, line: `job ${key} started on node ${r.where} (its home is node ${r.ref.home})` };
  const on = `node ${r.where || r.ref.home}`;
  if (r.state === 'running' || r.state === 'stopped') return { ok: true, line: `job ${key} started on ${on}${r.pid ? `, PID ${r.pid}` : ''} (${r.state})` };
  return { ok: true, line: `job ${key} started on ${on} and has already ended (${r.exitStatus !== undefined ? `exit status ${r.exitStatus}` : r.state})` };
}

/**
 * Advanced execution: a program of the node, its arguments (split like a shell would,
 * but passed as an argv array: no shell runs them), a run mode and, for remote modes, the
 * host chooser. Execute starts the job(s) through the home node's agent.
 */
export function AdvancedExecution({ bridge, initialNode }: { bridge: MosixviewBridge; initialNode: NodeId | undefined }) {
  const order = useCluster((s) => s.order);
  const nodes = [...order].sort((a, b) => a - b);
  const [home, setHome] = useState<NodeId | undefined>(initialNode);
  const startNode = home ?? nodes[0];
  useWindowTitle(windowTitles.exec(startNode));
  const [program, setProgram] = useState('');
  const [args, setArgs] = useState('');
  // Empty until the node says its home is shared: a node-local default (/tmp) could never move.
  const [cwd, setCwd] = useState('');
  const workdirHint = useSharedWorkdir(bridge, startNode, (home) => setCwd((typed) => typed || home));
  const [kind, setKind] = useState<RunModeKind>('plain');
  const [target, setTarget] = useState<NodeId | undefined>(undefined);
  const [range, setRange] = useState<Range | undefined>(undefined);
  const [browsing, setBrowsing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; lines: string[] } | undefined>(undefined);

  const chooser = EXEC_MODES.find((m) => m.kind === kind)!.chooser;
  const chosen = target ?? startNode;
  const shownRange = range ?? { first: nodes[0] ?? 1, last: nodes[nodes.length - 1] ?? 1, invert: false };

  /** The job the form describes now, or undefined while it is incomplete (nothing to ask about). */
  const described = (): JobStartRequest | undefined => {
    if (startNode === undefined || !program.trim() || !cwd.startsWith('/')) return undefined;
    try {
      return { nodeId: startNode, argv: [program.trim(), ...splitArgs(args)], cwd, mode: modeOf(kind, chosen, shownRange) };
    } catch {
      return undefined; // an unclosed quote: Execute says so
    }
  };
  const check = useMigrationCheck(bridge, described());

  const execute = async () => {
    setResult(undefined);
    try {
      if (startNode === undefined) throw new Error('no node to start on: the cluster has no nodes yet');
      if (!program.trim()) throw new Error('choose a program first (type its path or use Browse)');
      if (!cwd.trim()) throw new Error('choose a working directory first: one that every node shares, so the job can move');
      if (!cwd.startsWith('/')) throw new Error('the working directory must be an absolute path, starting with /');
      const argv = [program.trim(), ...splitArgs(args)];
      const mode = modeOf(kind, chosen, shownRange);
      setBusy(true);
      const records = await bridge.invoke('job.start', { nodeId: startNode, argv, cwd, mode });
      const said = records.map(describeStart);
      setResult({ ok: said.every((d) => d.ok) && said.length > 0, lines: said.length ? said.map((d) => d.line) : ['nothing started: no node in that choice'] });
    } catch (e) {
      setResult({ ok: false, lines: [`Not started: ${(e as Error).message}`] });
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="exec-window">
      <h1>Advanced execution</h1>
      <form
        className="exec-form"
        onSubmit={(e) => {
          e.preventDefault();
          void execute();
        }}
      >
        <label>
          Start from node{' '}
          <select aria-label="Start from node" value={startNode ?? ''} onChange={(e) => setHome(Number(e.target.value))}>
            {nodes.map((id) => <option key={id} value={id}>node {id}</option>)}
          </select>
        </label>
        <div className="exec-row">
          <label>Program <input aria-label="Program" value={program} onChange={(e) => setProgram(e.target.value)} placeholder="/path/to/program" size={40} /></label>
          <button type="button" onClick={() => setBrowsing(true)} disabled={startNode === undefined} title="run-prog: choose a program on the node">Browse</button>
        </div>
        {browsing && startNode !== undefined && (
          <FileBrowser
            bridge={bridge}
            nodeId={startNode}
            start={program.startsWith('/') ? parentOf(program) : '~'}
            onPick={(p) => (setProgram(p), setBrowsing(false))}
            onClose={() => setBrowsing(false)}
          />
        )}
        <label className="exec-row">Arguments <input aria-label="Arguments" value={args} onChange={(e) => setArgs(e.target.value)} size={50} title="split like a shell does ('...' and &quot;...&quot; quote, \ escapes); no shell runs them" /></label>
        <label className="exec-row">
          Working directory{' '}
          <input aria-label="Working directory" value={cwd} onChange={(e) => setCwd(e.target.value)} size={40} placeholder="a directory every node shares" aria-describedby="workdir-hint" />
        </label>
        <p id="workdir-hint" className="field-hint">{!cwd && workdirHint}</p>
        <fieldset className="run-modes" role="radiogroup" aria-label="Run mode">
          <legend>How to start</legend>
          {EXEC_MODES.map((m) => (
            <label key={m.kind}>
              <input type="radio" name="run-mode" value={m.kind} checked={kind === m.kind} onChange={() => setKind(m.kind)} />
              {m.label}
            </label>
          ))}
        </fieldset>
        <div className="choosers">
          <HostChooser nodes={nodes} value={chooser === 'host' ? chosen : undefined} onChange={setTarget} disabled={chooser !== 'host'} />
          <ParallelChooser nodes={nodes} range={shownRange} onChange={setRange} disabled={chooser !== 'parallel'} />
        </div>
        <MigrationCheck answer={check} />
        <div className="exec-row">
          <button type="submit" disabled={busy}>Execute</button>
          {startNode !== undefined && (
            <button type="button" onClick={() => openWindow(routes.procs(startNode), `procs-${startNode}`)}>Process box of node {startNode}</button>
          )}
        </div>
      </form>
      {busy && <p role="status" aria-label="Starting">Starting ...</p>}
      {result && (
        <div role={result.ok ? 'status' : 'alert'} aria-label="Result" className={result.ok ? 'exec-result' : 'row-message'}>
          {result.lines.map((l) => <p key={l}>{l}</p>)}
        </div>
      )}
    </main>
  );
}
