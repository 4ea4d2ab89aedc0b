/** The main window's history strip: which node collects, its collector, the history windows, replay. */
import { useState } from 'react';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import type { CollectorChoice } from '../../shared/protocol/apiHistory.js';
import { useCluster } from '../store/clusterStore.js';
import { openWindow } from '../windows.js';
import { routes } from '../../shared/windows.js';
import { ReplayBar } from './ReplayBar.js';
import { CollectorControls } from './CollectorControls.js';
import { useCollector } from './useHistory.js';
import { openMetricWindow } from './openMetricWindow.js';
import { IO_WINDOW, LOAD_WINDOW, MEM_WINDOW } from './windowSpecs.js';

/** The collector's last record moves on: its status is asked this often for the replay slider's end. */
export const STRIP_COLLECTOR_REFRESH_MS = 5000;

export function HistoryBar({ bridge }: { bridge: MosixviewBridge }) {
  const { choice: current, set: setChoice } = useCollector(bridge, STRIP_COLLECTOR_REFRESH_MS);
  const [error, setError] = useState<string>();
  const order = useCluster((s) => s.order);

  const act = async (fn: () => Promise<CollectorChoice>) => {
    try {
      setChoice(await fn());
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const st = current?.status;
  return (
    <section className="history-bar" aria-label="History">
      <label>
        Collector on{' '}
        <select aria-label="Collector node" value={current?.nodeId ?? ''} onChange={(e) => void act(() => bridge.invoke('history.setCollector', { nodeId: Number(e.target.value) }))}>
          {order.map((id) => <option key={id} value={id}>node {id}</option>)}
        </select>
      </label>
      <span role="status" aria-label="Collector status" className="collector-status">
        {!current ? '…' : !st ? `cannot ask node ${current.nodeId}: ${current.error ?? ''}` : st.running ? `collecting (pid ${st.pid})` : 'not running'}
      </span>
      <button type="button" onClick={() => openMetricWindow(bridge, routes.loadHistory(), 'history-load', LOAD_WINDOW)}>Load history</button>
      <button type="button" onClick={() => openMetricWindow(bridge, routes.memHistory(), 'history-mem', MEM_WINDOW)}>Memory history</button>
      <button type="button" onClick={() => openMetricWindow(bridge, routes.ioHistory(), 'history-io', IO_WINDOW)}>I/O history</button>
      <button type="button" onClick={() => openWindow(routes.procHistory(), 'history-procs')}>Process history</button>
      {/* After the window buttons: what the controls show (a question, a note field, the answer) varies in width */}
      {current && <CollectorControls bridge={bridge} current={current} onChoice={setChoice} onError={setError} />}
      {error && <span role="alert" className="row-message">{error}</span>}
      <ReplayBar bridge={bridge} status={st} />
    </section>
  );
}
