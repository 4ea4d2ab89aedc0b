/** Data hooks of the history windows: the collector choice, and a series that can follow the live history. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import type { CollectorChoice } from '../../shared/protocol/apiHistory.js';
import type { HistoryMetric, HistorySeries } from '../../shared/protocol/agentHistory.js';

export function useCollector(bridge: MosixviewBridge): CollectorChoice | undefined {
  const [choice, setChoice] = useState<CollectorChoice>();
  useEffect(() => {
    let live = true;
    const ask = () => bridge.invoke('history.collector', null).then((c) => live && setChoice(c), () => undefined);
    void ask();
    // Its status moves on: the daily rotation adds a backup the File menu must offer.
    const timer = setInterval(() => void ask(), 30_000);
    const off = bridge.on('history.collectorChanged', (c) => setChoice(c));
    return () => {
      live = false;
      clearInterval(timer);
      off();
    };
  }, [bridge]);
  return choice;
}

export interface SeriesQuery {
  backup: string | undefined;
  /** Zoomed range; undefined = the whole day from the start of the history. */
  range: [number, number] | undefined;
  refresh: boolean;
}

/** Pixel columns: one bucket per pixel of the chart's width. */
export const bucketsFor = (width: number) => Math.max(100, Math.min(2000, Math.round(width - 90)));

export function useSeries(bridge: MosixviewBridge, metrics: HistoryMetric[], q: SeriesQuery, collectorNode: number | undefined) {
  const [series, setSeries] = useState<HistorySeries>();
  const [error, setError] = useState<string>();
  const seq = useRef(0);
  const busy = useRef(false);
  const load = useCallback(async (periodic = false) => {
    // A day can take the agent seconds to read: refreshes must never queue up behind each other.
    if (periodic && busy.current) return;
    busy.current = true;
    const mine = ++seq.current;
    try {
      const s = await bridge.invoke('history.series', {
        ...(q.backup ? { backup: q.backup } : {}),
        ...(q.range ? { from: q.range[0], to: q.range[1] } : {}),
        buckets: bucketsFor(window.innerWidth),
        metrics,
      });
      if (mine === seq.current) {
        setSeries(s);
        setError(undefined);
      }
    } catch (e) {
      if (mine === seq.current) setError((e as Error).message);
    } finally {
      if (mine === seq.current) busy.current = false;
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- metrics is a constant per window; the range counts by its two ends, not the array's identity; a new collector node loads again
  }, [bridge, q.backup, q.range?.[0], q.range?.[1], collectorNode]);
  useEffect(() => {
    void load();
    if (!q.refresh || q.backup) return;
    const timer = setInterval(() => void load(true), 2000);
    return () => clearInterval(timer);
  }, [load, q.refresh, q.backup]);
  return { series, error, reload: load };
}
