import { memo, useState } from 'react';
import type { MosixviewBridge } from '../../../shared/protocol/api.js';
import { HostKeyRejected } from './HostKeyDialog.js';
import { ROW_STATUS_FIELDS, type RowStatusView } from './rowFigures.js';

/**
 * The row's message cell: why the node is down (a rejected host key with "Ask again"); else, first, that its peers reject it (cut
 * off), then its own map (setpe -w / -off: the node wins) with the admin's explicit way to
 * install the profile's, then the last action error or a warning.
 */
export const RowStatus = memo(function RowStatus({ node, actionError, bridge }: { node: RowStatusView; actionError: string | undefined; bridge: MosixviewBridge }) {
  const [installError, setInstallError] = useState<string | undefined>(undefined);
  const up = node.status === 'up';
  const text = up ? [node.isolated, node.ownMap, node.agentNote, installError, actionError ?? node.warning].some(Boolean) : !!node.reason;
  const install = async () => {
    try {
      const [r] = await bridge.invoke('membership.installMap', { nodeId: node.id });
      setInstallError(r && !r.ok ? `installing the profile's map failed: ${r.error}` : undefined);
    } catch (e) {
      setInstallError(`installing the profile's map failed: ${(e as Error).message}`);
    }
  };
  return (
    <td className="row-message" role={text ? 'status' : undefined}>
      {!up && (node.hostKeyRejected ? <HostKeyRejected id={node.id} reason={node.reason} bridge={bridge} /> : node.reason)}
      {up && node.isolated && <span className="row-cutoff">{node.isolated}</span>}
      {up && node.ownMap && (
        <span className="row-note">
          {node.ownMap}
          <button type="button" onClick={() => void install()}>Install the profile&apos;s map on node {node.id}</button>
        </span>
      )}
      {up && node.agentNote && <span className="row-note">{node.agentNote}</span>}
      {up && installError && <span className="row-cutoff">{installError}</span>}
      {up && (actionError ?? node.warning)}
    </td>
  );
}, (a, b) => a.actionError === b.actionError && a.bridge === b.bridge && ROW_STATUS_FIELDS.every((k) => a.node[k] === b.node[k]));
