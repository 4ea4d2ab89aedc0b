/** Builds dist/packages/mosixview-agent_VERSION_all.deb (or into outDir); returns its path. */
export function buildNodePackage(outDir?: string): string;
export const TOOL_SUMMARY: Record<string, string>;
