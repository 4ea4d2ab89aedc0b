/**
 * What the GUI says about a node's agent of another version. The GUI replaces its own
 * earlier uploads (attach does), but never the node's packaged agent run by systemd: the
 * admin upgrades the package, and until then the row says so (or, if the two cannot talk,
 * why not and what to do).
 */
import type { AgentHello } from '../../shared/protocol/agent.js';

export function agentVersionNote(hello: Pick<AgentHello, 'version' | 'supervisor'>, clientVersion: string): string | undefined {
  if (!hello.supervisor || hello.version === clientVersion) return undefined;
  return `runs the node's packaged agent ${hello.version} (${hello.supervisor} service), this GUI carries ${clientVersion}: upgrade the mosixview-agent package on the node (or this GUI) so both are the same version`;
}

/** Why a GUI cannot use a node's agent that speaks another protocol, with what to do. */
export function protocolMismatch(hello: Pick<AgentHello, 'version' | 'supervisor' | 'protocol'>, guiProtocol: number): string {
  const base = `agent ${hello.version} speaks protocol ${hello.protocol}, this GUI ${guiProtocol}`;
  return hello.supervisor
    ? `${base}: the node's packaged agent (${hello.supervisor} service) is kept as it is; upgrade the mosixview-agent package on the node (or this GUI) to one version`
    : base;
}
