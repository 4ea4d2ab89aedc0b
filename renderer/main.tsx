import { createRoot } from 'react-dom/client';
import { useEffect, useState } from 'react';
import { getBridge } from './bridge/bridge.js';
import { clusterActions } from './store/clusterStore.js';
import { routeOf } from './windows.js';
import { MainWindow } from './routes/main/MainWindow.js';
import { NodeWindow } from './routes/node/NodeWindow.js';
import { HistoryRoute } from './history/HistoryRoute.js';
import { isProcessRoute, ProcessRoute } from './routes/procs/processRoutes.js';

const bridge = getBridge((state, why) => clusterActions.setConnection(state, why));
bridge.on('node.view', (v) => clusterActions.applyView(v));
bridge.on('hostKey.prompt', (p) => clusterActions.addPrompt(p));
bridge.on('hostKey.resolved', ({ promptId }) => clusterActions.removePrompt(promptId));
bridge
  .invoke('cluster.get', null)
  .then((s) => clusterActions.applySnapshot(s))
  .catch((e: Error) => clusterActions.setConnection('lost', e.message));

function App() {
  const [route, setRoute] = useState(() => routeOf(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(routeOf(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const [first, second] = route;
  if (first === 'node' && second) return <NodeWindow which={second} bridge={bridge} />;
  if (first === 'history') return <HistoryRoute parts={route.slice(1)} bridge={bridge} />;
  if (isProcessRoute(first)) return <ProcessRoute route={route} bridge={bridge} />;
  return <MainWindow bridge={bridge} />;
}

createRoot(document.getElementById('root')!).render(<App />);
