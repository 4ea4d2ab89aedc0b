/**
 * Puts the openMosix-named tools next to the agent: <agentDir>/bin/mosctl etc., small sh
 * wrappers that run this bundle with this Node.js, so admins type the names they know. The
 * GUI-uploaded agent (~/.mosixview/agent/) gets them by itself; a system install (systemd)
 * puts them on PATH with `mosixview-agent install-tools /usr/local/bin`.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const TOOLS = ['mosctl', 'mosixcollector', 'mosrun', 'migrate', 'mps', 'nomig', 'runhome', 'runon', 'cpujob', 'iojob', 'nodecay', 'slowdecay', 'fastdecay', 'setpe', 'mon'] as const;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** At the daemon's start: next to a GUI-uploaded agent only (…/agent/x.cjs -> …/bin/). */
export function installTools(bundle: string, nodePath = process.execPath): string | undefined {
  if (basename(dirname(bundle)) !== 'agent') return undefined;
  try {
    return writeTools(join(dirname(dirname(bundle)), 'bin'), bundle, nodePath);
  } catch {
    return undefined; // a read-only agent dir still serves the GUI; the tools are a convenience
  }
}

/** Writes (or refreshes) one wrapper per tool in `bin`; returns `bin`. Throws what went wrong. */
export function writeTools(bin: string, bundle: string, nodePath = process.execPath): string {
  mkdirSync(bin, { recursive: true });
  for (const tool of TOOLS) {
    const file = join(bin, tool);
    const text = `#!/bin/sh\n# installed by mosixview-agent\nexec ${quote(nodePath)} ${quote(bundle)} ${tool} "$@"\n`;
    let old = '';
    try {
      old = readFileSync(file, 'utf8');
    } catch {
      /* not there yet */
    }
    if (old === text) continue;
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o755 });
    renameSync(tmp, file);
  }
  return bin;
}
