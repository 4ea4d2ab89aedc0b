/**
 * The start-up section of docs/BENCHMARKS.md: runs e2e/bench/startup.ts for each cluster size
 * (one test cluster at a time: the machine holds one) and says which size could not be
 * measured and why, instead of dropping it.
 */
import { benchStartup, formatStartup, NODE_COUNTS, REPS, type StartupResult } from './startup.js';
import { machine, machineLine } from './report.js';

export const STARTUP_TITLE = 'Start to first complete main window, 16 and 64 nodes';

export async function startupSection(counts: number[] = NODE_COUNTS): Promise<string> {
  const m = machine();
  const results: StartupResult[] = [];
  const failed: string[] = [];
  for (const n of counts) {
    try {
      results.push(await benchStartup(n));
    } catch (e) {
      failed.push(`**${n} nodes could not be measured:** ${(e as Error).message.split('\n').slice(0, 6).join(' ')}`);
    }
  }
  const sizes = counts.join(' and ');
  return [
    `**Measured:** on test clusters of ${sizes} nodes, one after the other (network namespaces with real sshd, e2e/cluster/testCluster.ts),`,
    'from spawning the headless server (`node dist/electron/headless.cjs --no-open --profile P`) until Chromium shows',
    `every lamp as "Node N up" (role img) and every row's load progress bar has \`aria-valuenow\`, polled in the page every 20 ms.`,
    'Chromium is launched once per cluster and not counted; each run opens a fresh browser context with a blank page before spawning the server (not counted, as the Chromium launch),',
    'and every measurement starts only once the bench\'s Chromium is quiet (at most 10 ms of CPU in each of two 100 ms windows, at most 3 s: e2e/bench/chromiumQuiet.ts):',
    'Chromium went on working on a new page for some 0.4 s after it was "open", and on a closed one as long, which the app\'s runs and the fan-out after them paid for.',
    '',
    '- *cold*: before each cold run the agent daemons are stopped (`pkill` in each node), the installed agent',
    '  (the run\'s shared agentDir) and every node\'s state dir are deleted, and the GUI starts with an empty state of its own',
    '  (XDG_STATE_HOME: it remembers no daemon; until 2026-11-30 the cold runs used the machine\'s, and each node first tried',
    '  the socket of the daemon the run before had left), so the run includes the probe for Node.js,',
    '  the SFTP upload and starting every daemon; the first speed calibration starts when the GUI subscribes, in a process',
    '  of its own session at (autogroup) nice 19 while the row is already shown (speed provisional, agent/speed/speedWorker.ts).',
    '- *warm*: after the cold run: the agent is installed and the daemons the previous app left running',
    '  are reused, by a GUI that remembers where the cold run found them (a GUI restart).',
    '- The fan-out and the warm run start only once every node has finished the speed calibration the cold run started',
    '  (no `node - STATEDIR` left, e2e/bench/startupNodes.ts). Until 2026-11-30 they did not wait: the fan-out ran beside',
    '  16 calibrations at nice 19 and took 925-1000 ms against 776-795 ms without them, which made the cold ratio look',
    '  about 20 % better than it was (2.12x and 2.17x where it was 2.6x and 2.5x).',
    '',
    '**Baseline:** what one would do by hand, for each cluster its own: as many parallel system `ssh` as nodes (the cluster\'s key,',
    'known_hosts and empty config, as `sshExec` in e2e/cluster/nodeOps.ts) each running `cat /proc/loadavg /proc/meminfo >/dev/null && nproc`,',
    `timed until all have returned. Per cluster one untimed warm-up of both, then ${REPS} repetitions alternating`,
    'cold app, ssh fan-out, the reference below, warm app. All nodes and the client share the machine\'s CPUs, so the figures include CPU contention',
    'between the sshd sessions, the agents, the app and Chromium. Do not run it alongside `npm run test:e2e`: its global setup',
    'removes every test cluster on the machine.',
    '',
    '**Reference (what a cold start cannot go below here):** one more agent daemon (the installed agent, a state dir of its own in the',
    'node\'s private /tmp) started in every node at once through `nsenter`, with no SSH, GUI or browser, timed until each said',
    '`ready` on its descriptor, then stopped (e2e/bench/startupReferences.ts). On a real cluster each node starts its daemon on its',
    'own CPUs, beside nothing of the GUI\'s; here the nodes\' daemons share the 2 cores with the GUI, Chromium and every sshd, so a',
    'cold start pays for all of them one after the other. The fan-out plus this reference is about the CPU a cold start needs before',
    'the app does anything of its own: a handshake and a session per node, a Node.js daemon per node (the fan-out\'s part also has the',
    'OpenSSH clients, which the app replaces by its in-process SSH; the reference\'s, the `nsenter` and shell that start each daemon).',
    '',
    machineLine(m),
    '',
    ...(results.length ? [formatStartup(results), ''] : []),
    ...failed.flatMap((f) => [f, '']),
    'Reproduce (root, Linux): `npm run bench -- --only startup`, or `node build/build.mjs && npx tsx e2e/bench/startup.ts [--nodes 16,64]` to print the tables only.',
  ].join('\n');
}
