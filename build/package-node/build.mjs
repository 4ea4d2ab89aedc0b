// `npm run package:node`: dist/packages/mosixview-agent_VERSION_all.deb, what a cluster node
// needs without the GUI: the agent (one file, Node.js built-ins only), the openMosix tools
// on PATH, systemd units for the agent and the collector, man pages, and /etc/mosixview/.
// Built with dpkg-deb alone (no debhelper), so it runs wherever the tests run.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');
const BUNDLE = join(ROOT, 'dist/agent/mosixview-agent.cjs');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const NAME = 'mosixview-agent';
const VERSION = pkg.version;
const MAINTAINER = `${pkg.author.name} <${pkg.author.email}>`;

/** What each tool is, for its man page's NAME line (the SYNOPSIS is the tool's own --help). */
export const TOOL_SUMMARY = {
  mosctl: 'control and query the node (openMosix mosctl)',
  setpe: "install or read the node's cluster map (openMosix setpe)",
  mosrun: 'start a job that may migrate (openMosix mosrun)',
  migrate: 'move, stop or check a job (openMosix migrate)',
  mps: 'list processes with the node each job runs on (openMosix mps)',
  mon: "watch the cluster's load in a terminal (openMosix mon)",
  mosixcollector: "record the cluster's history (openMosix mosixcollector)",
  nomig: 'run a job that never migrates (mosrun run mode)',
  runhome: 'run a job on its home node (mosrun run mode)',
  runon: 'run a job on a given node (mosrun run mode)',
  cpujob: 'run a CPU-bound job (mosrun run mode)',
  iojob: 'run an I/O-bound job (mosrun run mode)',
  nodecay: 'run a job without load decay (mosrun run mode)',
  slowdecay: 'run a job with slow load decay (mosrun run mode)',
  fastdecay: 'run a job with fast load decay (mosrun run mode)',
};

/** What a tool's --help cannot hold: sections of its own, as plain text (each string a paragraph). */
const TOOL_SECTIONS = {
  mosixcollector: {
    EXPORT: [
      'mosixcollector --export FROM TO prints every second the collector recorded from FROM to TO (both included) to stdout, exactly as stored: not resampled. It reads the history files of this node directly; no daemon is needed. The history windows of Mosixview write the same file (File, Export CSV... or Export JSON...).',
      'FROM and TO: 2026-11-29T14:00:00Z or 2026-11-29T14:00+01:00 (ISO 8601), "2026-11-29 14:00" or 2026-11-29 (this node\'s local time), 14:00 (today), today, yesterday, now, -1h, -30m, -1h30m, -2d (before now), or @SECONDS since 1970. A time that cannot be read is refused, naming it and the forms taken.',
      '--format csv (default): one row per recorded second and one column per node and metric. The header names each column: time (UTC) in ISO 8601, time (epoch ms), then e.g. node 2 (n2) load (%) or node 2 (n2) mem (kB). A node down or not recorded that second has an empty cell; a stretch with no record (the collector stopped, or a second it could not write) is one row of empty cells at its first missing second. In gnuplot: set datafile separator ","; plot "f.csv" using 2:3 with lines title columnheader.',
      '--format json: the same rows with what they are: family, range, nodes, columns (node, metric, unit) and rows of {time, t, values}, null for an empty cell.',
      '--nodes 1,2,...: these nodes, in this order (default: every node recorded up in the range). --history load (default: load in % of the node\'s CPUs), mem (mem, rmem, tmem in kB) or io (diskRead, diskWrite, netRx, netTx in bytes per second). --backup NAME: a saved history (mosixview-YYYYMMDD-HHMMSS) instead of the current one.',
      'Example: mosixcollector --export -1h now --nodes 1,2 > last-hour.csv',
    ],
  },
};

