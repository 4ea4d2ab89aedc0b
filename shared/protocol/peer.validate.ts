/** One validator per request of the whole peer protocol (peer.ts), run once in the peer channel's dispatch (agent/peer/peerService.ts). */
import type { CorePeerRequests, PagesHeader, PeerRequests } from './peer.js';
import { PAGE_PART } from './peerJobs.js';
import { MAX_NODE, nodeId } from './fields.validate.js';
import { migrationId } from './jobRecord.validate.js';
import { custom, int, invalid, obj, show, str, type Validator, type Validators } from './validate.js';
import { peerJobValidators } from './peerJobs.validate.js';
import { peerBalanceValidators } from './peerBalance.validate.js';
import { peerAlertValidators } from './peerAlerts.validate.js';
import { peerHistoryValidators } from './peerHistory.validate.js';

const corePeerValidators = {
  // 0: an agent asking before it knows its own number.
  'peer.hello': obj({ from: int(0, MAX_NODE), version: str({ max: 200 }) }),
} satisfies Validators<CorePeerRequests>;

export const PEER_VALIDATORS = {
  ...corePeerValidators,
  ...peerJobValidators,
  ...peerBalanceValidators,
  ...peerAlertValidators,
  ...peerHistoryValidators,
} satisfies Validators<PeerRequests>;

const PAGE_CHANNEL_WANT = 'a page channel name: a migration id, then nothing, "--pre1".."--pre99" or "--final"';

/** "<migration id>[--part]": it names a directory under the target's incoming/, so the id is checked as mig.begin's is. */
const pageChannelName = custom(PAGE_CHANNEL_WANT, (v, at) => {
  const name = str({ min: 1, max: 140, want: PAGE_CHANNEL_WANT }).check(v, at);
  const [id, part = '', ...more] = name.split('--');
  migrationId.check(id, at);
  if (more.length || !PAGE_PART.test(part)) throw invalid(at, `expected ${PAGE_CHANNEL_WANT}, got ${show(name)}`);
  return name;
});

/** The first line of a page channel, checked before the target's page server is started for it. */
export const pagesHeader: Validator<PagesHeader> = obj({ pages: pageChannelName, from: nodeId }, 'a page channel header: an object with pages, from');
