/**
 * A cluster profile: the map file plus SSH settings per node (docs/PROFILES.md).
 * Given as a JSON file (--profile FILE) or built from command-line options.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { homedir } from 'node:os';
import { parseHpcMap, type MapNode } from '../../shared/hpcMap.js';
import { excerpt, findJsonSyntaxError } from './jsonSyntax.js';
import { nearestName } from './nearestName.js';

/** SSH and agent settings; every field is optional and falls back to ~/.ssh/config and defaults. */
export interface SshSettings {
  user?: string;
  port?: number;
  /** Private key file(s); "~" is expanded. */
  identityFile?: string | string[];
  /** known_hosts file to check host keys against (default ~/.ssh/known_hosts). */
  knownHostsFile?: string;
  /** OpenSSH client config to read Host aliases from (default ~/.ssh/config). */
  sshConfigFile?: string;
  /** Use the ssh-agent at $SSH_AUTH_SOCK (default true). */
  useAgent?: boolean;
  /** Jump host(s), OpenSSH syntax: "[user@]host[:port][,...]". */
  proxyJump?: string;
  /** Node.js on the node (default "node" on the login PATH). */
  nodePath?: string;
  /** Where the agent is installed on the node (default "~/.mosixview"). */
  agentDir?: string;
}

export interface ProfileFile {
  name?: string;
  /** Path to the map file (hpc.map syntax), relative to the profile file. */
  map?: string;
  /** The map inline, instead of a file. */
  mapText?: string;
  /** Settings for every node. */
  ssh?: SshSettings;
  /** Settings for single nodes, by node ID; they override "ssh". */
  nodes?: Record<string, SshSettings>;
  /**
   * The cluster key the GUI installs on every node (agents accept nothing from a peer
   * without it). Created when a cluster where no node has a key is opened; when the nodes
   * hold another key, the GUI offers to adopt it into this file. Default: next to the
   * profile, NAME.cluster-key.
   */
  clusterKeyFile?: string;
}

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

const SSH_KEYS: (keyof SshSettings)[] = [
  'user', 'port', 'identityFile', 'knownHostsFile', 'sshConfigFile', 'useAgent', 'proxyJump', 'nodePath', 'agentDir',
];

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkSsh(where: string, s: unknown): SshSettings {
  if (s === undefined) return {};
  if (!isObject(s)) throw new ProfileError(`${where} must be an object`);
  for (const k of Object.keys(s)) {
    if (!SSH_KEYS.includes(k as keyof SshSettings)) {
      throw new ProfileError(`${where}: unknown setting "${k}": ${whatToDo(k, SSH_KEYS)} (settings are case-sensitive; known: ${SSH_KEYS.join(', ')})`);
    }
  }
  const o = s as SshSettings;
  if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535)) {
    throw new ProfileError(`${where}.port must be a TCP port number (1-65535), got ${JSON.stringify(o.port)}`);
  }
  for (const k of ['user', 'knownHostsFile', 'sshConfigFile', 'proxyJump', 'nodePath', 'agentDir'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'string') throw new ProfileError(`${where}.${k} must be a string`);
  }
  if (o.useAgent !== undefined && typeof o.useAgent !== 'boolean') {
    throw new ProfileError(`${where}.useAgent must be true or false, got ${JSON.stringify(o.useAgent)}`);
  }
  const ids = o.identityFile;
  if (ids !== undefined && typeof ids !== 'string' && !(Array.isArray(ids) && ids.every((f) => typeof f === 'string'))) {
    throw new ProfileError(`${where}.identityFile must be a file name or a list of file names`);
  }
  return o;
}

const PROFILE_KEYS: (keyof ProfileFile)[] = ['name', 'map', 'mapText', 'ssh', 'nodes', 'clusterKeyFile'];

/** What to do about an unknown name: the known one it most likely meant, else remove it. */
function whatToDo(word: string, known: readonly string[]): string {
  const meant = nearestName(word, known);
  return meant ? `did you mean "${meant}"? Correct it or remove it` : 'remove it';
}

/** An SSH setting written at the top (a flat profile) is the usual unknown key: say where it goes. */
function topKeyHint(k: string): string {
  const setting = SSH_KEYS.find((s) => s.toLowerCase() === k.toLowerCase()) ?? (nearestName(k, PROFILE_KEYS) ? undefined : nearestName(k, SSH_KEYS));
  if (setting) return `an SSH setting goes inside "ssh" (for every node) or "nodes"."<ID>" (for one), as "ssh": {"${setting}": ...}`;
  return whatToDo(k, PROFILE_KEYS);
}

/** The shape of the profile's own keys; a typo would otherwise fall back to a default (a new cluster key). */
function checkTop(profile: unknown, file: string): asserts profile is ProfileFile {
  if (!isObject(profile)) throw new ProfileError(`${file}: expected a JSON object`);
  for (const k of Object.keys(profile)) {
    if (!PROFILE_KEYS.includes(k as keyof ProfileFile)) {
      throw new ProfileError(`${file}: unknown key "${k}": ${topKeyHint(k)} (keys are case-sensitive; a profile has ${PROFILE_KEYS.join(', ')})`);
    }
  }
  const p = profile as Record<string, unknown>;
  for (const k of ['map', 'mapText', 'clusterKeyFile'] as const) {
    if (p[k] !== undefined && typeof p[k] !== 'string') throw new ProfileError(`${file}: "${k}" must be a string`);
  }
  if (p.name !== undefined && p.name !== null && typeof p.name !== 'string') throw new ProfileError(`${file}: "name" must be a string`);
  if (p.nodes !== undefined && p.nodes !== null && !isObject(p.nodes)) {
    throw new ProfileError(`${file}: "nodes" must be an object of settings by node ID, like {"3": {"port": 2222}}`);
  }
}

/** Builds the cluster from a parsed profile; `baseDir` resolves relative paths. */
export function clusterFromProfile(profile: ProfileFile, baseDir: string, file = 'profile'): ClusterConfig {
  checkTop(profile, file);
  const defaults = checkSsh(`${file}: "ssh"`, profile.ssh);
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
    ssh: { ...defaults, ...checkSsh(`${file}: "nodes"."${n.id}"`, perNode[String(n.id)]) },
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
  let parsed: ProfileFile;
  try {
    parsed = JSON.parse(raw) as ProfileFile;
  } catch (e) {
    const p = findJsonSyntaxError(raw);
    // JSON.parse names a character offset only: the admin needs the line and what is wrong there.
    if (!p) throw new ProfileError(`${path} is not valid JSON: ${(e as Error).message}`);
    throw new ProfileError(`${path} is not valid JSON: line ${p.line}, column ${p.column}: ${p.message}\n${excerpt(raw, p)}`);
  }
  return clusterFromProfile(parsed, dirname(resolve(path)), path);
}

export const EMBEDDED_CLUSTER: ClusterConfig = { name: 'this machine', source: 'embedded', nodes: [] };
