/**
 * The ring of nodes as one SVG: the circles (each with its job dots), the moves being drawn
 * on top, and while a job is dragged, the dot under the pointer and the node it would land on.
 */
import { useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { NodeId } from '../../../shared/domain/node.js';
import { useCluster, type ClusterState } from '../../store/clusterStore.js';
import { NodeCircle } from './NodeCircle.js';
import { Flights } from './Flights.js';
import { RING_BOX, ringLayout } from './ringLayout.js';
import { useJobDrag, type DragCallbacks } from './useJobDrag.js';

/** Per node in map order: its CPUs while up (the circles' sizes). */
const selectCpus = (s: ClusterState) => s.order.map((id) => (s.nodes[id]?.status === 'up' ? s.nodes[id]!.sample?.cpus : undefined));
const selectOrder = (s: ClusterState) => s.order;

export function MonitorRing({ onDrop, onTapJob, onTapNode, onEnterNode }: DragCallbacks & { onEnterNode: (id: NodeId) => void }) {
  const order = useCluster(selectOrder);
  const cpus = useCluster(useShallow(selectCpus));
  const layout = useMemo(() => ringLayout(order.map((id, i) => ({ id, cpus: cpus[i] }))), [order, cpus]);
  const svg = useRef<SVGSVGElement>(null);
  const { drag, handlers } = useJobDrag(svg, layout, { onDrop, onTapJob, onTapNode });
  const over = drag?.over !== undefined && drag.over !== drag.from ? layout.find((n) => n.id === drag.over) : undefined;
  return (
    <svg ref={svg} className="monitor-ring" viewBox={`0 0 ${RING_BOX} ${RING_BOX}`} preserveAspectRatio="xMidYMid meet" role="group" aria-label="Nodes and their jobs" {...handlers}>
      {over && <circle cx={over.x} cy={over.y} r={over.r + 6} className="drop-target" aria-hidden="true" />}
      {layout.map((place) => <NodeCircle key={place.id} place={place} onEnter={onEnterNode} />)}
      <Flights layout={layout} />
      {drag && <circle cx={drag.x} cy={drag.y} r={8} className="drag-dot" aria-hidden="true" />}
    </svg>
  );
}
