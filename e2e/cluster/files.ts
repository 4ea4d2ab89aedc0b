/** The files of a run: keys, per-node sshd configs, known_hosts, map and profile. */
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { NODE_STATE_DIR, type TestCluster, type TestNode, type TestUser } from './types.js';
import { run } from './sys.js';

export const CRIU_PATH = '/opt/mosixview-criu/bin/criu';
export const SSHD = '/usr/sbin/sshd';

/** The cluster's non-root users (a cluster file of an older run may lack the second). */
export const testUsers = (c: TestCluster): TestUser[] => [c.user, ...(c.user2 ? [c.user2] : [])];

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
    `AllowUsers root ${testUsers(c).map((u) => u.name).join(' ')}`,
    'ClientAliveInterval 0',
    // Tests open many channels over one connection. MaxStartups stays at OpenSSH's default
    // (10:30:100), as on a real node: the GUI bounds its concurrent handshakes below it.
    'MaxSessions 100',
    'PrintMotd no',
    'Subsystem sftp internal-sftp',
    // Failpoints only: the migration fault matrix holds agents at chosen moments (inert otherwise).
    'SetEnv MOSIXVIEW_FAILPOINTS=1',
    '',
  ].join('\n');
}

/**
 * What a node mounts in its own mount namespace before it starts sshd, so that it is as
 * unkind as a real node: /tmp and /var/tmp of its own (tmpfs), /var/lib of its own (the
 * agent's state, /var/lib/mosixview, is node-local), shared homes (/root, /home: the run's
 * home directories), the test CRIU as `criu` on PATH (/usr/local/sbin), and a passwd that
 * knows the test user. The checkout the tests run from stays reachable at its own path
 * (a CI clone may live under a directory a node hides).
 */
export function nodeInitScript(c: TestCluster, n: TestNode, repo: string): string {
  const hides = ['/tmp', '/var/tmp', '/var/lib', '/root', '/home', '/usr/local/sbin'];
  const hidden = hides.some((h) => repo === h || repo.startsWith(`${h}/`));
  return [
    'set -e',
    `hostname ${n.hostname}`,
    ...(hidden ? [`mount --bind ${repo} /mnt`] : []),
    ...(n.ownSystem ? ownSystemMounts(n) : []),
    'mount -t tmpfs -o mode=1777,size=1g mvt-tmp /tmp',
    'mount -t tmpfs -o mode=1777,size=256m mvt-vartmp /var/tmp',
    n.ownSystem
      ? `mkdir -p ${NODE_STATE_DIR} && mount --bind ${n.stateDir} ${NODE_STATE_DIR}`
      : `mount --bind ${n.dir}/varlib /var/lib`,
    `mount --bind ${c.rootHome} /root`,
    `mount --bind ${c.dir}/home/users /home`,
    `mount --bind ${c.dir}/sbin /usr/local/sbin`,
    `mount --bind ${c.dir}/etc/passwd /etc/passwd`,
    `mount --bind ${c.dir}/etc/group /etc/group`,
    ...(hidden ? [`mkdir -p ${repo}`, `mount --move /mnt ${repo}`] : []),
    `exec ${SSHD} -D -f ${n.sshdConfig} -E ${n.sshdLog}`,
  ].join('\n');
}

/**
 * A node with a system of its own (TestNode.ownSystem): /usr, /etc and /var become overlays,
 * the machine's tree below and the node's changes on a tmpfs mounted in the node's own mount
 * namespace, so they vanish with the node and the machine never sees them (a package installed
 * there, its dpkg database, dpkg.log, man-db's cache). The mounts that follow (the state dir,
 * passwd, the CRIU wrapper) go on top as on every node. systemd's runtime directory is hidden:
 * systemd is not PID 1 in a node, and maintainer scripts must not reach the machine's.
 */
function ownSystemMounts(n: TestNode): string[] {
  const top = `${n.dir}/system`;
  return [
    `mount -t tmpfs -o mode=0755,size=512m mvt-system ${top}`,
    ...['usr', 'etc', 'var'].flatMap((d) => [
      `mkdir -p ${top}/${d} ${top}/${d}.work`,
      `mount -t overlay mvt-${d} -o lowerdir=/${d},upperdir=${top}/${d},workdir=${top}/${d}.work /${d}`,
    ]),
    'if [ -d /run/systemd ]; then mount -t tmpfs -o mode=0755,size=1m mvt-nosystemd /run/systemd; fi',
  ];
}

/** The nodes' `criu` on PATH (their /usr/local/sbin), seen from the machine. */
export const criuWrapper = (c: TestCluster): string => `${c.dir}/sbin/criu`;

/**
 * The nodes' CRIU: the real one (unpacked in a private prefix), unless a test planted a
 * fault for a node, a file in its state dir (/var/lib/mosixview inside it): fault-restore
 * (restore fails), fault-corrupt-dump (the dump succeeds but its images are damaged on disk,
 * as by a bad disk), fault-slow-restore (restore waits 5 s first).
 */
function criuWrapperScript(): string {
  return `#!/bin/sh
cmd=$1
f=/var/lib/mosixview/fault
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
  for (const d of ['sbin', 'etc', 'home/users']) mkdirSync(`${c.dir}/${d}`, { recursive: true });
  mkdirSync(c.rootHome, { recursive: true, mode: 0o700 });
  for (const u of testUsers(c)) {
    mkdirSync(u.home, { recursive: true });
    chownSync(u.home, u.uid, u.uid);
  }
  writeFileSync(criuWrapper(c), criuWrapperScript(), { mode: 0o755 });
  const passwd = testUsers(c).map((u) => `${u.name}:x:${u.uid}:${u.uid}:Mosixview test user:/home/${u.name}:/bin/sh\n`).join('');
  const group = testUsers(c).map((u) => `${u.name}:x:${u.uid}:\n`).join('');
  writeFileSync(`${c.dir}/etc/passwd`, `${readFileSync('/etc/passwd', 'utf8').trimEnd()}\n${passwd}`);
  writeFileSync(`${c.dir}/etc/group`, `${readFileSync('/etc/group', 'utf8').trimEnd()}\n${group}`);
  // The jobs' working directories live on the shared file system, where every user may write.
  mkdirSync(`${c.dir}/shared`, { recursive: true, mode: 0o1777 });
  chmodSync(`${c.dir}/shared`, 0o1777);
  const known: string[] = [];
  for (const n of c.nodes) {
    // A node's /var/lib, as on a real one: every user passes through it to the agent's socket.
    mkdirSync(`${n.dir}/varlib`, { recursive: true, mode: 0o755 });
    chmodSync(`${n.dir}/varlib`, 0o755);
    mkdirSync(n.stateDir, { recursive: true, mode: 0o700 });
    if (n.ownSystem) mkdirSync(`${n.dir}/system`);
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