const roff = (s) => s.replace(/\\/g, '\\e').replace(/^([.'])/gm, '\\&$1').replace(/-/g, '\\-');

function manPage(tool, usage) {
  const date = new Date(Number(process.env.SOURCE_DATE_EPOCH ?? Date.now() / 1000) * 1000).toISOString().slice(0, 10);
  return [
    `.TH ${tool.toUpperCase()} 1 "${date}" "Mosixview ${VERSION}" "Mosixview"`,
    '.SH NAME',
    `${tool} \\- ${roff(TOOL_SUMMARY[tool])}`,
    '.SH SYNOPSIS',
    '.nf',
    roff(usage.replace(/^usage: /, '')),
    '.fi',
    '.SH DESCRIPTION',
    `.B ${tool}`,
    `talks to the node's Mosixview agent (the mosixview\\-agent service) over its socket in /var/lib/mosixview.`,
    `It keeps the name and meaning of the openMosix tool. \\fB${tool} \\-\\-help\\fR prints the synopsis, \\fB${tool} \\-\\-version\\fR the version.`,
    ...Object.entries(TOOL_SECTIONS[tool] ?? {}).flatMap(([title, paragraphs]) => [`.SH ${title}`, ...paragraphs.flatMap((p, i) => [...(i ? ['.PP'] : []), roff(p)])]),
    '.SH FILES',
    '.TP',
    '/etc/mosixview/hpc.map',
    "the node's cluster map, applied at every start of the agent (after editing it: systemctl restart mosixview\\-agent, or setpe \\-w \\-f /etc/mosixview/hpc.map)",
    '.TP',
    '/etc/mosixview/collector.json',
    "the collector's settings",
    '.SH SEE ALSO',
    Object.keys(TOOL_SUMMARY).filter((t) => t !== tool).map((t) => `.BR ${t} (1)`).join(',\n'),
    '',
  ].join('\n');
}

function write(path, text, mode = 0o644) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  chmodSync(path, mode);
}

/** `bundle`: the agent file to package (another build of it, for a test of a node whose agent differs from the GUI's). */
export function buildNodePackage(outDir = join(ROOT, 'dist/packages'), { bundle = BUNDLE } = {}) {
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run "node build/build.mjs" first`);
  const stage = join(outDir, `${NAME}_${VERSION}_all`);
  rmSync(stage, { recursive: true, force: true });
  const at = (p) => join(stage, p);

  write(at('usr/lib/mosixview/mosixview-agent.cjs'), readFileSync(bundle), 0o755);
  for (const tool of Object.keys(TOOL_SUMMARY)) {
    write(at(`usr/bin/${tool}`), `#!/bin/sh\n# ${tool}: ${TOOL_SUMMARY[tool]}, from the mosixview-agent package\nexec /usr/bin/node /usr/lib/mosixview/mosixview-agent.cjs ${tool} "$@"\n`, 0o755);
    const usage = execFileSync(process.execPath, [bundle, tool, '--help'], { encoding: 'utf8' }).trimEnd();
    write(at(`usr/share/man/man1/${tool}.1.gz`), gzipSync(manPage(tool, usage), { level: 9 }));
  }
  write(at('usr/lib/systemd/system/mosixview-agent.service'), readFileSync(join(ROOT, 'build/systemd/mosixview-agent.service')));
  write(at('usr/lib/systemd/system/mosixview-collector.service'), readFileSync(join(ROOT, 'build/package-node/mosixview-collector.service')));
  write(at('etc/mosixview/hpc.map'), readFileSync(join(ROOT, 'build/package-node/hpc.map')));
  write(at('etc/mosixview/collector.json'), readFileSync(join(ROOT, 'build/package-node/collector.json')));
  write(at(`usr/share/doc/${NAME}/copyright`), [
    'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
    'Upstream-Name: Mosixview',
    '',
    'Files: *',
    `Copyright: 2026 ${pkg.author.name}`,
    'License: GPL-2+',
    ' On Debian systems, the full text of the GNU General Public License version 2',
    ' can be found in the file /usr/share/common-licenses/GPL-2.',
    '',
  ].join('\n'));
  write(at(`usr/share/doc/${NAME}/changelog.gz`), gzipSync(
    `${NAME} (${VERSION}) unstable; urgency=medium\n\n  * Package of the Mosixview node agent and the openMosix tools.\n\n -- ${MAINTAINER}  ${new Date(Number(process.env.SOURCE_DATE_EPOCH ?? Date.now() / 1000) * 1000).toUTCString().replace('GMT', '+0000')}\n`,
    { level: 9 },
  ));

  const size = Number(execFileSync('du', ['-sk', '--exclude=DEBIAN', stage], { encoding: 'utf8' }).split('\t')[0]);
  write(at('DEBIAN/control'), [
    `Package: ${NAME}`,
    `Version: ${VERSION}`,
    'Architecture: all',
    `Maintainer: ${MAINTAINER}`,
    `Installed-Size: ${size}`,
    'Depends: nodejs (>= 18)',
    'Recommends: criu (>= 4)',
    'Section: admin',
    'Priority: optional',
    'Homepage: https://mosixview.org',
    'Description: Mosixview node agent and openMosix tools',
    ' The agent of a Mosixview cluster node: it samples the node, balances load',
    ' with its peers in the openMosix way, starts jobs (mosrun) and migrates them',
    ' live with CRIU, and can record the cluster history (mosixcollector). The',
    ' openMosix tools mosctl, setpe, mosrun, migrate, mps and mon talk to it.',
    ' It runs as a systemd service.',
    '',
  ].join('\n'));
  write(at('DEBIAN/conffiles'), '/etc/mosixview/collector.json\n/etc/mosixview/hpc.map\n');
  // The usual maintainer scripts of a package with services (as debhelper writes them).
  write(at('DEBIAN/postinst'), `#!/bin/sh
set -e
if [ "$1" = configure ] || [ "$1" = abort-upgrade ] || [ "$1" = abort-deconfigure ] || [ "$1" = abort-remove ]; then
\tif [ -d /run/systemd/system ]; then
\t\tsystemctl --system daemon-reload >/dev/null || true
\t\tdeb-systemd-helper unmask mosixview-agent.service >/dev/null || true
\t\tif deb-systemd-helper --quiet was-enabled mosixview-agent.service; then
\t\t\tdeb-systemd-helper enable mosixview-agent.service >/dev/null || true
\t\telse
\t\t\tdeb-systemd-helper update-state mosixview-agent.service >/dev/null || true
\t\tfi
\t\tdeb-systemd-invoke restart mosixview-agent.service >/dev/null || true
\tfi
fi
`, 0o755);
  write(at('DEBIAN/prerm'), `#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
\tdeb-systemd-invoke stop mosixview-collector.service mosixview-agent.service >/dev/null || true
fi
`, 0o755);
  write(at('DEBIAN/postrm'), `#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
\tsystemctl --system daemon-reload >/dev/null || true
fi
if [ "$1" = purge ]; then
\tif [ -x "/usr/bin/deb-systemd-helper" ]; then
\t\tdeb-systemd-helper purge mosixview-agent.service mosixview-collector.service >/dev/null || true
\tfi
\trm -rf /var/lib/mosixview
fi
`, 0o755);

  const files = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? files(join(d, f)) : [join(d, f)]));
  const sums = files(stage)
    .filter((f) => !relative(stage, f).startsWith('DEBIAN/') && !relative(stage, f).startsWith('etc/'))
    .map((f) => `${createHash('md5').update(readFileSync(f)).digest('hex')}  ${relative(stage, f)}`)
    .sort((a, b) => a.slice(34).localeCompare(b.slice(34)));
  write(at('DEBIAN/md5sums'), sums.join('\n') + '\n');

  const deb = join(outDir, `${NAME}_${VERSION}_all.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', stage, deb], { stdio: ['ignore', 'ignore', 'inherit'] });
  rmSync(stage, { recursive: true, force: true });
  return deb;
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  console.log(`built ${buildNodePackage()}`);
}
