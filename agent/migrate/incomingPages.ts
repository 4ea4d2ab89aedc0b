/**
 * The memory of a migration coming in on the target through page channels: which part of the
 * migration a channel or transfer carries (from its name), and the check before the restore
 * that every byte the source sent on each channel arrived.
 */
import type { NodeId } from '../../shared/domain/node.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import type { PagesSeen } from '../jobs/pageChannel.js';

export { PAGE_PART } from '../../shared/protocol/peerJobs.js';

/** Migration id and part of a page channel's or transfer's name ("<id>", "<id>--pre1", "<id>--final"). */
export function splitPart(name: string): { id: string; part: string } {
  const [id = '', part = ''] = name.split('--');
  return { id, part };
}

/**
 * Every byte of memory the source sent arrived on every page channel: else no restore.
 * `arriving`: what each page server here received (rejects when it failed); `sent`: the source's counts.
 */
export async function checkPages(
  id: string, nodes: { from: NodeId; here: NodeId }, arriving: ReadonlyMap<string, Promise<PagesSeen>>, sent: Record<string, PagesSeen>,
): Promise<void> {
  const { from, here } = nodes;
  for (const part of new Set([...Object.keys(sent), ...arriving.keys()])) {
    const what = part ? `the job's memory (${part})` : "the job's memory";
    const received = arriving.get(part);
    const s = sent[part];
    if (!s || !received) throw new RpcError('ERESTORE', `migration ${id}: ${what} ${received ? "came without the source's byte count" : 'never arrived'} on node ${here}`);
    let got: PagesSeen;
    try {
      got = await received;
    } catch (e) {
      throw new RpcError('ERESTORE', `receiving ${what} failed on node ${here}: ${(e as Error).message}`);
    }
    // TLS checked every byte that arrived (agent/jobs/pageChannel.ts): equal counts mean all of them.
    if (got.bytes !== s.bytes) throw new RpcError('ERESTORE', `${what} did not all arrive: node ${from} sent ${s.bytes} bytes, node ${here} received ${got.bytes}`);
  }
}
