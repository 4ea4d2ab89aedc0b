/**
 * Test cluster CLI (needs root):
 *   tsx e2e/cluster/cli.ts up N [--json]   start N nodes; prints RUN_ID=, PROFILE=, DIR= (eval-able)
 *   tsx e2e/cluster/cli.ts down RUNID      remove one run
 *   tsx e2e/cluster/cli.ts down --all      remove every run, also half-built ones
 *   tsx e2e/cluster/cli.ts list            show runs on this machine
 * Progress goes to stderr so stdout stays machine-readable.
 */
import { downAll, downCluster, listRunIds, readClusterFile, upCluster } from './testCluster.js';
import { cmdlineOf } from './sys.js';

const log = (s: string): void => {
  process.stderr.write(`cluster: ${s}\n`);
};

function usage(): never {
  process.stderr.write('usage: cli.ts up N [--json] | down RUNID... | down --all | list\n');
  process.exit(2);
}

async function up(args: string[]): Promise<void> {
  const n = Number(args[0]);
  if (!args[0] || !Number.isInteger(n)) usage();
  // Ctrl-C during setup must not leave half a cluster: abort lets upCluster clean up first.
  const ac = new AbortController();
  const onSignal = (): void => {
    log('interrupted; removing what was created');
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  const c = await upCluster({ nodes: n, log, signal: ac.signal });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('SIGHUP', onSignal);
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
  } else {
    process.stdout.write(`RUN_ID=${c.runId}\nPROFILE=${c.profilePath}\nDIR=${c.dir}\n`);
    for (const node of c.nodes) {
      log(`node ${node.id}: ${node.hostname} ${node.address} cpus=${node.expectedCpus} pid=${node.pid}`);
    }
    log(`remove with: npm run cluster:down -- ${c.runId}`);
  }
}

function list(): void {
  const ids = listRunIds();
  if (ids.length === 0) {
    process.stdout.write('no test clusters\n');
    return;
  }
  for (const id of ids) {
    const c = readClusterFile(id);
    if (!c) {
      process.stdout.write(`${id}  (no cluster.json: half-built or half-removed; use down ${id})\n`);
      continue;
    }
    const alive = c.nodes.filter((n) => n.pid > 0 && cmdlineOf(n.pid)?.includes(n.sshdConfig)).length;
    process.stdout.write(
      `${id}  ${c.subnet}  nodes ${alive}/${c.nodes.length} running  created ${c.createdAt}  ${c.profilePath}\n`,
    );
  }
}

async function main(): Promise<void> {
  const [cmd, ...args] = process.argv.slice(2);
  if (cmd === 'up') await up(args);
  else if (cmd === 'down') {
    if (args.length === 0) usage();
    if (args.includes('--all')) {
      const ids = await downAll(log);
      log(ids.length ? `removed ${ids.join(', ')}` : 'nothing to remove');
    } else {
      for (const id of args) await downCluster(id, log);
    }
  } else if (cmd === 'list') list();
  else usage();
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`cluster: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
