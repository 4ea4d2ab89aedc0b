/** Which collector the history windows read, and its status (useSeries.ts reads its data). */
import { useEffect, useState } from 'react';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import type { CollectorChoice } from '../../shared/protocol/apiHistory.js';

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
