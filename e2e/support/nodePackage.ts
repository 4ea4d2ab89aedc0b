/**
 * The node package on the test cluster: built from another build of the agent (so its version
 * differs from the GUI's, as on a cluster whose GUI was upgraded first), installed with dpkg
 * in a node with a system of its own (TestNode.ownSystem), and started as systemd would start
 * its unit; and a fingerprint of what an install would change on the machine itself.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildNodePackage } from '../../build/package-node/build.mjs';
import { inNode, type TestCluster } from '../cluster/testCluster.js';
import { on } from './jobs.js';

/** A missing tool fails the test with what to install: never a skip. */
export function needTools(tools: Record<string, string>): void {
  const missing = Object.entries(tools).filter(([t]) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
  if (missing.length > 0) {
    throw new Error(`the node-package test needs ${missing.map(([t, p]) => `${t} (apt-get install ${p})`).join(', ')}: e2e/setup/install-prereqs.sh installs them, as root`);
  }
}

export interface BuiltPackage {
  deb: string;
  /** The packaged agent's version (`mosixview-agent --version`). */
  version: string;
  /** Every path the package installs, absolute (its directories too). */
  paths: string[];
}

/** Builds the package into the run's shared directory (the nodes see it), from a copy of the agent with one more line. */
export function buildTestPackage(c: TestCluster): BuiltPackage {
  const dir = `${c.dir}/package`;
  mkdirSync(dir, { recursive: true });
  const bundle = `${dir}/mosixview-agent.cjs`;
  copyFileSync(resolve('dist/agent/mosixview-agent.cjs'), bundle);
  execFileSync('sh', ['-c', `printf '\\n// packaged build (nodePackage.spec): another version than the GUI carries\\n' >> ${bundle}`]);
  const deb = buildNodePackage(dir, { bundle });
  const version = execFileSync(process.execPath, [bundle, '--version'], { encoding: 'utf8' }).trim();
  const paths = execFileSync('dpkg-deb', ['-c', deb], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.split(/\s+/).slice(5).join(' ').replace(/^\./, '').replace(/\/$/, ''))
    .filter((p) => p !== '');
  return { deb, version, paths };
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * What installing the package would change on the machine: each path it installs (absent, or
 * its kind, size, mode and mtime: a directory gaining a file changes its mtime), dpkg's database
 * (status file and info directory) and dpkg's log.
 */
export function hostFingerprint(paths: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of [...paths, '/var/log/dpkg.log']) {
    try {
      const s = lstatSync(p);
      out[p] = `${s.isDirectory() ? 'dir' : 'file'} size ${s.size} mode ${s.mode.toString(8)} mtime ${s.mtimeMs}`;
    } catch {
      out[p] = 'absent';
    }
  }
  out['/var/lib/dpkg/status'] = sha('/var/lib/dpkg/status');
  out['/var/lib/dpkg/info'] = createHash('sha256').update(readdirSync('/var/lib/dpkg/info').sort().join('\n')).digest('hex');
  out['dpkg -s mosixview-agent'] = spawnSync('dpkg', ['-s', 'mosixview-agent'], { encoding: 'utf8' }).stdout;
  return out;
}

/** One line of a unit's [Service] section, e.g. ExecStart. */
export function unitSetting(unit: string, key: string): string | undefined {
  return unit.split('\n').find((l) => l.startsWith(`${key}=`))?.slice(key.length + 1).trim();
}

export interface ServiceRun {
  /** The unit's ExecStart, as run. */
  argv: string[];
  invocationId: string;
  log: string;
}

/**
 * Runs the installed unit's ExecStart inside the node as systemd would (systemd is not PID 1 in
 * a test node): its StateDirectory= created with StateDirectoryMode=, working directory /, and
 * the environment systemd.exec(5) gives a system service: PATH, INVOCATION_ID (what tells the
 * agent it is the service) and STATE_DIRECTORY; nothing inherited from this test.
 */
export async function startAsSystemdWould(c: TestCluster, nodeId: number, unitName: string): Promise<ServiceRun> {
  const unit = await on(c, nodeId, `cat /usr/lib/systemd/system/${unitName}`);
  const exec = unitSetting(unit, 'ExecStart');
  if (!exec || /["'\\$%]/.test(exec)) throw new Error(`${unitName}: an ExecStart this test can run without systemd's quoting rules, got ${JSON.stringify(exec)}`);
  const stateDir = `/var/lib/${unitSetting(unit, 'StateDirectory') ?? ''}`;
  await on(c, nodeId, `install -d -m ${unitSetting(unit, 'StateDirectoryMode') ?? '0755'} ${stateDir}`);
  const argv = exec.split(/\s+/);
  const invocationId = randomBytes(16).toString('hex');
  const log = `${c.dir}/n${nodeId}/${unitName}.log`;
  const out = openSync(log, 'a');
  const env = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin', `INVOCATION_ID=${invocationId}`, `STATE_DIRECTORY=${stateDir}`, 'LANG=C.UTF-8'];
  const prefix = inNode(c, nodeId);
  const child = spawn(prefix[0]!, [...prefix.slice(1), 'env', '-i', '-C', '/', ...env, ...argv], { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  const pidFile = `${c.nodes.find((n) => n.id === nodeId)!.stateDir}/agent.pid`;
  for (let i = 0; i < 300 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
  if (!existsSync(pidFile)) throw new Error(`${unitName} did not start in node ${nodeId} within 30 s: ${readFileSync(log, 'utf8')}`);
  return { argv, invocationId, log };
}

/** The agent's own record of itself (its pid file in the node's state dir): node-local PID, version, supervisor. */
export function daemonInfo(c: TestCluster, nodeId: number): { pid: number; version: string; supervisor?: string } {
  return JSON.parse(readFileSync(`${c.nodes.find((n) => n.id === nodeId)!.stateDir}/agent.pid`, 'utf8')) as { pid: number; version: string; supervisor?: string };
}

/** Command lines of every agent daemon in the node (its network namespace), seen from the machine. */
export function daemonsIn(c: TestCluster, nodeId: number): string[] {
  const ino = statSync(`/run/netns/${c.nodes.find((n) => n.id === nodeId)!.netns}`).ino;
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      // node itself: the nsenter that started it (into the node) carries the same words.
      if (!cmd[0]?.endsWith('/node') || !cmd.some((a) => a.endsWith('mosixview-agent.cjs')) || !cmd.includes('daemon')) continue;
      if (statSync(`/proc/${pid}/ns/net`).ino === ino) out.push(cmd.join(' '));
    } catch {
      /* gone */
    }
  }
  return out;
}
