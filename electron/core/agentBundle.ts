/** The agent bundle this build carries, and its version string. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { bundleVersion } from '../../shared/agentVersion.js';

export interface AgentBundle {
  path: string;
  version: string;
  bytes: Buffer;
}

/** dist/agent/mosixview-agent.cjs, found from the main bundle's own place in dist/. */
export function findAgentBundle(hint?: string): AgentBundle {
  const candidates = [
    hint,
    process.env.MOSIXVIEW_AGENT_BUNDLE,
    typeof __dirname === 'string' ? join(__dirname, '../agent/mosixview-agent.cjs') : undefined,
    resolve(dirname(process.argv[1] ?? '.'), '../agent/mosixview-agent.cjs'),
    resolve('dist/agent/mosixview-agent.cjs'),
  ].filter((p): p is string => !!p);
  for (const path of candidates) {
    try {
      const bytes = readFileSync(path);
      return { path, bytes, version: bundleVersion(bytes) };
    } catch {
      /* try the next place */
    }
  }
  throw new Error(`the agent bundle is missing (looked in ${candidates.join(', ')}): run "npm run build"`);
}
