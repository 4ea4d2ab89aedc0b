/** The history windows' routes: #/history/load, #/history/mem, #/history/procs, #/history/average/... */
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import { LOAD_WINDOW, MEM_WINDOW, MetricHistoryWindow } from './MetricHistoryWindow.js';
import { ProcHistoryWindow } from './ProcHistoryWindow.js';
import { AverageWindow } from './AverageWindow.js';

export function HistoryRoute({ parts, bridge }: { parts: string[]; bridge: MosixviewBridge }) {
  const [which, ...rest] = parts;
  if (which === 'load') return <MetricHistoryWindow key="load" bridge={bridge} spec={LOAD_WINDOW} />;
  if (which === 'mem') return <MetricHistoryWindow key="mem" bridge={bridge} spec={MEM_WINDOW} />;
  if (which === 'procs') return <ProcHistoryWindow bridge={bridge} />;
  if (which === 'average') return <AverageWindow bridge={bridge} parts={rest} />;
  return <p role="alert">There is no history window "{which}".</p>;
}
