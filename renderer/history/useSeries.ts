/**
 * The data of a metric history window: the columns of the shown range on a round grid
 * (chart/viewRange.ts), read whole when the grid changes (open, zoom, another history) and
 * refreshed every 2 s with only what is new since the last answer (history.series since,
 * added by shared/history/seriesMerge.ts). While a new grid is read the old columns stay
 * drawn on the new range, so a zoom shows at once.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import type { CollectorChoice } from '../../shared/protocol/apiHistory.js';
import type { HistoryMetric, HistorySeries, HistorySeriesRequest } from '../../shared/protocol/agentHistory.js';
import { addsNothing, mergeSeries } from '../../shared/history/seriesMerge.js';
import { usePoll } from '../components/usePoll.js';
import { plotWidthFor } from '../../shared/history/grid.js';
import { takeArrivedSeries, takeEarlySeries } from '../bridge/earlyStart.js';
import { gridFor, sameGrid, shownRange, type Grid, type Range, type Recorded, type View } from './chart/viewRange.js';

export const REFRESH_MS = 2000;

export const plotWidth = () => plotWidthFor(window.innerWidth);

export interface SeriesQuery {
  backup: string | undefined;
  view: View;
  refresh: boolean;
  /** The collector's node (undefined until known): when it changes, its history is read afresh. */
  collector: CollectorChoice | undefined;
}

interface Held {
  /** Which history the data is of: the collector's node and the backup. */
  key: string;
  series?: HistorySeries;
  /** Start and last record of that history when no series is held (after a rotation). */
  recorded?: Recorded;
}

export interface SeriesView {
  series: HistorySeries | undefined;
  recorded: Recorded | undefined;
  /** The range the charts show. */
  range: Range | undefined;
  error: string | undefined;
  reload: () => void;
}

/** Counts changes of the collector's node; learning which node it is at first is no change (the main process asks it anyway). */
function useCollectorEpoch(nodeId: number | undefined): number {
  const seen = useRef({ nodeId, epoch: 0 });
  if (nodeId !== undefined && nodeId !== seen.current.nodeId) {
    seen.current = { nodeId, epoch: seen.current.epoch + (seen.current.nodeId === undefined ? 0 : 1) };
  }
  return seen.current.epoch;
}

export function useSeries(bridge: MosixviewBridge, metrics: HistoryMetric[], q: SeriesQuery): SeriesView {
  const key = `${useCollectorEpoch(q.collector?.nodeId)}|${q.backup ?? ''}`;
  // The first read, asked by boot.js before this script ran, may be here already: drawn in the first render.
  const arrived = useRef<HistorySeries | undefined>(undefined);
  const [held, setHeld] = useState<Held>(() => {
    arrived.current = q.backup ? undefined : takeArrivedSeries(window, { recorded: true, buckets: plotWidth(), metrics });
    return arrived.current ? { key, series: arrived.current } : { key };
  });
  const [error, setError] = useState<string>();
  const [reloads, setReloads] = useState(0);
  const own = held.key === key ? held : { key };
  const recorded: Recorded | undefined = own.series ? { started: own.series.started, last: own.series.last } : own.recorded;
  const range = recorded ? shownRange(q.view, recorded) : undefined;
  const live = !q.backup && q.refresh;
  const grid: Grid | undefined = range ? gridFor(range, plotWidth(), q.view.mode === 'recorded' && !q.backup) : undefined;

  // Answers to older requests are dropped: `seq` counts whole reads, `base` is what a refresh extends.
  const seq = useRef(0);
  const busy = useRef(false);
  const base = useRef<Held>(own);
  base.current = own;
  const ask = useCallback((req: Omit<HistorySeriesRequest, 'metrics'>) => bridge.invoke('history.series', { ...req, metrics }),
    // metrics is a constant per window
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [bridge]);

  useEffect(() => {
    const have = base.current.series;
    if (have && grid && sameGrid(have, grid) && reloads === 0) return;
    const mine = ++seq.current;
    busy.current = true;
    // Before the history's start and last record are known, the agent picks the recorded range's columns, as gridFor would.
    const req = { ...(q.backup ? { backup: q.backup } : {}), ...(grid ? grid : { recorded: true, buckets: plotWidth() }) };
    // The window's first read may be on its way already, sent by boot.js before this script ran.
    (takeEarlySeries(window, { ...req, metrics }) ?? ask(req)).then(
      (s) => {
        if (mine !== seq.current) return;
        busy.current = false;
        setHeld({ key, series: s });
        setError(undefined);
      },
      (e: Error) => {
        if (mine !== seq.current) return;
        busy.current = false;
        setError(e.message);
      },
    );
    if (reloads) setReloads(0);
    // The grid's numbers say when it changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ask, key, grid?.from, grid?.to, grid?.buckets, reloads]);

  // The refresh: usePoll never runs two at once; a whole read in flight makes it wait for the next turn.
  usePoll(async () => {
    const from = base.current;
    const have = from.series;
    // The poll's first turn, at once: a window whose first read is in its first render refreshes it REFRESH_MS later, as any other.
    if (have && have === arrived.current) {
      arrived.current = undefined;
      return;
    }
    if (busy.current || !have) return;
    busy.current = true;
    const mine = seq.current;
    try {
      const s = await ask({ from: have.from, to: have.to, buckets: have.buckets, since: have.next });
      if (mine !== seq.current || base.current !== from) return;
      const merged = mergeSeries(have, s);
      setError(undefined);
      if (merged && addsNothing(have, merged)) return;
      // Not a continuation (the history was rotated): read the new one whole, from its start.
      setHeld(merged ? { key: from.key, series: merged } : { key: from.key, recorded: { started: s.started, last: s.last } });
    } catch (e) {
      if (mine === seq.current) setError((e as Error).message);
    } finally {
      // A whole read started meanwhile holds busy itself (its own seq).
      if (mine === seq.current) busy.current = false;
    }
  }, REFRESH_MS, [ask, key], { enabled: live });

  return { series: own.series, recorded, range, error, reload: () => setReloads((n) => n + 1) };
}
