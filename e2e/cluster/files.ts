/** The files of a run: keys, per-node sshd configs, known_hosts, map and profile. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { TestCluster, TestNode } from './types.js';
import { run } from './sys.js';

export const CRIU_PATH = '/opt/mosixview-criu/bin/criu';
export const SSHD = '/usr/sbin/sshd';

function sshdConfig(c: TestCluster, n: TestNode): string {
  return [
    `ListenAddress ${n.address}`,
    'Port 22',
    `HostKey ${n.dir}/host_ed25519`,
    `AuthorizedKeysFile ${c.authorizedKeysPath}`,
    `PidFile ${n.dir}/sshd.pid`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    'ClientAliveInterval 0',
    // Tests open many connections and channels at once; the defaults would drop some.
    'MaxStartups 100',
    'MaxSessions 100',
    'PrintMotd no',
    'Subsystem sftp internal-sftp',
    // All nodes share one filesystem, /tmp included: nothing there is node-local here.
    `SetEnv MOSIXVIEW_STATE_DIR=${n.stateDir} MOSIXVIEW_CRIU=${criuWrapper(c)} MOSIXVIEW_LOCAL_ROOTS=/proc:/sys MOSIXVIEW_JOBS_DIR=${c.dir}/jobs MOSIXVIEW_FAILPOINTS=1`,
    '',
  ].join('\n');
}

export const criuWrapper = (c: TestCluster): string => `${c.dir}/criu`;

/**
 * The nodes' CRIU: the real one, unless a test planted a fault for a node, a file in its
 * state dir: fault-restore (restore fails), fault-corrupt-dump (the dump succeeds but its
 * images are damaged on disk, as by a bad disk), fault-slow-restore (restore waits 5 s
 * first, so a test can cut a link or kill an agent mid-migration).
 */
function criuWrapperScript(): string {
  return `#!/bin/sh
cmd=$1
f="\${MOSIXVIEW_STATE_DIR:-/nonexistent}/fault"
if [ "$cmd" = restore ] && [ -e "$f-restore" ]; then echo "test fault: criu restore fails on this node" >&2; exit 1; fi
if [ "$cmd" = restore ] && [ -e "$f-slow-restore" ]; then sleep 5; fi
${CRIU_PATH} "$@"; rc=$?
if [ "$cmd" = dump ] && [ $rc = 0 ] && [ -e "$f-corrupt-dump" ]; then
  dir=; prev=; for a in "$@"; do [ "$prev" = -D ] && dir=$a; prev=$a; done
  for img in "$dir"/*.img; do
    [ -f "$img" ] && printf 'CORRUPTED-BY-TEST' | dd of="$img" bs=1 conv=notrunc 2>/dev/null
  done
fi
exit $rc
`;
}

const keygen = (path: string, comment: string): Promise<unknown> =>
  run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);

/** Keys, sshd configs (checked with sshd -t), known_hosts, map and profile. */
export async function writeFiles(c: TestCluster): Promise<void> {
  await keygen(c.clientKeyPath, `mosixview-test-${c.runId}`);
  writeFileSync(c.authorizedKeysPath, readFileSync(`${c.clientKeyPath}.pub`));
  writeFileSync(c.sshConfigPath, '');
  writeFileSync(c.emptyKnownHostsPath, '');
  writeFileSync(criuWrapper(c), criuWrapperScript(), { mode: 0o755 });
  mkdirSync(`${c.dir}/jobs`, { recursive: true });
  const known: string[] = [];
  for (const n of c.nodes) {
    mkdirSync(n.stateDir, { recursive: true });
    await keygen(`${n.dir}/host_ed25519`, n.hostname);
    const [type, key] = readFileSync(`${n.dir}/host_ed25519.pub`, 'utf8').trim().split(/\s+/);
    known.push(`${n.address} ${type} ${key}`);
    writeFileSync(n.sshdConfig, sshdConfig(c, n));
    try {
      await run(SSHD, ['-t', '-f', n.sshdConfig]);
    } catch (e) {
      throw new Error(`sshd rejects ${n.sshdConfig}: ${(e as Error).message}`);
    }
  }
  writeFileSync(c.knownHostsPath, `${known.join('\n')}\n`);
  writeFileSync(c.mapPath, `# Mosixview test cluster ${c.runId}\n1 ${c.nodes[0]?.address} ${c.nodes.length}\n`);
  const profile = {
    name: `test-${c.runId}`,
    map: 'hpc.map',
    ssh: {
      user: 'root',
      port: 22,
      identityFile: c.clientKeyPath,
      knownHostsFile: c.knownHostsPath,
      sshConfigFile: c.sshConfigPath,
      useAgent: false,
      agentDir: `${c.dir}/agent`,
    },
  };
  writeFileSync(c.profilePath, `${JSON.stringify(profile, null, 2)}\n`);
}

