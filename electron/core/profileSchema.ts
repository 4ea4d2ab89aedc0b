/**
 * The schema of a cluster profile file (README.md, "Profile"), declared once with zod: the
 * types below are inferred from it, and every wrong type or unknown key becomes a line
 * naming the file, the key path and what the value must be (electron/core/schemaIssues.ts).
 */
import { z } from 'zod';
import { describeIssues, keyPath } from './schemaIssues.js';
import { nearestName } from './nearestName.js';

const must = (what: string) => ({ error: what });
const text = () => z.string(must('a string'));

const sshSettingsSchema = z.strictObject(
  {
    user: text().optional(),
    port: z.number(must('a TCP port number (1-65535)')).int(must('a TCP port number (1-65535)')).min(1, must('a TCP port number (1-65535)')).max(65535, must('a TCP port number (1-65535)')).optional(),
    /** Private key file(s); "~" is expanded. */
    identityFile: z.union([text(), z.array(text())], must('a file name or a list of file names')).optional(),
    /** known_hosts file to check host keys against (default ~/.ssh/known_hosts). */
    knownHostsFile: text().optional(),
    /** OpenSSH client config to read Host aliases from (default ~/.ssh/config). */
    sshConfigFile: text().optional(),
    /** Use the ssh-agent at $SSH_AUTH_SOCK (default true). */
    useAgent: z.boolean(must('true or false')).optional(),
    /** Jump host(s), OpenSSH syntax: "[user@]host[:port][,...]". */
    proxyJump: text().optional(),
    /** Node.js on the node (default "node" on the login PATH). */
    nodePath: text().optional(),
    /** Where the agent is installed on the node (default "~/.mosixview"). */
    agentDir: text().optional(),
  },
  must('an object of SSH settings, like {"user": "admin", "port": 22}'),
);

export const profileSchema = z.strictObject(
  {
    name: text().nullish(),
    /** Path to the map file (hpc.map syntax), relative to the profile file. */
    map: text().optional(),
    /** The map inline, instead of a file. */
    mapText: text().optional(),
    /** Settings for every node. */
    ssh: sshSettingsSchema.optional(),
    /** Settings for single nodes, by node ID; they override "ssh". */
    nodes: z.record(z.string(), sshSettingsSchema.optional(), must('an object of settings by node ID, like {"3": {"port": 2222}}')).nullish(),
    /**
     * The cluster key the GUI installs on every node (agents accept nothing from a peer
     * without it). Default: next to the profile, NAME.cluster-key.
     */
    clusterKeyFile: text().optional(),
  },
  must('a JSON object, like {"map": "/etc/hpc.map"}'),
);

/** SSH and agent settings; every field is optional and falls back to ~/.ssh/config and defaults. */
export type SshSettings = z.infer<typeof sshSettingsSchema>;
export type ProfileFile = z.infer<typeof profileSchema>;

export const SSH_KEYS = Object.keys(sshSettingsSchema.shape) as (keyof SshSettings)[];
export const PROFILE_KEYS = Object.keys(profileSchema.shape) as (keyof ProfileFile)[];

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

function unknownKey(path: readonly PropertyKey[], k: string): string {
  if (path.length === 0) {
    return `unknown key "${k}": ${topKeyHint(k)} (keys are case-sensitive; a profile has ${PROFILE_KEYS.join(', ')})`;
  }
  return `${keyPath(path)}: unknown setting "${k}": ${whatToDo(k, SSH_KEYS)} (settings are case-sensitive; known: ${SSH_KEYS.join(', ')})`;
}

/** The profile with its types checked, or the lines saying what is wrong in `file`. */
export function checkProfile(data: unknown, file: string): { profile: ProfileFile } | { problems: string[] } {
  const r = profileSchema.safeParse(data);
  return r.success ? { profile: r.data } : { problems: describeIssues(file, data, r.error.issues, unknownKey) };
}
