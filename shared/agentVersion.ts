/**
 * An agent's version is "<package version>+<first 8 hex of the bundle's SHA-256>", so the
 * GUI can tell a node runs exactly the bundle it has, and upload it when not.
 */
import { createHash } from 'node:crypto';

declare const __PKG_VERSION__: string | undefined;
export const PKG_VERSION: string = typeof __PKG_VERSION__ === 'string' ? __PKG_VERSION__ : '0.0.0';

export function bundleVersion(bundle: Buffer | string): string {
  return `${PKG_VERSION}+${createHash('sha256').update(bundle).digest('hex').slice(0, 8)}`;
}
