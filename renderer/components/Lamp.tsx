import type { NodeStatus } from '../../shared/domain/node.js';

/**
 * The node's lamp: its ID in a green (up) or red (down) light; the reason as tooltip. A node
 * that is up but whose peers reject it (`cutOff`: another cluster key) is amber, not green.
 */
export function Lamp({ id, status, reason, cutOff }: { id: number; status: NodeStatus; reason?: string; cutOff?: string }) {
  const word = status === 'up' ? (cutOff ? 'cut off' : 'up') : status === 'connecting' ? 'connecting' : 'down';
  return (
    <span role="img" aria-label={`Node ${id} ${word}`} title={(status === 'up' ? cutOff : reason) ?? `node ${id} is ${word}`} className={`lamp lamp-${word.replace(' ', '')}`}>
      {id}
    </span>
  );
}
