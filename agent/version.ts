/** The running agent hashes its own bundle, the same way the main process hashes its copy. */
import { readFileSync } from 'node:fs';
import { PKG_VERSION, bundleVersion } from '../shared/agentVersion.js';

function selfVersion(): string {
  try {
    return typeof __filename === 'string' ? bundleVersion(readFileSync(__filename)) : `${PKG_VERSION}+dev`;
  } catch {
    return `${PKG_VERSION}+dev`;
  }
}

export const AGENT_VERSION = selfVersion();
