/** Command-line options of `npm start` / the Electron app / the headless mode (README "Options"). */
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { PKG_VERSION } from '../../shared/agentVersion.js';
import { clusterFromProfile, loadProfileFile, EMBEDDED_CLUSTER, ProfileError, type ClusterConfig, type SshSettings } from './profile.js';

export interface StartOptions {
  cluster: ClusterConfig;
  /** Headless mode: TCP port on 127.0.0.1 (0 = any free port). */
  listenPort: number;
  /** Headless mode: open Chromium in app mode on the URL. */
  open: boolean;
  help: boolean;
  version: boolean;
}

export const USAGE = `usage: npm start -- [options]
  (no options)            this machine alone, as node 1, served by a local agent
  --profile FILE          a cluster profile (JSON: map file + SSH settings per node)
  --map FILE              an openMosix map file (hpc.map syntax); SSH options below apply to all nodes
    --user NAME           SSH user (default: ~/.ssh/config, else your login name)
    --port N              SSH port (default 22)
    --identity FILE       private key (repeatable; default ~/.ssh/id_ed25519, id_ecdsa, id_rsa)
    --known-hosts FILE    known_hosts file (default ~/.ssh/known_hosts)
    --ssh-config FILE     OpenSSH client config (default ~/.ssh/config)
    --proxy-jump SPEC     jump host(s), as ssh -J
    --node-path PATH      Node.js on the nodes (default: node)
    --agent-dir DIR       where the agent is installed on the nodes (default ~/.mosixview)
    --no-agent            do not use the ssh-agent
  --cluster-key FILE      the cluster key installed on the nodes (created if missing;
                          default: NAME.cluster-key next to the profile, or ~/.config/mosixview/keys/)
  --listen PORT           headless mode: port on 127.0.0.1 (default: any free port)
  --no-open               headless mode: print the URL, do not open a browser
  --version               print the version
  -h, --help              print this help`;

export function parseStartOptions(argv: readonly string[], cwd = process.cwd()): StartOptions {
  const ssh: SshSettings = {};
  const identities: string[] = [];
  let profile: string | undefined;
  let map: string | undefined;
  let clusterKey: string | undefined;
  const out: StartOptions = { cluster: EMBEDDED_CLUSTER, listenPort: 0, open: true, help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ProfileError(`${arg} needs a value\n${USAGE}`);
      return v;
    };
    switch (arg) {
      case '--profile': profile = value(); break;
      case '--map': map = value(); break;
      case '--user': ssh.user = value(); break;
      case '--port': {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 1 || p > 65535) throw new ProfileError(`--port needs a TCP port number (1-65535)`);
        ssh.port = p;
        break;
      }
      case '--identity': identities.push(value()); break;
      case '--known-hosts': ssh.knownHostsFile = value(); break;
      case '--ssh-config': ssh.sshConfigFile = value(); break;
      case '--proxy-jump': ssh.proxyJump = value(); break;
      case '--node-path': ssh.nodePath = value(); break;
      case '--agent-dir': ssh.agentDir = value(); break;
      case '--no-agent': ssh.useAgent = false; break;
      case '--cluster-key': clusterKey = value(); break;
      case '--listen': {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 0 || p > 65535) throw new ProfileError(`--listen needs a port number (0-65535)`);
        out.listenPort = p;
        break;
      }
      case '--no-open': out.open = false; break;
      case '-h':
      case '--help': out.help = true; break;
      case '--version': out.version = true; break;
      default:
        throw new ProfileError(`unknown option "${arg}"\n${USAGE}`);
    }
  }
  if (identities.length) ssh.identityFile = identities;
  if (profile && map) throw new ProfileError('give either --profile or --map, not both');
  if (profile) out.cluster = loadProfileFile(profile);
  else if (map) {
    const keyFile = join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'mosixview', 'keys', `${basename(map)}.cluster-key`);
    out.cluster = clusterFromProfile({ map, ssh, name: map, clusterKeyFile: keyFile }, cwd, 'command line');
  } else if (Object.keys(ssh).length) {
    throw new ProfileError('SSH options need a cluster: add --map FILE or --profile FILE');
  } else if (clusterKey) {
    throw new ProfileError('--cluster-key needs a cluster: add --map FILE or --profile FILE');
  }
  if (clusterKey) out.cluster = { ...out.cluster, clusterKeyFile: clusterKey };
  return out;
}

/** What `--help` / `--version` print on stdout (then the app exits 0), or undefined to start. */
export function startInfo(o: StartOptions): string | undefined {
  if (o.help) return USAGE;
  if (o.version) return `mosixview ${PKG_VERSION}`;
  return undefined;
}
