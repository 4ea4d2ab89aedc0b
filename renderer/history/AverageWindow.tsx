/** The small window of a node's "X" button: its average over the shown range, coloured like the load. */
import { useEffect, useState } from 'react';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import { Bar, toneOf } from '../components/Bar.js';
import { clock, formatKbShort } from './timeFormat.js';
import { useWindowTitle, windowTitles } from '../windowTitle.js';

export function AverageWindow({ bridge, parts }: { bridge: MosixviewBridge; parts: string[] }) {
  const [metricPart, idPart, backupPart, fromPart, toPart] = parts;
  const metric = (['load', 'mem', 'rmem', 'tmem'] as const).find((m) => m === metricPart) ?? 'load';
  const id = Number(idPart);
  const [avg, setAvg] = useState<number | null>();
  const [error, setError] = useState<string>();
  const from = Number(fromPart);
  const to = Number(toPart);
  useEffect(() => {
    bridge
      .invoke('history.series', {
        ...(backupPart && backupPart !== 'current' ? { backup: backupPart } : {}),
        ...(Number.isFinite(from) && Number.isFinite(to) ? { from, to } : {}),
        buckets: 1,
        metrics: [metric],
      })
      .then((s) => setAvg(s.nodes.find((n) => n.id === id)?.series[metric]?.stats.avg ?? null), (e: Error) => setError(e.message));
  }, [bridge, metric, id, backupPart, from, to]);
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
