/** The small window of a node's "X" button: its average over the shown range, coloured like the load. */
import { useEffect, useState } from 'react';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import { Bar, toneOf } from '../components/Bar.js';
import { clock, formatKbShort } from './timeFormat.js';
import { useWindowTitle, windowTitles } from '../windowTitle.js';
import type { RouteOf } from '../../shared/windows.js';

export function AverageWindow({ bridge, route }: { bridge: MosixviewBridge; route: RouteOf<'average'> }) {
  const { metric, nodeId: id, backup } = route;
  const [avg, setAvg] = useState<number | null>();
  const [error, setError] = useState<string>();
  const from = route.range?.from ?? NaN;
  const to = route.range?.to ?? NaN;
  useEffect(() => {
    bridge
      .invoke('history.series', {
        ...(backup ? { backup } : {}),
        ...(Number.isFinite(from) && Number.isFinite(to) ? { from, to } : {}),
        buckets: 1,
        metrics: [metric],
      })
      .then((s) => setAvg(s.nodes.find((n) => n.id === id)?.series[metric]?.stats.avg ?? null), (e: Error) => setError(e.message));
  }, [bridge, metric, id, backup, from, to]);
  const name = metric === 'load' ? 'load' : metric;
  useWindowTitle(windowTitles.average(name, id));
  return (
    <main className="average-window">
      <h1>Average {name} of node {id}</h1>
      {Number.isFinite(from) && <p>{clock(from)} – {clock(to)}</p>}
      {error && <p role="alert">{error}</p>}
      {avg === null && <p role="status">No samples of node {id} in this range.</p>}
      {typeof avg === 'number' &&
        (metric === 'load' ? (
          <Bar label={`Average load of node ${id}`} percent={avg} tone={toneOf(avg)} text={`${Math.round(avg)}% (${toneOf(avg) === 'ok' ? 'ok' : toneOf(avg) === 'warn' ? 'critical' : 'alert'})`} />
        ) : (
          <p role="status" aria-label={`Average ${name} of node ${id}`}>{formatKbShort(avg)}</p>
        ))}
    </main>
  );
}
