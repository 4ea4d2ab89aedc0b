import type { NodeStatus } from '../../shared/domain/node.js';

/** The node's lamp: its ID in a green (up) or red (down) light; the reason as tooltip. */
export function Lamp({ id, status, reason }: { id: number; status: NodeStatus; reason?: string }) {
  const word = status === 'up' ? 'up' : status === 'connecting' ? 'connecting' : 'down';
  return (
    <span role="img" aria-label={`Node ${id} ${word}`} title={reason ?? `node ${id} is ${word}`} className={`lamp lamp-${word}`}>
      {id}
    </span>
  );
}
