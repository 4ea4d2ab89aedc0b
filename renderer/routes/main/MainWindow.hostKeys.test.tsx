// @vitest-environment jsdom
/** The main window's host key dialog: one prompt, a new cluster's many, a rejected node asked again. */
import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { HostKeyPrompt } from '../../../shared/protocol/api.js';
import { freshStoreEachTest, renderCluster, row, rowMessage, upView } from './mainWindow.test-util.js';

freshStoreEachTest();

describe('MainWindow host keys', () => {
  it('the host key dialog shows the fingerprint and Accept answers yes', async () => {
    const { emit, invoke } = await renderCluster([upView(1), upView(2)]);
    expect(screen.queryByRole('dialog')).toBeNull();
    const prompt: HostKeyPrompt = {
      promptId: 'p-1',
      nodeId: 2,
      host: 'node2.cluster',
      port: 2222,
      keyType: 'ssh-ed25519',
      fingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU',
      knownHostsFile: '/home/admin/.ssh/known_hosts',
    };
    emit('hostKey.prompt', prompt);
    const dialog = screen.getByRole('dialog', { name: 'Unknown host key of node 2' });
    expect(within(dialog).getByLabelText('Fingerprint of node 2').textContent).toBe(prompt.fingerprint);
    expect(dialog.textContent).toContain('[node2.cluster]:2222');
    expect(dialog.textContent).toContain('/home/admin/.ssh/known_hosts');
    // One key: nothing to trust "all" of.
    expect(within(dialog).queryByRole('button', { name: /^Trust all/ })).toBeNull();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Accept key of node 2' }));
    expect(invoke).toHaveBeenCalledWith('hostKey.answer', { promptId: 'p-1', accept: true });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Reject answers no; hostKey.resolved from elsewhere closes the dialog', async () => {
    const { emit, invoke } = await renderCluster([upView(1), upView(2)]);
    const base = { host: 'node1', port: 22, keyType: 'ssh-rsa', knownHostsFile: 'kh' };
    emit('hostKey.prompt', { ...base, nodeId: 1, promptId: 'a', fingerprint: 'SHA256:aaa' });
    emit('hostKey.prompt', { ...base, nodeId: 2, promptId: 'b', fingerprint: 'SHA256:bbb' });
    fireEvent.click(screen.getByRole('button', { name: 'Reject key of node 1' }));
    expect(invoke).toHaveBeenCalledWith('hostKey.answer', { promptId: 'a', accept: false });
    // The other question stays.
    expect(screen.getByRole('dialog', { name: 'Unknown host key of node 2' })).toBeTruthy();
    expect(screen.getByLabelText('Fingerprint of node 2').textContent).toBe('SHA256:bbb');
    emit('hostKey.resolved', { promptId: 'b' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('the keys of a new cluster are asked about in one dialog: every node and fingerprint, and "Trust all N keys shown"', async () => {
    const { emit, calls } = await renderCluster([1, 2, 3, 4].map((id) => upView(id)));
    const prompt = (id: number): HostKeyPrompt => ({
      promptId: `p${id}`, nodeId: id, host: `node${id}.cluster`, port: 22, keyType: 'ssh-ed25519', fingerprint: `SHA256:fp-of-${id}`, knownHostsFile: 'kh',
    });
    for (const id of [3, 1, 4]) emit('hostKey.prompt', prompt(id));
    const dialog = screen.getByRole('dialog', { name: 'Unknown host keys of 3 nodes' });
    expect(screen.getAllByRole('dialog')).toHaveLength(1);
    const rows = within(dialog).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').map((c) => c.textContent))).toEqual(
      [1, 3, 4].map((id) => [`${id}`, `node${id}.cluster`, 'ssh-ed25519', `SHA256:fp-of-${id}`, 'AcceptReject']),
    );

    // A key arriving while the admin reads joins the list, and the count with it.
    emit('hostKey.prompt', prompt(2));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Accept key of node 3' }));
    expect(calls('hostKey.answer')).toEqual([{ promptId: 'p3', accept: true }]);
    expect(screen.getByRole('dialog', { name: 'Unknown host keys of 3 nodes' })).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Trust all 3 keys shown' }));
    expect(calls('hostKey.answer').slice(1).sort((a, b) => a.promptId.localeCompare(b.promptId))).toEqual(
      ['p1', 'p2', 'p4'].map((promptId) => ({ promptId, accept: true })),
    );
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(calls('hostKey.answer')).toHaveLength(4); // one answer per key, none twice
  });

  it('a rejected node says "host key rejected" in its row; Ask again asks the main process to connect again', async () => {
    const { emit, calls } = await renderCluster([upView(1), upView(2)]);
    emit('cluster.views', { views: [{ id: 2, host: 'node2.cluster', status: 'down', reason: 'host key of node2.cluster (ssh-ed25519 SHA256:x) was not accepted: not connecting', hostKeyRejected: true }] });
    expect(rowMessage(2)!.textContent).toMatch(/^host key rejected/);
    expect(rowMessage(2)!.querySelector('[title]')!.getAttribute('title')).toMatch(/SHA256:x/);
    fireEvent.click(within(row(2)).getByRole('button', { name: 'Ask again about the host key of node 2' }));
    await waitFor(() => expect(calls('hostKey.askAgain')).toEqual([{ nodeId: 2 }]));
    // A node down for another reason offers no such button.
    emit('cluster.views', { views: [{ id: 1, host: 'node1.cluster', status: 'down', reason: 'link cut' }] });
    expect(within(row(1)).queryByRole('button', { name: /Ask again/ })).toBeNull();
    // Once it is asked again the mark is gone.
    emit('cluster.views', { views: [{ id: 2, host: 'node2.cluster', status: 'connecting' }] });
    expect(within(row(2)).queryByRole('button', { name: /Ask again/ })).toBeNull();
  });
});
