/**
 * Builds dist/packages/mosixview-agent_VERSION_all.deb (or into outDir); returns its path.
 * `bundle`: the agent file to package (default dist/agent/mosixview-agent.cjs).
 */
export function buildNodePackage(outDir?: string, opts?: { bundle?: string }): string;
export const TOOL_SUMMARY: Record<string, string>;
