import { useCluster } from '../../store/clusterStore.js';
import { Lamp } from '../../components/Lamp.js';
import type { NodeView } from '../../../shared/domain/node.js';

function NodeFacts({ node }: { node: NodeView }) {
  const s = node.sample;
  return (
    <section className="node-facts" aria-label={`Node ${node.id} configuration`}>
      <h2><Lamp id={node.id} status={node.status} reason={node.reason} /> Node {node.id}</h2>
      <dl>
        <dt>Map entry</dt><dd>{node.host}</dd>
        <dt>Host name</dt><dd>{s?.hostname ?? '-'}</dd>
        <dt>IP address</dt><dd>{node.address ?? '-'}</dd>
        <dt>Status</dt><dd>{node.status}{node.reason ? `: ${node.reason}` : ''}</dd>
        <dt>Agent</dt><dd>{node.agentVersion ?? '-'}</dd>
        <dt>CPUs</dt><dd>{s?.cpus ?? '-'}</dd>
        <dt>Speed</dt><dd>{s?.speed ?? '-'}</dd>
      </dl>
    </section>
  );
}

/** The node configuration window, opened by a row's host button ("all" for every node). */
export function NodeWindow({ which }: { which: string }) {
  const order = useCluster((s) => s.order);
  const nodes = useCluster((s) => s.nodes);
  const ids = which === 'all' ? order : order.filter((id) => String(id) === which);
  if (ids.length === 0) return <p role="alert">There is no node {which} in this cluster.</p>;
  return (
    <main className="node-window">
      {ids.map((id) => nodes[id] && <NodeFacts key={id} node={nodes[id]!} />)}
    </main>
  );
}
