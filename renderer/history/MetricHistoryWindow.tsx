/**
 * Mosixload, Mosixmem and the I/O history: the load (or mem, rmem, tmem; or disk and network rates) of every node as lines, opening on
 * the recorded range, with a cursor that reads every node's value, highlighting, checkpoints,
 * zoom (buttons, wheel, keys, drag), and the per-node table. The table joins after the
 * charts are on the screen: laying out its rows first delayed the first drawn chart.
 */
import { useEffect, useMemo, useState } from 'react';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import { HistoryChart } from './chart/HistoryChart.js';
import { ChartToolbar } from './chart/ChartToolbar.js';
import { visiblePeak } from './chart/valueAxis.js';
import { clampRange, outerRange, viewOf, zoomBy, type View } from './chart/viewRange.js';
import { HistoryFrame } from './HistoryFrame.js';
import { NodeTable } from './NodeTable.js';
import { useCollector } from './useHistory.js';
import { useSeries } from './useSeries.js';
import { clock } from './timeFormat.js';
import { metricsOf, type WindowSpec } from './windowSpecs.js';
import { useExport } from './useExport.js';
import { routes } from '../../shared/windows.js';
import { openWindow } from '../windows.js';

export { IO_WINDOW, LOAD_WINDOW, MEM_WINDOW, type WindowSpec } from './windowSpecs.js';

export function MetricHistoryWindow({ bridge, spec }: { bridge: MosixviewBridge; spec: WindowSpec }) {
  const { choice } = useCollector(bridge);
  const [backup, setBackup] = useState<string>();
  const [view, setView] = useState<View>({ mode: 'recorded' });
  const [refresh, setRefresh] = useState(true);
  const metrics = useMemo(() => metricsOf(spec), [spec]);
  const { series, recorded, range, error, reload } = useSeries(bridge, metrics, { backup, view, refresh, collector: choice });
  const [cursor, setCursor] = useState<number>();
  const [pointed, setPointed] = useState<number>();
  const [hovered, setHovered] = useState<number>();
  const [pinned, setPinned] = useState<number>();
  const highlight = hovered ?? pointed ?? pinned;
  const withTable = useAfterPaint(!!series);
  // Each chart's axis from the highest value it shows: a pass over every column, so once per answer and range, not per render (the cursor's).
  const axes = useMemo(() => (series && range ? spec.charts.map((c) => c.axis(visiblePeak(series, c.metric, range, c.scale))) : []),
    // range is a new pair each render: its ends say when it changed
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [series, range?.[0], range?.[1], spec]);
  const exp = useExport(bridge, spec.family, series, range, backup);

  const zoomTo = (from: number, to: number) => recorded && setView(viewOf(clampRange([from, to], recorded), recorded));
  const zoom = (factor: number, anchor?: number) => {
    if (!range || !recorded) return;
    const r = zoomBy(range, factor, recorded, anchor ?? cursor);
    zoomTo(r[0], r[1]);
  };
  const outer = recorded && outerRange(recorded);
  const widest = !!range && !!outer && range[0] <= outer[0] && range[1] >= outer[1];
  const multi = spec.charts.length > 1;
  // What explains a spike: the processes of that minute, on the node picked (or all); one process history window, sent there.
  const openProcesses = (t: number, node: number | undefined) =>
    openWindow(routes.procHistory({ t, ...(node !== undefined ? { node } : {}), ...(backup ? { backup } : {}) }), 'history-procs');
  return (
    <HistoryFrame
      title={spec.title}
      choice={choice}
      backup={backup}
      onBackup={(b) => {
        setBackup(b);
        setView({ mode: 'recorded' });
      }}
      started={series?.started}
      refresh={{ on: refresh, set: setRefresh, reload }}
      error={error}
      exports={exp.frame}
    >
      <ChartToolbar view={view} range={range} widest={widest} onView={setView} onZoom={(f) => zoom(f)}
        onProcesses={cursor !== undefined ? () => openProcesses(cursor, highlight) : undefined}
        processesAt={cursor !== undefined ? `${clock(cursor)}${highlight !== undefined ? ` on node ${highlight}` : ' on every node'}` : undefined} />
      {!series && !error && <p role="status">Reading the history…</p>}
      {series && range && (
        <>
          {spec.charts.map((c, i) => (
            <HistoryChart key={c.metric} series={series} range={range} metric={c.metric} title={c.title} unit={c.unit} scale={c.scale}
              levels={c.levels} axis={axes[i]!} format={c.format} height={multi ? (spec.chartHeight ?? 190) : 340}
              cursor={cursor} onCursor={setCursor} highlight={highlight} onPointNode={setPointed} onZoomRange={zoomTo} onZoomBy={zoom} onPick={openProcesses} />
          ))}
          <p className="checkpoint-list" aria-label="Checkpoints">
            {series.checkpoints.length ? `Checkpoints: ${series.checkpoints.map((c) => `${c.label || 'unnamed'} at ${clock(c.t)}`).join(', ')}` : 'No checkpoints in this range'}
          </p>
          {withTable && <NodeTable series={series} spec={spec} backup={backup} range={range} cursor={cursor} highlight={highlight} pinned={pinned}
            onHover={setHovered} onPin={setPinned} unchosen={exp.unchosen} onChoose={exp.choose} />}
        </>
      )}
    </HistoryFrame>
  );
}

/** False until `ready` has been true across a paint (the next frame, then the task after it), then true for good. */
function useAfterPaint(ready: boolean): boolean {
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (!ready || done) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setDone(true), 0)));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [ready, done]);
  return done;
}
