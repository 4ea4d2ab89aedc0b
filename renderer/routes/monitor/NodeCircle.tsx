/**
 * One node of the ring: a circle sized by its CPUs and filled by its load, its name and
 * figures under it, and a dot per job that runs there. It selects only its own node's
 * figures and its own jobs, so a new sample or poll of another node does not draw it again.
 */
import { memo, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { NodeId } from '../../../shared/domain/node.js';
import { loadPercent } from '../../../shared/loadFigures.js';
import { useCluster, type ClusterState } from '../../store/clusterStore.js';
import { monitorActions, NO_JOBS, useMonitor } from './monitorStore.js';
import { dotPlaces, type RingNode } from './ringLayout.js';
import type { MonitorJob } from './monitorJobs.js';

function nodeFigures(st: ClusterState, id: NodeId) {
  const n = st.nodes[id];
  const s = n?.status === 'up' ? n.sample : undefined;
  return { status: n?.status ?? 'connecting', host: s?.hostname ?? n?.host ?? `node ${id}`, cpus: s?.cpus, load: s ? Math.round(loadPercent(s)) : undefined };
}

/** Load 0 % is green, 100 % and more red, as a hue: the fill says how busy at a glance. */
export function loadHue(load: number): number {
  return Math.round(120 * (1 - Math.min(100, Math.max(0, load)) / 100));
}

export const NodeCircle = memo(function NodeCircle({ place, onEnter }: { place: RingNode; onEnter: (id: NodeId) => void }) {
  const { id, x, y, r } = place;
  const f = useCluster(useShallow((st) => nodeFigures(st, id)));
  const jobs = useMonitor((s) => s.jobs[id] ?? NO_JOBS);
  const up = f.status === 'up';
  const figures = up ? `load ${f.load ?? 0}%, ${f.cpus ?? '?'} CPU${f.cpus === 1 ? '' : 's'}` : f.status === 'down' ? 'down' : 'connecting';
  const dots = dotPlaces(place, jobs.length);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    onEnter(id);
  };
  return (
    <g role="group" aria-label={`Node ${id}`} aria-description={`${f.host}: ${figures}, ${jobs.length} job${jobs.length === 1 ? '' : 's'}`}
      tabIndex={0} data-node-id={id} className={`monitor-node monitor-node-${f.status}`} onKeyDown={onKeyDown}>
      <circle cx={x} cy={y} r={r} className="node-disc" style={up ? { fill: `hsl(${loadHue(f.load ?? 0)} 65% 50% / 0.35)`, stroke: `hsl(${loadHue(f.load ?? 0)} 60% 35%)` } : undefined} />
      <text x={x} y={y + r + 14} className="node-name" textAnchor="middle">{id}: {f.host}</text>
      <text x={x} y={y + r + 27} className="node-figures" textAnchor="middle">{figures}</text>
      {jobs.map((job, i) => <JobDot key={job.key} job={job} nodeId={id} place={dots[i]!} />)}
    </g>
  );
});

const JobDot = memo(function JobDot({ job, nodeId, place }: { job: MonitorJob; nodeId: NodeId; place: { x: number; y: number; r: number } }) {
  const selected = useMonitor((s) => s.selected === job.key);
  // Faint while the move that brings it here is still travelling.
  const arriving = useMonitor((s) => s.flights.some((f) => f.key === job.key && !f.landed));
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    // The node around it would take Enter as "move the selected job here".
    e.preventDefault();
    e.stopPropagation();
    monitorActions.toggle(job.key);
  };
  const cls = ['job-dot', selected && 'job-selected', job.locked && 'job-locked', job.movingTo !== undefined && 'job-moving', arriving && 'job-arriving'].filter(Boolean).join(' ');
  return (
    <g role="button" aria-label={`Job ${job.key}`} aria-pressed={selected} tabIndex={0} data-job={job.key} data-node={nodeId} className={cls} onKeyDown={onKeyDown}>
      <title>{`job ${job.key}: ${job.command}${job.locked ? ' (locked)' : ''}${job.movingTo !== undefined ? ` (moving to node ${job.movingTo})` : ''}`}</title>
      {/* A larger, invisible target: small dots are hard to grab. */}
      <circle cx={place.x} cy={place.y} r={Math.max(place.r + 2, 7)} className="job-hit" />
      <circle cx={place.x} cy={place.y} r={place.r} className="job-disc" />
      {/* Told by shape too, not by colour alone: a bar across a locked job (no entry), a dashed ring round a moving one. */}
      {job.locked && <line x1={place.x - place.r * 0.6} x2={place.x + place.r * 0.6} y1={place.y} y2={place.y} className="job-lock-bar" />}
      {job.movingTo !== undefined && <circle cx={place.x} cy={place.y} r={place.r + 3} className="job-moving-ring" />}
    </g>
  );
});
