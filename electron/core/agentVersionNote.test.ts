import { describe, expect, it } from 'vitest';
import { agentVersionNote, protocolMismatch } from './agentVersionNote.js';

describe('a node agent of another version', () => {
  it("says nothing when the versions match or the GUI manages the node's agent itself", () => {
    expect(agentVersionNote({ version: '0.1.0+aaaa1111', supervisor: 'systemd' }, '0.1.0+aaaa1111')).toBeUndefined();
    expect(agentVersionNote({ version: '0.1.0+bbbb2222' }, '0.1.0+aaaa1111')).toBeUndefined();
  });

  it('names both versions and what to do for a packaged agent under systemd', () => {
    expect(agentVersionNote({ version: '0.1.0+bbbb2222', supervisor: 'systemd' }, '0.1.0+aaaa1111')).toBe(
      "runs the node's packaged agent 0.1.0+bbbb2222 (systemd service), this GUI carries 0.1.0+aaaa1111: upgrade the mosixview-agent package on the node (or this GUI) so both are the same version",
    );
  });

  it('a protocol mismatch with a packaged agent says the agent is kept and what to upgrade', () => {
    expect(protocolMismatch({ version: '0.2.0+cc', protocol: 3, supervisor: 'systemd' }, 2)).toMatch(/^agent 0.2.0\+cc speaks protocol 3, this GUI 2: the node's packaged agent .* upgrade the mosixview-agent package/);
    expect(protocolMismatch({ version: '0.2.0+cc', protocol: 3 }, 2)).toBe('agent 0.2.0+cc speaks protocol 3, this GUI 2');
  });
});
