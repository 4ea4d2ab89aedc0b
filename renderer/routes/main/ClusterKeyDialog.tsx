import { useEffect, useState } from 'react';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import type { ClusterKeyState } from '../../../shared/protocol/apiMembership.js';
import type { NodeId } from '../../../shared/domain/node.js';

const nodes = (ids: NodeId[]) => (ids.length === 1 ? `node ${ids[0]}` : `nodes ${ids.join(', ')}`);

/**
 * The cluster key question: when the nodes hold a key other than this GUI's (a copied
 * profile, another admin's GUI), nothing is installed anywhere until the admin adopts the
 * cluster's key, rotates explicitly on every node, or chooses "Not now" (read-only, with a
 * banner to come back). After adopt or rotate, one line says what was done.
 */
export function ClusterKeyDialog({ bridge }: { bridge: MosixviewBridge }) {
  const [state, setState] = useState<ClusterKeyState | null>(null);
  const [reopened, setReopened] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [seenOutcome, setSeenOutcome] = useState<string | undefined>(undefined);

  useEffect(() => {
    const off = bridge.on('clusterKey.state', setState);
    bridge.invoke('clusterKey.get', null).then(setState, () => undefined);
    return off;
  }, [bridge]);

  if (!state) return null;
  const act = async (run: () => Promise<ClusterKeyState>) => {
    setBusy(true);
    setError(undefined);
    try {
      setState(await run());
      setReopened(false);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const outcome = state.outcome && state.outcome !== seenOutcome && (state.status === 'agreed' || state.status === 'waiting') && (
    <p role="status" aria-label="Cluster key" className="key-banner">
      Cluster key: {state.outcome}
      <button type="button" onClick={() => setSeenOutcome(state.outcome)}>OK</button>
    </p>
  );
  if (state.status !== 'conflict' && !(state.status === 'readOnly' && reopened)) {
    if (state.status === 'readOnly') {
      return (
        <p role="status" aria-label="Cluster key" className="key-banner">
          Read-only: this GUI&apos;s cluster key is not the cluster&apos;s, so it installs nothing on the nodes (no key, no map).
          <button type="button" onClick={() => setReopened(true)}>Decide about the cluster key…</button>
        </p>
      );
    }
    return outcome || null;
  }

  const mine = state.guiKeyId;
  const others = state.installed.filter((h) => h.keyId !== mine);
  // When some nodes hold this GUI's key, no single other key is "the cluster's".
  const heldByMe = state.installed.some((h) => h.keyId === mine);
  return (
    <div className="modal-backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby="clusterkey-title" className="dialog">
        <h2 id="clusterkey-title">The cluster has another key than this GUI</h2>
        <p>
          {mine ? <>This GUI&apos;s key is <code aria-label="This GUI's key">{mine}</code></> : <>This profile has no cluster key yet</>} ({state.keyFile}).
          The nodes hold:
        </p>
        <ul className="key-holders" aria-label="Keys on the nodes">
          {state.installed.map((h) => (
            <li key={h.keyId}><code>{h.keyId}</code> on {nodes(h.nodes)}{h.keyId === mine ? ' (this GUI\'s key)' : ''}</li>
          ))}
          {state.keyless.length > 0 && <li>no key on {nodes(state.keyless)}</li>}
          {state.unknown.length > 0 && <li>not heard from yet: {nodes(state.unknown)}</li>}
        </ul>
        <p>A node&apos;s key is never replaced silently: until you decide, this GUI installs nothing on any node.</p>
        <p>
          <b>Adopt</b> fetches the cluster&apos;s key over the SSH session of a node that holds it and writes it to {state.keyFile} (mode 0600;
          {mine ? ' this GUI\'s key is kept next to it' : ' nothing on the nodes changes'}).{' '}
          <b>Rotate</b> installs {mine ? <>this GUI&apos;s key <code>{mine}</code></> : 'a new key'} on every node at once; any other GUI then has to adopt it.
        </p>
        {state.rotateBlocked && <p className="blocked" role="note">{state.rotateBlocked}</p>}
        {error && <p role="alert" className="blocked">{error}</p>}
        <div className="dialog-buttons">
          {others.map((h) => (
            <button type="button" key={h.keyId} disabled={busy} onClick={() => void act(() => bridge.invoke('clusterKey.adopt', { keyId: h.keyId }))}>
              {others.length === 1 && !heldByMe ? "Adopt the cluster's key" : `Adopt key ${h.keyId} (${nodes(h.nodes)})`}
            </button>
          ))}
          <button type="button" disabled={busy || !!state.rotateBlocked} onClick={() => void act(() => bridge.invoke('clusterKey.rotate', null))}>
            Rotate the key on every node
          </button>
          <button type="button" disabled={busy} onClick={() => void act(() => bridge.invoke('clusterKey.readOnly', null))}>Not now (read-only)</button>
        </div>
      </div>
    </div>
  );
}
