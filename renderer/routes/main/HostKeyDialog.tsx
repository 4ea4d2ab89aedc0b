import { clusterActions, useCluster, type ClusterState } from '../../store/clusterStore.js';
import type { HostKeyPrompt, MosixviewBridge } from '../../../shared/protocol/api.js';

const selectPrompts = (s: ClusterState) => s.prompts;
const selectOrder = (s: ClusterState) => s.order;

const whereOf = (p: HostKeyPrompt) => (p.port === 22 ? p.host : `[${p.host}]:${p.port}`);

/** In map order, so the list reads like the main window; keys of nodes not in the map last. */
function inMapOrder(prompts: HostKeyPrompt[], order: number[]): HostKeyPrompt[] {
  const rank = (p: HostKeyPrompt) => {
    const i = order.indexOf(p.nodeId);
    return i === -1 ? order.length : i;
  };
  return [...prompts].sort((a, b) => rank(a) - rank(b));
}

/**
 * Asks about unknown host keys, showing their SHA256 fingerprints as ssh does. A new
 * cluster has one per node, all at once: they are listed together, each can be accepted or
 * rejected, and "Trust all" accepts exactly the keys on screen (a key arriving later is
 * added to the list and the count before it can be trusted). A changed key never comes
 * here: the main process refuses it.
 */
export function HostKeyDialog({ bridge }: { bridge: MosixviewBridge }) {
  const prompts = useCluster(selectPrompts);
  const order = useCluster(selectOrder);
  if (prompts.length === 0) return null;
  const shown = inMapOrder(prompts, order);
  const answer = (ps: HostKeyPrompt[], accept: boolean) => {
    for (const p of ps) {
      clusterActions.removePrompt(p.promptId);
      void bridge.invoke('hostKey.answer', { promptId: p.promptId, accept }).catch(() => undefined);
    }
  };
  // Two keys of one node (its own and a jump host's): the buttons say which host they mean.
  const repeated = new Set(shown.filter((p, i) => shown.findIndex((q) => q.nodeId === p.nodeId) !== i).map((p) => p.nodeId));
  const nameOf = (p: HostKeyPrompt) => `node ${p.nodeId}${repeated.has(p.nodeId) ? ` (${whereOf(p)})` : ''}`;
  const files = [...new Set(shown.map((p) => p.knownHostsFile))];
  const title = shown.length === 1 ? `Unknown host key of node ${shown[0]!.nodeId}` : `Unknown host keys of ${shown.length} nodes`;
  return (
    <div className="modal-backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby="hostkey-title" className="dialog hostkey-dialog">
        <h2 id="hostkey-title">{title}</h2>
        <p>
          The authenticity of {shown.length === 1 ? <>host <b>{whereOf(shown[0]!)}</b></> : 'these hosts'} can't be established.
          Compare each fingerprint with the output of <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> (or the key type shown) on the node.
        </p>
        <div className="hostkey-list">
          <table aria-label="Unknown host keys">
            <thead>
              <tr><th>Node</th><th>Host</th><th>Key type</th><th>SHA256 fingerprint</th><th /></tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr key={p.promptId}>
                  <td>{p.nodeId}</td>
                  <td>{whereOf(p)}</td>
                  <td>{p.keyType}</td>
                  <td><code aria-label={`Fingerprint of ${nameOf(p)}`}>{p.fingerprint}</code></td>
                  <td className="hostkey-answer">
                    <button type="button" aria-label={`Accept key of ${nameOf(p)}`} onClick={() => answer([p], true)}>Accept</button>
                    <button type="button" aria-label={`Reject key of ${nameOf(p)}`} onClick={() => answer([p], false)}>Reject</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p>Accepted keys are added to {files.join(', ')}.</p>
        {shown.length > 1 && (
          <div className="dialog-buttons">
            <button type="button" onClick={() => answer(shown, true)}>Trust all {shown.length} keys shown</button>
          </div>
        )}
      </div>
    </div>
  );
}

/** A row's word for a node whose key the admin rejected, and the way to be asked again (nothing else asks). */
export function HostKeyRejected({ id, reason, bridge }: { id: number; reason: string | undefined; bridge: MosixviewBridge }) {
  const askAgain = () => {
    bridge.invoke('hostKey.askAgain', { nodeId: id }).catch((e: Error) => clusterActions.setActionError(id, `asking again failed: ${e.message}`));
  };
  return (
    <>
      <span title={reason}>host key rejected</span>{' '}
      <button type="button" aria-label={`Ask again about the host key of node ${id}`} onClick={askAgain}>Ask again</button>
    </>
  );
}
