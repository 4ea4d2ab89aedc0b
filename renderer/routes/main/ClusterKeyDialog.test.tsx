// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ClusterKeyState } from '../../../shared/protocol/apiMembership.js';
import type { NodeView } from '../../../shared/domain/node.js';
import { clusterActions, initialClusterState, useCluster } from '../../store/clusterStore.js';
import { fakeBridge } from '../../components/fakeBridge.test-util.js';
import { ClusterKeyDialog } from './ClusterKeyDialog.js';
import { NodeRow } from './NodeRow.js';

const conflict: ClusterKeyState = {
  keyFile: '/home/admin/lab.cluster-key',
  guiKeyId: '1111111111111111',
  installed: [{ keyId: '2222222222222222', nodes: [1, 2, 3] }],
  keyless: [4],
  unknown: [],
  status: 'conflict',
};

beforeEach(() => useCluster.setState(initialClusterState, true));
afterEach(cleanup);

describe('ClusterKeyDialog', () => {
  it('names both keys and adopts the cluster key on request', async () => {
    const adopted: ClusterKeyState = { ...conflict, guiKeyId: '2222222222222222', status: 'agreed', outcome: 'adopted the cluster\'s key 2222222222222222 from node 1' };
    const fb = fakeBridge({ 'clusterKey.get': () => conflict, 'clusterKey.adopt': () => adopted });
    render(<ClusterKeyDialog bridge={fb.bridge} />);
    const dialog = await screen.findByRole('dialog', { name: 'The cluster has another key than this GUI' });
    expect(within(dialog).getByLabelText("This GUI's key").textContent).toBe('1111111111111111');
    expect(within(dialog).getByRole('list', { name: 'Keys on the nodes' }).textContent).toBe('2222222222222222 on nodes 1, 2, 3no key on node 4');
    fireEvent.click(within(dialog).getByRole('button', { name: "Adopt the cluster's key" }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fb.calls('clusterKey.adopt')).toEqual([{ keyId: '2222222222222222' }]);
    expect(screen.getByRole('status', { name: 'Cluster key' }).textContent).toContain("adopted the cluster's key 2222222222222222 from node 1");
  });

  it('rotation is offered only with every node up, saying why not; "Not now" leaves a read-only banner to come back from', async () => {
    const blocked = { ...conflict, rotateBlocked: 'rotation needs every node up: node 4 is down (link cut). A node that is down during a rotation keeps the old key' };
    const fb = fakeBridge({ 'clusterKey.get': () => blocked, 'clusterKey.readOnly': () => ({ ...blocked, status: 'readOnly' }) });
    render(<ClusterKeyDialog bridge={fb.bridge} />);
    const dialog = await screen.findByRole('dialog');
    expect((within(dialog).getByRole('button', { name: 'Rotate the key on every node' }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(dialog).getByRole('note').textContent).toBe(blocked.rotateBlocked);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Not now (read-only)' }));
    const banner = await screen.findByRole('status', { name: 'Cluster key' });
    expect(banner.textContent).toMatch(/^Read-only: this GUI's cluster key is not the cluster's, so it installs nothing on the nodes/);
    fireEvent.click(within(banner).getByRole('button', { name: 'Decide about the cluster key…' }));
    expect(screen.getByRole('dialog')).toBeTruthy();
  });

  it('when some nodes hold this GUI key, adopting names the key and its nodes', async () => {
    const split: ClusterKeyState = { ...conflict, installed: [{ keyId: '1111111111111111', nodes: [1, 2, 4] }, { keyId: '2222222222222222', nodes: [3] }], keyless: [] };
    const fb = fakeBridge({ 'clusterKey.get': () => split });
    render(<ClusterKeyDialog bridge={fb.bridge} />);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole('list', { name: 'Keys on the nodes' }).textContent).toBe("1111111111111111 on nodes 1, 2, 4 (this GUI's key)2222222222222222 on node 3");
    expect(within(dialog).getByRole('button', { name: 'Adopt key 2222222222222222 (node 3)' })).toBeTruthy();
    expect(within(dialog).queryByRole('button', { name: "Adopt the cluster's key" })).toBeNull();
  });

  it('follows the state the main process announces', async () => {
    const fb = fakeBridge({ 'clusterKey.get': () => ({ ...conflict, status: 'agreed', installed: [], keyless: [] }) });
    render(<ClusterKeyDialog bridge={fb.bridge} />);
    await waitFor(() => expect(fb.calls('clusterKey.get')).toHaveLength(1));
    expect(screen.queryByRole('dialog')).toBeNull();
    fb.emit('clusterKey.state', conflict);
    expect(screen.getByRole('dialog')).toBeTruthy();
  });
});

describe('the row of a node', () => {
  const up = (over: Partial<NodeView>): NodeView => ({ id: 3, host: 'n3', status: 'up', ...over });
  /** The message cell (the LCD is an <output>, also a status). */
  const message = () => screen.getAllByRole('status').find((el) => el.tagName === 'TD')!;
  function show(view: NodeView, handlers = {}) {
    const fb = fakeBridge(handlers);
    act(() => clusterActions.applySnapshot({ name: 'lab', source: 'profile', nodes: [view], hostKeyPrompts: [] }));
    render(<table><tbody><NodeRow id={3} bridge={fb.bridge} onOpenNode={() => undefined} /></tbody></table>);
    return fb;
  }

  it('whose peers reject its key: amber lamp, not green, and the reason', () => {
    show(up({ isolated: "peers reject this node's cluster key: nodes 1, 2, 4 drop its load-exchange datagrams as forged" }));
    expect(screen.queryByRole('img', { name: 'Node 3 up' })).toBeNull();
    expect(screen.getByRole('img', { name: 'Node 3 cut off' }).className).toBe('lamp lamp-cutoff');
    expect(message().textContent).toContain("peers reject this node's cluster key: nodes 1, 2, 4");
  });

  it("with its own map: says how it differs and installs the profile's map only when asked", async () => {
    const fb = show(up({ ownMap: 'node 3 has its own map (setpe -w), 5 nodes; the profile has 4; Mosixview keeps it (the node wins)' }), {
      'membership.installMap': () => [{ nodeId: 3, ok: false, error: 'node 3 is not connected' }],
    });
    expect(screen.getByRole('img', { name: 'Node 3 up' })).toBeTruthy();
    expect(message().textContent).toContain('node 3 has its own map (setpe -w), 5 nodes; the profile has 4; Mosixview keeps it (the node wins)');
    fireEvent.click(screen.getByRole('button', { name: "Install the profile's map on node 3" }));
    await waitFor(() => expect(message().textContent).toContain("installing the profile's map failed: node 3 is not connected"));
    expect(fb.calls('membership.installMap')).toEqual([{ nodeId: 3 }]);
  });

  it("with the node's packaged agent of another version: green, and what to upgrade", () => {
    show(up({ agentNote: "runs the node's packaged agent 0.1.0+0ddba11a (systemd service), this GUI carries 0.1.0+cafebabe: upgrade the mosixview-agent package on the node (or this GUI) so both are the same version" }));
    expect(screen.getByRole('img', { name: 'Node 3 up' })).toBeTruthy();
    expect(message().textContent).toContain("runs the node's packaged agent 0.1.0+0ddba11a (systemd service)");
  });
});
