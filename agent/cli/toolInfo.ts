/**
 * `TOOL --version` and `TOOL --help` mean the same for every tool, on stdout with status 0
 * and without a daemon: admins and packaging checks (help2man, lintian) expect both, and the
 * openMosix originals had neither. The tools' own parsers still handle their other options
 * (`mosrun -h` is openMosix's "run home", not help).
 */
import { MOSCTL_USAGE, SETPE_USAGE } from '../../shared/balancing/controls.js';
import { MOSRUN_USAGE, RUN_MODE_SCRIPTS } from '../../shared/jobs/runModes.js';
import { USAGE as COLLECTOR_USAGE } from '../collector/collectorCli.js';
import { MPS_USAGE } from '../jobs/cliText.js';
import { MIGRATE_USAGE } from '../jobs/cli.js';
import { MON_USAGE } from './mon.js';
import type { TOOLS } from './installTools.js';

type Tool = (typeof TOOLS)[number];

function runModeUsage(tool: (typeof RUN_MODE_SCRIPTS)[number]): string {
  return `usage: ${tool} ${tool === 'runon' ? 'NODE ' : ''}COMMAND [ARGS...]   (mosrun with a run mode; see mosrun --help)`;
}

export const TOOL_USAGE: Record<Tool, string> = {
  mosctl: MOSCTL_USAGE,
  setpe: SETPE_USAGE,
  mosrun: MOSRUN_USAGE,
  migrate: MIGRATE_USAGE,
  mps: MPS_USAGE,
  mon: MON_USAGE,
  mosixcollector: COLLECTOR_USAGE,
  ...(Object.fromEntries(RUN_MODE_SCRIPTS.map((t) => [t, runModeUsage(t)])) as Record<(typeof RUN_MODE_SCRIPTS)[number], string>),
};

/** The text `TOOL ARGS` prints for --version / --help, or undefined for anything else. */
export function toolInfo(tool: string, args: readonly string[], version: string): string | undefined {
  if (!(tool in TOOL_USAGE) || args.length !== 1) return undefined;
  if (args[0] === '--version') return `${tool} (Mosixview) ${version}`;
  if (args[0] === '--help') return TOOL_USAGE[tool as Tool];
  return undefined;
}
