/**
 * The target's half of a migration whose memory streams (agent/jobs/pageChannel.ts): page
 * channels and transfers named after them ("<id>--final", "<id>--preN") land in their part of
 * the migration's directory, only while it waits for them; the restore runs only when every
 * byte the source sent through each channel arrived. The source is the test.
 */
import { describe, expect, it } from 'vitest';
import type { PageChannel } from '../jobs/pageChannel.js';
import { PAGE_BYTES, STATE } from './migrationNode.test-util.js';
import { received, restored, sentJob, targetNode } from './migrationSides.test-util.js';

const channel = (id: string): PageChannel => ({ id, bytes: () => PAGE_BYTES, close: () => undefined });

/** Node 1's migration of job 1.100, begun here, its memory through a page channel, its other images sent. */
async function streamed(t: ReturnType<typeof targetNode>): Promise<string> {
  const id = `1.100-1-${t.node.world.now}`;
  await t.call('mig.begin', { id, job: sentJob(id) });
  await t.side.acceptPages(id, 1, channel(id));
  t.node.disk.put(`${t.side.transferDir(id)}/core.img`, 'core');
  return id;
}

describe('where a page channel and its transfer go', () => {
  it("into the migration's directory or its pre-N / final part, only while it waits for its images, never outside", async () => {
    const t = targetNode();
    const id = await received(t);
    expect(t.side.transferDir(id)).toBe(`${STATE}/incoming/${id}`);
    expect(t.side.transferDir(`${id}--final`)).toBe(`${STATE}/incoming/${id}/final`);
    expect(t.side.transferDir(`${id}--pre2`)).toBe(`${STATE}/incoming/${id}/pre-2`);
    for (const bad of [`${id}--pre/../../../../etc`, `${id}--x`, `${id}--pre0`]) {
      expect(() => t.side.transferDir(bad)).toThrow(`unexpected transfer ${bad}: after "--" only final or preN`);
    }
    expect(() => t.side.transferDir('1.100-1-5--final')).toThrow('no migration 1.100-1-5 is waiting for its images on node 2');
    await t.call('mig.restore', { id, job: sentJob(id) });
    expect(() => t.side.transferDir(`${id}--final`)).toThrow(`no migration ${id} is waiting for its images on node 2`);
  });

  it('a page channel only for a migration begun here, from its source, once per part', async () => {
    const t = targetNode();
    await expect(t.side.acceptPages('1.100-1-5', 1, channel('1.100-1-5'))).rejects.toMatchObject({ code: 'ENOMIGRATION' });
    const { id } = await restored(t);
    await expect(t.side.acceptPages(id, 1, channel(id))).rejects.toMatchObject({ code: 'ENOMIGRATION' });
    const next = `1.100-1-${t.node.world.now + 1}`;
    await t.call('mig.begin', { id: next, job: sentJob(next) });
    await expect(t.side.acceptPages(next, 3, channel(next))).rejects.toMatchObject({ code: 'ENOMIGRATION', message: `no migration ${next} from node 3 is waiting for its memory here` });
    await t.side.acceptPages(next, 1, channel(next));
    await expect(t.side.acceptPages(next, 1, channel(next))).rejects.toMatchObject({ code: 'EINVAL', message: `unexpected page channel ${next}` });
  });
});

describe('the restore checks the memory came whole', () => {
  it('every byte the source sent arrived: restored', async () => {
    const t = targetNode();
    const id = await streamed(t);
    await expect(t.call('mig.restore', { id, job: sentJob(id), pages: { '': { bytes: PAGE_BYTES } } })).resolves.toMatchObject({ restoreMs: 150 });
    expect(t.node.events).toContain('criu page-server');
  });

  it('fewer bytes arrived than the source sent: no restore, the images go, the source keeps the job', async () => {
    const t = targetNode();
    const id = await streamed(t);
    await expect(t.call('mig.restore', { id, job: sentJob(id), pages: { '': { bytes: PAGE_BYTES + 1 } } })).rejects.toMatchObject({
      code: 'ERESTORE', message: `the job's memory did not all arrive: node 1 sent ${PAGE_BYTES + 1} bytes, node 2 received ${PAGE_BYTES}`,
    });
    expect(t.node.events).not.toContain('criu restore');
    expect(t.node.disk.list(`${STATE}/incoming`)).toEqual([]);
    expect(await t.status(id)).toBe('none');
  });

  it('the source says it sent memory that never came: no restore', async () => {
    const t = targetNode();
    const id = await received(t);
    await expect(t.call('mig.restore', { id, job: sentJob(id), pages: { final: { bytes: PAGE_BYTES } } })).rejects.toMatchObject({
      code: 'ERESTORE', message: "migration " + id + ": the job's memory (final) never arrived on node 2",
    });
    expect(t.node.events).not.toContain('criu restore');
  });
});
