/**
 * Peer requests are checked at the edge, as the daemon's clients' are: a peer (with the
 * cluster key) that sends a bad request gets EINVAL naming the field, the handler never runs,
 * and the agent keeps serving.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PeerService } from './peerService.js';
import { PeerNet } from './peerNet.js';
import { deriveKey } from './clusterSecrets.js';
import type { JobRecord } from '../../shared/jobs/job.js';
import { testPort } from './testPort.test-util.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

const JOB: JobRecord = {
  ref: { home: 2, id: 100 }, argv: ['sleep', '60'], cwd: '/home/u', mode: { kind: 'plain' }, dir: '/jobs/2.100',
  startedAt: 1_700_000_000_000, state: 'frozen', where: 0, pid: 4242, pidStart: 123456, locked: false, migrations: 1,
  lastMigration: { from: 1, to: 2, freezeMs: 812.5, bytes: 1 << 20, at: 1_700_000_000_500 },
  frozenBy: 'checkpoint', moving: { id: '2.100-2-1700000001000', from: 2, to: 1 }, stateBeforeFreeze: 'running',
};

/** Node 1: a PeerService as the daemon runs it; node 2: a bare peer channel with the same key. */
async function cluster(calls: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'mv-peerval-'));
  const port = testPort();
  const keyHex = randomBytes(32).toString('hex');
  const svc = new PeerService(dir, 'test', { MOSIXVIEW_PEER_PORT: String(port) });
  svc.declareFeatures([
    {
      name: 'fake',
      peerHandlers: {
        'mig.renice': ({ nice }) => (calls.push(`renice ${nice}`), null),
        'balance.arriving': ({ job }) => (calls.push(`arriving ${job}`), null),
        'mig.begin': ({ id }) => (calls.push(`begin ${id}`), null),
        'jobs.ended': ({ state }) => (calls.push(`ended ${state}`), null),
      },
    },
  ]);
  const nodes = [
    { id: 1, host: '127.0.0.1', aliases: [], line: 1 },
    { id: 2, host: '127.0.0.2', aliases: [], line: 2 },
  ];
  await svc.configure({ keyHex, mapText: nodes.map((n) => `${n.id} ${n.host} 1`).join('\n') + '\n', nodeId: 1 });
  const peer = new PeerNet({ selfId: 2, nodes, key: deriveKey(Buffer.from(keyHex, 'hex'), 'peer-tls'), port, handlers: {}, transferDir: () => '/nonexistent' });
  await peer.start();
  cleanups.push(() => {
    peer.stop();
    svc.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return peer;
}

describe('peer requests are validated in the peer channel dispatch', () => {
  it('a bad request is EINVAL naming the field; the handler never sees it; the agent keeps serving', async () => {
    const calls: string[] = [];
    const peer = await cluster(calls);
    const refused = (method: string, params: unknown) => peer.request(1, method as 'mig.renice', params as never, 5000).then(() => undefined, (e: { code: string; message: string }) => `${e.code} ${e.message}`);

    expect(await refused('mig.renice', { ref: { home: 1, id: 5 }, nice: 20 })).toBe('EINVAL nice: expected a whole number from -20 to 19, got 20');
    expect(await refused('balance.arriving', { job: '../x' })).toBe('EINVAL job: expected a job key "HOME.ID" (e.g. "1.496"), got "../x"');
    expect(await refused('jobs.ended', { ref: { home: 1, id: 5 }, on: 2, state: 'running' })).toBe('EINVAL state: expected an end state: "exited", "killed" or "lost", got "running"');
    expect(await refused('mig.begin', { id: '../../etc', job: JOB })).toMatch(/^EINVAL id: expected a migration id .*got "..\/..\/etc"$/);
    expect(await refused('mig.begin', { id: 'm1', job: { ...JOB, shell: 'root' } })).toBe('EINVAL job.shell: unknown field: send only ref, owner, argv, cwd, mode, dir, startedAt, state, where, pid, pidStart, locked, migrations, lastMigration, exitStatus, startError, targets, frozenBy, moving, stateBeforeFreeze, note, pendingCommit');
    // The owner travels with the job: a uid the kernel would take as "no change" never does.
    expect(await refused('mig.begin', { id: 'm1', job: { ...JOB, owner: { uid: 4294967295, user: 'x' } } })).toBe('EINVAL job.owner.uid: expected a user ID (a whole number from 0 to 4294967294), got 4294967295');
    expect(await refused('mig.begin', { id: 'm1', job: { ...JOB, state: 'zombie' } })).toMatch(/^EINVAL job.state: expected one of "running", .*got "zombie"$/);
    expect(await refused('mig.begin', { id: 'm1', job: { ...JOB, lastMigration: { ...JOB.lastMigration, bytes: -1 } } })).toBe('EINVAL job.lastMigration.bytes: expected a whole number from 0, got -1');
    expect(await refused('mig.begin', { id: 'm1', job: { ...JOB, cwd: 'relative' } })).toMatch(/^EINVAL job.cwd: expected an absolute path/);
    expect(calls).toEqual([]);

    // The same channel, and the agent, still serve; a whole record as a source sends it passes.
    await expect(peer.request(1, 'mig.renice', { ref: { home: 1, id: 5 }, nice: 19 })).resolves.toBeNull();
    await expect(peer.request(1, 'mig.begin', { id: JOB.moving!.id, job: JOB })).resolves.toBeNull();
    await expect(peer.request(1, 'balance.arriving', { job: '2.100' })).resolves.toBeNull();
    await expect(peer.request(1, 'peer.hello', { from: 2, version: 'x' })).resolves.toEqual({ nodeId: 1, version: 'test' });
    expect(calls).toEqual(['renice 19', `begin ${JOB.moving!.id}`, 'arriving 2.100']);
  });
});
