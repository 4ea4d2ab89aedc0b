/**
 * A cluster profile: the map file plus SSH settings per node (README.md, "Profile").
 * Given as a JSON file (--profile FILE) or built from command-line options.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { homedir } from 'node:os';
import { parseHpcMap, type MapNode } from '../../shared/hpcMap.js';
import { excerpt, findJsonSyntaxError } from './jsonSyntax.js';
import { checkProfile, type ProfileFile, type SshSettings } from './profileSchema.js';

export type { ProfileFile, SshSettings } from './profileSchema.js';

export interface NodeTarget extends MapNode {
  ssh: SshSettings;
}

export interface ClusterConfig {
  name: string;
  source: 'embedded' | 'profile';
  /** Empty for the embedded default (this machine alone, served by a local agent). */
  nodes: NodeTarget[];
  /** Where the cluster key lives (profile clusters only). */
  clusterKeyFile?: string;
}

export class ProfileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProfileError';
  }
}

export function expandHome(p: string): string {
  return p === '~' ? homedir() : p.startsWith('~/') ? resolve(homedir(), p.slice(2)) : p;
}

/** Builds the cluster from a parsed profile; `baseDir` resolves relative paths. */
export function clusterFromProfile(data: ProfileFile, baseDir: string, file = 'profile'): ClusterConfig {
  // Checked again although typed: the value comes from a hand-edited file.
  const checked = checkProfile(data, file);
  if ('problems' in checked) throw new ProfileError(checked.problems.join('\n'));
  const profile = checked.profile;
  const defaults = profile.ssh ?? {};
  let mapNodes: MapNode[];
  if (profile.mapText !== undefined) {
    mapNodes = parseHpcMap(profile.mapText, `${file} (mapText)`);
  } else if (profile.map !== undefined) {
    const mapPath = isAbsolute(expandHome(profile.map)) ? expandHome(profile.map) : resolve(baseDir, profile.map);
    let text: string;
    try {
      text = readFileSync(mapPath, 'utf8');
    } catch (e) {
      throw new ProfileError(`${file}: cannot read the map file ${mapPath}: ${(e as Error).message}`);
    }
    mapNodes = parseHpcMap(text, mapPath);
  } else {
    throw new ProfileError(`${file}: give the map file as "map": "/etc/hpc.map" or inline as "mapText"`);
  }
  const perNode = profile.nodes ?? {};
  for (const id of Object.keys(perNode)) {
    if (!mapNodes.some((n) => String(n.id) === id)) {
      throw new ProfileError(`${file}: "nodes" has settings for node ${id}, which the map does not define`);
    }
  }
  const nodes = mapNodes.map((n) => ({
    ...n,
    ssh: { ...defaults, ...perNode[String(n.id)] },
  }));
  const name = profile.name ?? file.replace(/^.*\//, '').replace(/\.json$/, '');
  const keyFile = profile.clusterKeyFile
    ? resolve(baseDir, expandHome(profile.clusterKeyFile))
    : resolve(baseDir, `${name.replace(/[^\w.-]/g, '_')}.cluster-key`);
  return { name, source: 'profile', nodes, clusterKeyFile: keyFile };
}

export function loadProfileFile(path: string): ClusterConfig {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ProfileError(`cannot read the profile ${path}: ${(e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    const p = findJsonSyntaxError(raw);
    // JSON.parse names a character offset only: the admin needs the line and what is wrong there.
    if (!p) throw new ProfileError(`${path} is not valid JSON: ${(e as Error).message}`);
    throw new ProfileError(`${path} is not valid JSON: line ${p.line}, column ${p.column}: ${p.message}\n${excerpt(raw, p)}`);
  }
  return clusterFromProfile(parsed as ProfileFile, dirname(resolve(path)), path);
}

export const EMBEDDED_CLUSTER: ClusterConfig = { name: 'this machine', source: 'embedded', nodes: [] };
