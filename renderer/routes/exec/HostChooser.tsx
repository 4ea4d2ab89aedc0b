import type { NodeId } from '../../../shared/domain/node.js';
import { parallelTargets } from '../../../shared/jobs/runModes.js';
import { Dial } from '../../components/Dial.js';
import { Lcd } from '../../components/Lcd.js';

export interface Range {
  first: NodeId;
  last: NodeId;
  invert: boolean;
}

/** openMosix's host chooser: a dial with an LCD of the node ID for one node. */
export function HostChooser({ nodes, value, onChange, disabled }: { nodes: NodeId[]; value: NodeId | undefined; onChange: (n: NodeId) => void; disabled: boolean }) {
  return (
    <fieldset className="host-chooser" disabled={disabled} aria-label="Host chooser">
      <legend>Host chooser</legend>
      <Dial label="Target node" values={nodes} value={value} onChange={onChange} disabled={disabled} />
      <Lcd value={value} label="Chosen node" />
    </fieldset>
  );
}

/** The parallel host chooser: first and last node, or with Invert every node outside them. */
export function ParallelChooser({ nodes, range, onChange, disabled }: { nodes: NodeId[]; range: Range; onChange: (r: Range) => void; disabled: boolean }) {
  const min = nodes[0] ?? 1;
  const max = nodes[nodes.length - 1] ?? 1;
  const num = (v: string, fallback: NodeId) => {
    const n = Number(v);
    return Number.isInteger(n) && n >= 1 ? n : fallback;
  };
  const targets = parallelTargets(range, nodes);
  return (
    <fieldset className="parallel-chooser" disabled={disabled} aria-label="Parallel host chooser">
      <legend>Parallel: nodes</legend>
      <label>First node <input type="number" aria-label="First node" min={min} max={max} value={range.first} onChange={(e) => onChange({ ...range, first: num(e.target.value, range.first) })} /></label>
      <label>Last node <input type="number" aria-label="Last node" min={min} max={max} value={range.last} onChange={(e) => onChange({ ...range, last: num(e.target.value, range.last) })} /></label>
      <label><input type="checkbox" checked={range.invert} onChange={(e) => onChange({ ...range, invert: e.target.checked })} /> Invert</label>
      <p className="muted" aria-label="Parallel targets">
        {targets.length ? `one copy on node${targets.length > 1 ? 's' : ''} ${targets.join(', ')}` : 'no node in that choice'}
      </p>
    </fieldset>
  );
}
