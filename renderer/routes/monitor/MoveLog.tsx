/** The "Migrations" log: each move seen since the window opened, with from, to, freeze and by whom; newest last. */
import { useEffect, useRef } from 'react';
import { useMonitor } from './monitorStore.js';
import { moveLine } from './monitorJobs.js';

const clock = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function MoveLog() {
  const moves = useMonitor((s) => s.moves);
  const list = useRef<HTMLOListElement>(null);
  // Follows the newest move, as a log does.
  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [moves.length]);
  return (
    <section className="move-log" aria-labelledby="move-log-heading">
      <h2 id="move-log-heading">Migrations</h2>
      {moves.length === 0 && <p className="muted hint">No move since this window opened. Moves by the admin and by the balancer are listed here as they land.</p>}
      <ol role="log" aria-label="Migrations" aria-live="polite" ref={list}>
        {moves.map((m) => (
          <li key={m.id}><time dateTime={new Date(m.at).toISOString()}>{clock(m.at)}</time> {moveLine(m)}</li>
        ))}
      </ol>
      <p className="muted hint legend">
        A circle is a node: its size says its CPUs, its colour its load (green idle, red overloaded). A dot is a job;
        a bar across it: locked; a dashed ring round it: being moved.
      </p>
    </section>
  );
}
