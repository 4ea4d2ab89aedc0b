// @vitest-environment jsdom
/** The Alerts window: the rules with their values, edited with a clear error for bad input, and the alerts. */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { AlertsWindow } from './AlertsWindow.js';
import { fakeBridge } from '../../components/fakeBridge.test-util.js';
import { applyAlertChanges, DEFAULT_RULES, describeRules, type AlertList } from '../../../shared/alerts/alertRules.js';
import type { NodeAlerts } from '../../../shared/protocol/apiAlerts.js';
import { RpcError } from '../../../shared/protocol/rpc.js';

const T = 1_800_000_000_000;
afterEach(cleanup);
function setup(refuse?: string) {
  let list: AlertList = {
    rules: DEFAULT_RULES,
    active: [{ rule: 'nodeDown', node: 4, host: 'mvnode4', since: T, raisedAt: T + 30_000, text: 'down for more than 30 s' }],
    recent: [],
    now: T + 40_000,
  };
  const fb = fakeBridge({
    'alert.list': (): NodeAlerts => ({ nodeId: 1, list }),
    'alert.set': ({ set }): NodeAlerts => {
      if (refuse) throw new RpcError('EIO', refuse);
      const r = applyAlertChanges(list.rules, set);
      if (!r.ok) throw new RpcError('EINVAL', r.error);
      list = { ...list, rules: r.rules };
      return { nodeId: 1, list };
    },
  });
  render(<AlertsWindow bridge={fb.bridge} />);
  return fb;
}

describe('the Alerts window', () => {
  it('shows every rule with its value and the active alerts', async () => {
    setup();
    const form = await screen.findByRole('form', { name: 'Alert rules' });
    expect((within(form).getByLabelText('Load above (%)') as HTMLInputElement).value).toBe('90');
    expect((within(form).getByLabelText('Node down for more than (s)') as HTMLInputElement).value).toBe('30');
    expect((within(form).getByLabelText('A migration failed: on') as HTMLInputElement).checked).toBe(true);
    expect(within(screen.getByRole('table', { name: 'Active alerts' })).getByText(/^Node 4 \(mvnode4\): node down since .*: down for more than 30 s$/)).toBeTruthy();
  });

  it('bad input is named and nothing is sent; good input is sent as KEY=VALUE and shown applied', async () => {
    const { calls } = setup();
    const form = await screen.findByRole('form', { name: 'Alert rules' });
    fireEvent.change(within(form).getByLabelText('Load above (%)'), { target: { value: 'lots' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Apply' }));
    expect(screen.getByRole('alert', { name: 'Rules outcome' }).textContent).toBe('load.percent must be a number from 1 to 10000, not "lots"');
    expect(calls('alert.set')).toEqual([]);

    fireEvent.change(within(form).getByLabelText('Load above (%)'), { target: { value: '75' } });
    fireEvent.click(within(form).getByLabelText('Low memory: on'));
    fireEvent.click(within(form).getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Rules outcome' }).textContent).toMatch(/^Changed on node 1: load.percent=75, memory.on=false/));
    expect(calls('alert.set')).toEqual([{ set: ['load.percent=75', 'memory.on=false'] }]);
    expect((within(form).getByLabelText('Load above (%)') as HTMLInputElement).value).toBe('75');
  });

  it('the collector\'s refusal is shown where the admin acted', async () => {
    setup('the rules were not changed: /var/lib/mosixview/collector/collector.json cannot be written (EROFS)');
    const form = await screen.findByRole('form', { name: 'Alert rules' });
    fireEvent.change(within(form).getByLabelText('Load above (%)'), { target: { value: '75' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(screen.getByRole('alert', { name: 'Rules outcome' }).textContent).toMatch(/cannot be written \(EROFS\)/));
  });
});

describe('the Alerts window with no collector running', () => {
  it('says why and shows the rules a collector would watch, read-only', async () => {
    const fb = fakeBridge({ 'alert.list': (): NodeAlerts => ({ nodeId: 2, list: null, error: 'no collector runs on node 2' }) });
    render(<AlertsWindow bridge={fb.bridge} />);
    expect((await screen.findByRole('alert')).textContent).toBe('Cannot read the alerts of node 2: no collector runs on node 2');
    const rules = screen.getByRole('list', { name: 'Default alert rules' });
    expect(within(rules).getAllByRole('listitem').map((li) => li.textContent)).toEqual(describeRules(DEFAULT_RULES));
    expect(screen.queryByRole('form', { name: 'Alert rules' })).toBeNull();
  });
});
