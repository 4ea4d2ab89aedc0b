/**
 * Which node's collector the GUI reads, remembered per profile in the main process
 * (<config>/history.json), so every window and the next start agree. The file is checked
 * against its schema: a mistake in it is an error in the GUI's log naming the file, the key
 * path and what it must be, and the choice falls back to the default node. A new choice
 * keeps a refused file aside as FILE.bad before replacing it: nothing is lost.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from '../core/jsonFile.js';
import { log as guiLog, type MainLog } from '../core/log.js';
import { nearestName } from '../core/nearestName.js';
import { describeIssues } from '../core/schemaIssues.js';

export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.MOSIXVIEW_CONFIG_DIR || join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'mosixview');
  return join(dir, 'history.json');
}

const nodeId = 'a node ID (a whole number from 1)';
const storedSchema = z.strictObject(
  {
    collectorNode: z
      .record(z.string(), z.number({ error: nodeId }).int({ error: nodeId }).min(1, { error: nodeId }), {
        error: 'an object of node IDs by profile, like {"profile:lab": 3}',
      })
      .optional(),
  },
  { error: 'a JSON object, like {"collectorNode": {"profile:lab": 3}}' },
);
type Stored = z.infer<typeof storedSchema>;
const KEYS = Object.keys(storedSchema.shape);

type Read = { ok: true; data: Stored } | { ok: false; problem: string };

function read(file: string): Read {
  const j = readJsonFile(file);
  if (!j.ok) return j;
  const v = j.value;
  if (v === undefined) return { ok: true, data: {} };
  const r = storedSchema.safeParse(v);
  // The checked value itself, not zod's copy: a profile named "__proto__" must survive.
  if (r.success) return { ok: true, data: v as Stored };
  const unknownKey = (_path: readonly PropertyKey[], k: string) => {
    const meant = nearestName(k, KEYS);
    return `unknown key "${k}": ${meant ? `did you mean "${meant}"? Correct it or remove it` : 'remove it'}`;
  };
  return { ok: false, problem: describeIssues(file, v, r.error.issues, unknownKey).join('\n') };
}

export class CollectorChoiceStore {
  constructor(
    private readonly file = configFile(),
    private readonly log: MainLog = guiLog,
  ) {}

  get(profile: string): number | undefined {
    const r = read(this.file);
    if (!r.ok) {
      this.log.error(`${r.problem}\n(the collector node is not remembered until the file is fixed or a node is chosen again)`);
      return undefined;
    }
    return Object.hasOwn(r.data.collectorNode ?? {}, profile) ? r.data.collectorNode![profile] : undefined;
  }

  set(profile: string, nodeId: number): void {
    const r = read(this.file);
    const data: Stored = r.ok ? r.data : {};
    data.collectorNode = { ...data.collectorNode, [profile]: nodeId };
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      if (!r.ok) {
        renameSync(this.file, `${this.file}.bad`);
        this.log.warn(`${r.problem}\n(its content is kept as ${this.file}.bad; ${this.file} now holds the new choice)`);
      }
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n');
      renameSync(tmp, this.file);
    } catch {
      /* unwritable config: the choice lasts for this run only */
    }
  }
}
