/**
 * Which node's collector the GUI reads, remembered per profile in the main process
 * (<config>/history.json), so every window and the next start agree.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export function configFile(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.MOSIXVIEW_CONFIG_DIR || join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'mosixview');
  return join(dir, 'history.json');
}

interface Stored {
  collectorNode?: Record<string, number>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the file holds, as far as it has the expected shape: anything else is forgotten, like an unreadable file. */
function read(file: string): Stored {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
  if (!isObject(v)) return {};
  return isObject(v.collectorNode) ? (v as Stored) : { ...v, collectorNode: {} };
}

export class CollectorChoiceStore {
  constructor(private readonly file = configFile()) {}

  get(profile: string): number | undefined {
    const id = read(this.file).collectorNode?.[profile];
    return typeof id === 'number' && Number.isInteger(id) ? id : undefined;
  }

  set(profile: string, nodeId: number): void {
    const data = read(this.file);
    data.collectorNode = { ...data.collectorNode, [profile]: nodeId };
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(data, null, 2) + '\n');
      renameSync(tmp, this.file);
    } catch {
      /* unwritable config: the choice lasts for this run only */
    }
  }
}
