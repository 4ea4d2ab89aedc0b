import { clusterActions, useCluster } from '../../store/clusterStore.js';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';

/** Asks the admin about an unknown host key, showing its SHA256 fingerprint, as ssh does. */
export function HostKeyDialog({ bridge }: { bridge: MosixviewBridge }) {
  const prompt = useCluster((s) => s.prompts[0]);
  if (!prompt) return null;
  const answer = (accept: boolean) => {
    clusterActions.removePrompt(prompt.promptId);
    void bridge.invoke('hostKey.answer', { promptId: prompt.promptId, accept }).catch(() => undefined);
  };
  const where = prompt.port === 22 ? prompt.host : `[${prompt.host}]:${prompt.port}`;
  return (
    <div className="modal-backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby="hostkey-title" className="dialog">
        <h2 id="hostkey-title">Unknown host key of node {prompt.nodeId}</h2>
        <p>The authenticity of host <b>{where}</b> can't be established.</p>
        <p>
          {prompt.keyType} key fingerprint is <code aria-label="Fingerprint">{prompt.fingerprint}</code>
        </p>
        <p>Compare it with the output of <code>ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub</code> on the node. Trust it and add it to {prompt.knownHostsFile}?</p>
        <div className="dialog-buttons">
          <button type="button" onClick={() => answer(true)}>Accept key</button>
          <button type="button" onClick={() => answer(false)}>Reject key</button>
        </div>
      </div>
    </div>
  );
}
