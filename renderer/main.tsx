import { createRoot } from 'react-dom/client';
import { getBridge } from './bridge/bridge.js';
import { clusterActions } from './store/clusterStore.js';
import { nextFrame, wireClusterEvents } from './store/wireCluster.js';
import { RouteView, useHashRoute } from './Router.js';

const bridge = getBridge((state, why) => clusterActions.setConnection(state, why));
wireClusterEvents(bridge, nextFrame);
bridge
  .invoke('cluster.get', null)
  .then((s) => clusterActions.applySnapshot(s))
  .catch((e: Error) => clusterActions.setConnection('lost', e.message));

function App() {
  return <RouteView route={useHashRoute()} bridge={bridge} />;
}

createRoot(document.getElementById('root')!).render(<App />);
