/** The migration benchmark's section of docs/BENCHMARKS.md: the table and what it measured. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { benchMigration, REPS, type FreezePhases, type MigrationResult } from './migration.js';
import { machine, machineLine, median, ms, ratio } from './report.js';

const runs = (xs: number[]): string => `${ms(median(xs))} (${xs.map(ms).join(', ')})`;
const mib = (b: number): string => (b / 2 ** 20).toFixed(1);

export function formatMigration(res: MigrationResult): string {
  const lines = [
    '| job memory | MiB moved | Mosixview freeze | baseline dump | baseline restore | baseline freeze = total | freeze / baseline | Mosixview total (`migrate` on node 1) | total / baseline | over ssh: Mosixview | over ssh: baseline (2 ssh) | over ssh: ratio |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of res.sizes) {
    const base = r.dumpMs.map((d, i) => d + r.restoreMs[i]!);
    const b = median(base);
    lines.push(
      `| ${r.label} | ${mib(median(r.moved))} | ${runs(r.freezeMs)} | ${runs(r.dumpMs)} | ${runs(r.restoreMs)} | ${runs(base)} | ${ratio(median(r.freezeMs) / b)} | ${runs(r.cmdMs)} | ${ratio(median(r.cmdMs) / b)} | ${runs(r.totalMs)} | ${runs(r.baseTotalMs)} | ${ratio(median(r.totalMs) / median(r.baseTotalMs))} |`,
    );
  }
  lines.push(
    '',
    '**Where the freeze goes** (Mosixview, from the target\'s record of each migration, `lastMigration.phases`; medians, ms): *dump* = `criu dump` on node 1 while its memory streams to node 2\'s page server over TLS; *transfer tail* = sending the other images once the dump is done; *restore* = node 2\'s check of every image and `criu restore`; *commit* = the commit on node 2 (its log synced, the job resumed) as node 2 timed it; the rest of the freeze is the commit\'s round trip back to node 1.',
    '',
    '| job memory | way | freeze | dump | transfer tail | restore | commit | rest | baseline dump | baseline restore |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of res.sizes) {
    const ph = (k: keyof FreezePhases): number => median(r.phases.map((p) => p[k]));
    const rest = median(r.freezeMs.map((f, i) => f - r.phases[i]!.dumpMs - r.phases[i]!.sendMs - r.phases[i]!.restoreMs - r.phases[i]!.commitMs));
    lines.push(`| ${r.label} | ${[...new Set(r.path)].join(', ')} | ${ms(median(r.freezeMs))} | ${ms(ph('dumpMs'))} | ${ms(ph('sendMs'))} | ${ms(ph('restoreMs'))} | ${ms(ph('commitMs'))} | ${ms(rest)} | ${ms(median(r.dumpMs))} | ${ms(median(r.restoreMs))} |`);
  }
  lines.push('', 'Times in ms: the median of the repetitions, then the repetitions in the order they ran. MiB moved: median size of the images Mosixview sent.',
    `One \`ssh node1 true\` takes ${runs(res.sshLoginMs)} ms here (root's ~/.bashrc runs \`pyenv init\` at every login): the over-ssh columns carry one such login for Mosixview, two for the baseline.`);
  return lines.join('\n');
}

export const MIGRATION_TITLE = 'Live migration vs plain CRIU dump + restore';

/** The kernel's soft-dirty setting, which incremental pre-dump needs. */
function softDirtyConfig(): string {
  try {
    const cfg = gunzipSync(readFileSync('/proc/config.gz')).toString();
    return /^(# )?CONFIG_MEM_SOFT_DIRTY[ =].*$/m.exec(cfg)?.[0] ?? 'no CONFIG_MEM_SOFT_DIRTY line';
  } catch {
    return '/proc/config.gz not readable';
  }
}

/** The section body, for e2e/bench/run.ts. */
export async function migrationSection(): Promise<string> {
  const m = machine();
  const r = await benchMigration();
  const pre = r.preDump;
  const preText = pre.code === 0
    ? `\`criu check --feature mem_dirty_track\` on node 1 succeeds (\`${pre.output || 'no output'}\`), but this benchmark has no pre-dump measurement yet.`
    : `\`criu check --feature mem_dirty_track\` on node 1 exits ${pre.code}: \`${pre.output || 'no output'}\`. The kernel's config (/proc/config.gz) says \`${softDirtyConfig()}\`: without soft-dirty page tracking CRIU cannot pre-dump incrementally, so here the agent (like plain CRIU) freezes the job for its whole dump (and, for Mosixview, the transfer and restore): the 1 GiB row above is that freeze time. No pre-dump figure is given.`;
  return [
    `**Measured:** on a 2-node test cluster (e2e/cluster/testCluster.ts: network namespaces with real sshd, one machine, one disk), a job started with \`mosrun\` on node 1, \`node job.js SIZE\`:`,
    'a Buffer of SIZE bytes, filled, then every 100 ms one 4-byte write into one of 256 pages and its counter written to a file. It is moved with `migrate PID 2`, run over ssh on node 1.',
    '*Freeze* is what the tool prints: from the start of the CRIU dump on node 1 to the commit (agent/migrate/orchestrator.ts): `criu dump --page-server` on node 1 streams the memory pages as it dumps them over the agents\' TLS peer channel to `criu page-server` on node 2, which writes them into the migration\'s directory; then the other (small) images follow, node 2 checks that every byte arrived and restores, and the commit.',
    '*Mosixview total* is the wall time of the `migrate` command on node 1 (so also its checks, the commit and the tool\'s own start); *over ssh* is that of the whole `ssh node1 migrate PID 2` from the benchmark, ssh login included.',
    'After every move the job must count on node 2 with its memory intact (it checks the last value it wrote and 64 spots of the buffer) and run exactly once, or the run fails; it then moves home, untimed.',
    '',
    '**Baseline:** the same job started the same way without the agent (`unshare --pid --fork setsid sh -c ... node job.js SIZE` on node 1, as agent/jobs/spawnJob.ts does),',
    '`criu dump -t PID -D DIR --leave-stopped` on node 1 and `criu restore -D DIR -d` on node 2, with the agent\'s flags (`--manage-cgroups=ignore -v4`, log in DIR) and the same CRIU 4.1.1 (the nodes\' `$MOSIXVIEW_CRIU`), each timed on its node;',
    '*baseline freeze* = dump + restore. **The images stay on the shared local disk:** node 2 restores straight from the dump\'s directory, so the baseline copies nothing over the network, while Mosixview sends every byte over TLS and writes it again on the target.',
    'The baseline has no step outside its freeze (no checks, no copy), so its *total* is the same sum; its *over ssh* adds up the two ssh commands (dump on node 1, restore on node 2) timed from the benchmark: two ssh logins against Mosixview\'s one.',
    'The stopped source is then killed (untimed), the job checked the same way, and moved back with CRIU, untimed.',
    '',
    `${REPS} repetitions per size, Mosixview and baseline alternating (Mosixview first in odd repetitions, the baseline first in even ones).`,
    'The GUI (`node dist/electron/headless.cjs --no-open --profile P`) connected once before, so the agents have the cluster key and map (`mosctl status`: "peer channel listening"), and was then stopped.',
    'Automatic migration is off on both nodes (`mosctl stay`): otherwise the balancer moves the freshly arrived job on by itself (node 2 has one CPU), in the middle of a measurement.',
    'The machine has far more free RAM than the images, so image files are likely read back from the page cache. All nodes share the machine\'s CPUs (node 2 is pinned to one).',
    '',
    machineLine(m),
    '',
    formatMigration(r),
    '',
    `**Iterative pre-dump** (freeze time of the 1 GiB job while it keeps writing a little memory): ${preText}`,
    '',
    'Reproduce (root, Linux): `npm run bench -- --only migration`, or `node build/build.mjs && npx tsx e2e/bench/migration.ts` to print the table only.',
  ].join('\n');
}

