/**
 * The node's mosctl flags and decay parameters in <stateDir>/controls.json, so that a
 * restarted daemon (or a rebooted node) keeps balancing the way the admin set it. The
 * speed lives in speed.json (SpeedStore): it has its own calibration story.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../stateDir.js';
import { DEFAULT_DECAY, type DecayParams } from '../../shared/balancing/types.js';
import { FLAG_NAMES, NO_FLAGS, type NodeFlags } from '../../shared/protocol/balanceFlags.js';

export const CONTROLS_FILE = 'controls.json';

export interface StoredControls {
  flags: NodeFlags;
  decay: DecayParams;
}

function whole(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Takes what is valid from a parsed file; anything else falls back to the default, field by field. */
export function sanitizeControls(raw: unknown): StoredControls {
  const r = (raw && typeof raw === 'object' ? raw : {}) as { flags?: Record<string, unknown>; decay?: Record<string, unknown> };
  const flags = { ...NO_FLAGS };
  for (const f of FLAG_NAMES) if (typeof r.flags?.[f] === 'boolean') flags[f] = r.flags[f] as boolean;
  const d = r.decay ?? {};
  const decay: DecayParams = {
    intervalS: whole(d.intervalS, 1, 3600) ? d.intervalS : DEFAULT_DECAY.intervalS,
    slow: whole(d.slow, 1, 999) ? d.slow : DEFAULT_DECAY.slow,
    fast: whole(d.fast, 1, 999) ? d.fast : DEFAULT_DECAY.fast,
  };
  if (decay.slow < decay.fast) {
    decay.slow = DEFAULT_DECAY.slow;
    decay.fast = DEFAULT_DECAY.fast;
  }
  return { flags, decay };
}

export class ControlsStore {
  readonly file: string;
  /** Why the stored file was not used, if it was unreadable; shown by mosctl status. */
  problem: string | undefined;

  constructor(stateDir: string) {
    this.file = join(stateDir, CONTROLS_FILE);
  }

  load(): StoredControls {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return { flags: { ...NO_FLAGS }, decay: { ...DEFAULT_DECAY } };
    }
    try {
      return sanitizeControls(JSON.parse(text));
    } catch (e) {
      this.problem = `${this.file} is not valid JSON (${(e as Error).message}); using the defaults`;
      return { flags: { ...NO_FLAGS }, decay: { ...DEFAULT_DECAY } };
    }
  }

  save(c: StoredControls): void {
    writeAtomic(this.file, JSON.stringify({ flags: c.flags, decay: c.decay }, null, 2) + '\n', 0o644);
    this.problem = undefined;
  }
}
