/**
 * The whole migration for real on this machine: two "nodes" in this process, each with its
 * own state directory, JobsService and migration parts, talking over the real peer channel
 * (TLS with a cluster key, on 127.0.0.1 and 127.0.0.2), with real CRIU. The job's memory is
 * streamed to the target's page server as it is dumped. Needs root and CRIU >= 4.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MapNode } from '../../shared/hpcMap.js';
import { jobKey } from '../../shared/domain/process.js';
import { JobsService } from '../jobs/jobsService.js';
import { PeerNet } from '../peer/peerNet.js';
import { deriveKey } from '../peer/clusterSecrets.js';
import { migrationParts, type MigrationParts } from './migrationParts.js';
import { realClock } from './realClock.js';
import { testPort } from '../peer/testPort.test-util.js';

const CRIU = process.env.MOSIXVIEW_CRIU || '/opt/mosixview-criu/bin/criu';
if (process.getuid?.() !== 0 || !existsSync(CRIU)) {
  throw new Error(`these tests need root and CRIU 4 at ${CRIU}: run "npm test" as root (it installs CRIU), or "sudo bash e2e/setup/install-prereqs.sh"`);
}
const root = mkdtempSync(join(tmpdir(), 'mvmig-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const key = randomBytes(32);
const port = testPort();
const map: MapNode[] = [
  { id: 1, host: '127.0.0.1', aliases: [], line: 1 },
  { id: 2, host: '127.0.0.2', aliases: [], line: 2 },
];
const JOB = `const fs = require('fs'); let n = 0; const big = Buffer.alloc(64 * 1024 * 1024, 7);
setInterval(() => { n++; if (big[(n * 4096) % big.length] !== 7) process.exit(9); console.log(n); }, 50);`;
writeFileSync(join(root, 'job.js'), JOB);

interface Node {
  jobs: JobsService;
  parts: MigrationParts;
  net: PeerNet;
}
const logs: string[] = [];

async function node(id: number): Promise<Node> {
  const stateDir = join(root, `n${id}`);
  // Two "nodes" on one machine see every file alike: said, since the agent no longer assumes "/".
  const env = { MOSIXVIEW_CRIU: CRIU, MOSIXVIEW_NODE_ID: String(id), MOSIXVIEW_JOBS_DIR: join(root, 'jobs'), MOSIXVIEW_LOCAL_ROOTS: '/proc:/sys', MOSIXVIEW_SHARED_ROOTS: '/' };
  const jobs = new JobsService({ stateDir, env });
  let net: PeerNet | undefined;
  const parts = migrationParts({
    jobs, stateDir, clock: realClock, link: () => net, blocksGuests: () => false, bestNode: () => undefined,
    log: (m) => logs.push(`node ${id}: ${m}`),
  });
  net = new PeerNet({
    selfId: id, nodes: map, key: deriveKey(key, 'peer-tls'), port,
    handlers: parts.peerHandlers,
    transferDir: (h) => parts.target.transferDir(h.transfer),
    onPages: (h, ch) => parts.target.acceptPages(h.pages, h.from, ch),
  });
  await net.start();
  parts.recover();
  return { jobs, parts, net };
}

const nodes: Node[] = [];
afterAll(async () => {
  for (const n of nodes) {
    for (const r of n.jobs.registry.list()) if (r.pid && r.where === 0) n.jobs.host.signal([r.pid], 'SIGKILL');
    n.net.stop();
  }
  await sleep(200);
  rmSync(root, { recursive: true, force: true });
});

const running = (n: Node, k: string) => {
  const r = n.jobs.registry.get(k);
  return r?.where === 0 && r.pid ? n.jobs.host.alive(r.pid, r.pidStart) && !n.jobs.host.stopped([r.pid]).length : false;
};
const printed = (dir: string) => readFileSync(join(dir, 'stdout'), 'utf8').trim().split('\n').map(Number);

describe('a migration for real: CRIU, the peer channel, the memory streamed', () => {
  it('moves a job of 64 MiB to the other node, which counts on from where it stopped, exactly once', async () => {
    nodes.push(await node(1), await node(2));
    const [n1, n2] = nodes as [Node, Node];
    const [r] = await n1.jobs.start({ argv: [process.execPath, join(root, 'job.js')], cwd: root, mode: { kind: 'plain' } });
    const k = jobKey(r!.ref);
    while (!existsSync(join(r!.dir, 'stdout')) || printed(r!.dir).length < 5) await sleep(50);
    const moved = await n1.parts.orch.migrate({ ref: r!.ref }, 2);
    expect(moved).toMatchObject({ where: 2, state: 'away' });
    expect(running(n2, k)).toBe(true);
    expect(running(n1, k)).toBe(false);
    expect(n1.jobs.job(k)).toMatchObject({ state: 'away', where: 2 });
    const m = n2.jobs.job(k).lastMigration!;
    // Everything that moved: the memory (streamed) and the other images (sent after the dump).
    expect(m.bytes).toBeGreaterThan(64 * 1024 * 1024);
    // The pages never touched the source's disk; they arrived in the target's page images.
    expect(readdirSync(join(root, 'n1', 'outgoing')).length).toBe(0);
    const before = printed(r!.dir).length;
    await sleep(500);
    const seq = printed(r!.dir);
    expect(seq.length).toBeGreaterThan(before);
    // One instance, continuous: every number once, in order, across the move.
    expect(seq).toEqual(seq.map((_, i) => i + 1));
  }, 60_000);

  it('and back home again, the same way', async () => {
    const [n1, n2] = nodes as [Node, Node];
    const k = n2.jobs.registry.list().find((r) => r.where === 0)!;
    await n2.parts.orch.migrate({ ref: k.ref }, 'home');
    expect(running(n1, jobKey(k.ref))).toBe(true);
    await sleep(300);
    const seq = printed(k.dir);
    expect(seq).toEqual(seq.map((_, i) => i + 1));
    expect(logs.filter((l) => /error|fail/i.test(l))).toEqual([]);
  }, 60_000);
});
