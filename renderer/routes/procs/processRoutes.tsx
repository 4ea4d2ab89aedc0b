/**
 * The process windows of live migration, one route each: #/procs/N (process box),
 * #/migrator/N/PID or #/migrator/N/HOME.ID (a job by identity), #/remote/N, #/exec?node=N.
 */
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import { ProcessBox } from './ProcessBox.js';
import { Migrator } from '../migrator/Migrator.js';
import { RemoteProcs } from '../remote/RemoteProcs.js';
import { AdvancedExecution } from '../exec/AdvancedExecution.js';

const NAMES = ['procs', 'migrator', 'remote', 'exec'];
const nameOf = (first: string | undefined) => (first ?? '').split('?')[0]!;

export function isProcessRoute(first: string | undefined): boolean {
  return NAMES.includes(nameOf(first));
}

const nodeOf = (s: string | undefined) => (s && /^\d+$/.test(s) ? Number(s) : undefined);

export function ProcessRoute({ route, bridge }: { route: string[]; bridge: MosixviewBridge }) {
  const name = nameOf(route[0]);
  if (name === 'exec') {
    const query = new URLSearchParams(location.hash.split('?')[1] ?? '');
    return <AdvancedExecution bridge={bridge} initialNode={nodeOf(query.get('node') ?? undefined)} />;
  }
  const nodeId = nodeOf(route[1]);
  if (nodeId === undefined) return <p role="alert">This window needs a node number, e.g. #/{name}/1.</p>;
  if (name === 'procs') return <ProcessBox nodeId={nodeId} bridge={bridge} />;
  if (name === 'remote') return <RemoteProcs nodeId={nodeId} bridge={bridge} />;
  const which = route[2] ?? '';
  if (!/^\d+(\.\d+)?$/.test(which)) return <p role="alert">The migrator needs a process: #/migrator/NODE/PID.</p>;
  return <Migrator nodeId={nodeId} which={which} bridge={bridge} />;
}
