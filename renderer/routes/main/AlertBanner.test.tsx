// @vitest-environment jsdom
/** The main window's alert banner: node, rule and since when; refreshed at once on alert.changed. */
import { describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import { AlertBanner } from './AlertBanner.js';
import { fakeBridge } from '../../components/fakeBridge.test-util.js';
import { DEFAULT_RULES, type Alert } from '../../../shared/alerts/alertRules.js';
import type { NodeAlerts } from '../../../shared/protocol/apiAlerts.js';
import { clock } from '../../history/timeFormat.js';

const T = 1_800_000_000_000;
const load: Alert = { rule: 'load', node: 2, host: 'mvnode2', since: T, raisedAt: T + 5000, text: 'load 180% (above 50%) for more than 5 s' };
const down: Alert = { rule: 'nodeDown', node: 4, since: T + 1000, raisedAt: T + 9000, text: 'down for more than 8 s' };

describe('AlertBanner', () => {
  it('names node, rule and since when for each active alert; shows nothing without one', async () => {
    let active: Alert[] = [load, down];
    const { bridge, emit } = fakeBridge({ 'alert.list': (): NodeAlerts => ({ nodeId: 1, list: { rules: DEFAULT_RULES, active, recent: [], now: T } }) });
    render(<AlertBanner bridge={bridge} />);
    const banner = await screen.findByRole('alert', { name: 'Alerts' });
    expect(banner.textContent).toContain('2 alerts (collector on node 1):');
    expect([...banner.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      `Node 2 (mvnode2): load since ${clock(T)}: load 180% (above 50%) for more than 5 s`,
      `Node 4: node down since ${clock(T + 1000)}: down for more than 8 s`,
    ]);
    active = [];
    emit('alert.changed', { nodeId: 1 });
    await waitFor(() => expect(screen.queryByRole('alert', { name: 'Alerts' })).toBeNull());
  });

  it('a collector that cannot be asked shows no banner (the history strip says why)', async () => {
    const { bridge, calls } = fakeBridge({ 'alert.list': (): NodeAlerts => ({ nodeId: 1, list: null, error: 'the collector is not running on this node' }) });
    render(<AlertBanner bridge={bridge} />);
    await waitFor(() => expect(calls('alert.list')).toHaveLength(1));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
