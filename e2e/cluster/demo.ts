/**
 * `npm run demo` (root, Linux): a 4-node test cluster and Mosixview on it, started the way
 * `npm start` starts it (Electron where its binary exists, else the headless mode in
 * Chromium). Ctrl-C, the app exiting, or any error takes the cluster down again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { downCluster, upCluster, type TestCluster } from './testCluster.js';

const NODES = 4;
const say = (s: string): void => {
  process.stderr.write(`demo: ${s}\n`);
};

function preflight(): void {
  if (process.platform !== 'linux') {
    say(`needs Linux (network namespaces); this is ${process.platform}.`);
    process.exit(2);
  }
  if (process.getuid?.() !== 0) {
    say('needs root: the test nodes are network namespaces with their own sshd. Try: sudo npm run demo');
    process.exit(2);
  }
  if (!existsSync('dist/electron/headless.cjs') || !existsSync('build/start.mjs')) {
    say('run from the repository root after "node build/build.mjs" (npm run demo does both).');
    process.exit(2);
  }
}

async function main(): Promise<number> {
  preflight();
  let cluster: TestCluster | undefined;
  let app: ChildProcess | undefined;
  let stopping = false;
  const setup = new AbortController();
  // The terminal sends Ctrl-C to the app too (same process group), so on SIGINT we mostly
  // wait for it to exit; other signals are forwarded. A second signal kills it outright.
  const onSignal = (sig: NodeJS.Signals): void => {
    if (!app) {
      say(`${sig}: aborting the cluster setup`);
      setup.abort();
      return;
    }
    if (stopping) {
      app.kill('SIGKILL');
      return;
    }
    stopping = true;
    say(`${sig}: stopping the app, then removing the cluster`);
    if (sig !== 'SIGINT') app.kill(sig);
    setTimeout(() => app?.kill('SIGTERM'), 500).unref();
    setTimeout(() => app?.kill('SIGKILL'), 8000).unref();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  try {
    say(`bringing up ${NODES} test nodes (network namespaces with sshd)...`);
    cluster = await upCluster({ nodes: NODES, log: say, signal: setup.signal });
    const c = cluster;
    say(`cluster ${c.runId} is up on ${c.subnet} (bridge ${c.bridge}):`);
    for (const n of c.nodes) {
      say(`  node ${n.id}  ${n.hostname}  ${n.address}  ${n.expectedCpus} CPU(s)${n.pinnedCpu === null ? '' : ` pinned to CPU ${n.pinnedCpu}`}`);
    }
    say(`profile ${c.profilePath} (map ${c.mapPath}, key ${c.clientKeyPath}, known_hosts ${c.knownHostsPath})`);
    say(`starting: node build/start.mjs --profile ${c.profilePath}`);
    say('press Ctrl-C (or quit the app) to stop it and remove the cluster');
    const child = spawn(process.execPath, ['build/start.mjs', '--profile', c.profilePath], { stdio: 'inherit' });
    app = child;
    const code = await new Promise<number>((resolve) => {
      child.once('error', (e) => {
        say(`the app did not start: ${e.message}`);
        resolve(1);
      });
      child.once('exit', (c2, sig) => resolve(sig ? 0 : (c2 ?? 1)));
    });
    say(stopping ? 'app stopped' : `app exited (${code})`);
    return stopping ? 0 : code;
  } catch (e) {
    say(`failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    // Ctrl-C during teardown must not leave half a cluster either: ignore it until done.
    for (const s of signals) process.off(s, onSignal);
    for (const s of signals) process.on(s, () => say('still removing the cluster, please wait'));
    if (app && app.exitCode === null && app.signalCode === null) app.kill('SIGKILL');
    if (cluster) {
      say(`removing cluster ${cluster.runId}...`);
      await downCluster(cluster, say).catch((e: unknown) => {
        say(`removal failed (${e instanceof Error ? e.message : String(e)}); run: npm run cluster:down -- --all`);
      });
    }
  }
}

main().then((code) => process.exit(code));
