/** Which collector the history windows read, and its status (useSeries.ts reads its data). */
import { useEffect } from 'react';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import type { CollectorChoice } from '../../shared/protocol/apiHistory.js';
import { usePoll } from '../components/usePoll.js';

/** Its status moves on: the daily rotation adds a backup the File menu must offer. */
export const COLLECTOR_REFRESH_MS = 30_000;

/**
 * The collector choice of this window, asked every `everyMs` and on every change the main
 * process announces; `set` takes an action's answer (start, stop, another node) at once.
 * One per window: the main window's strip asks more often, for the replay slider's end.
 */
export function useCollector(bridge: MosixviewBridge, everyMs = COLLECTOR_REFRESH_MS) {
  const { data: choice, set } = usePoll(() => bridge.invoke('history.collector', null), everyMs, [bridge]);
  useEffect(() => bridge.on('history.collectorChanged', set), [bridge, set]);
  return { choice, set: set as (c: CollectorChoice) => void };
}
