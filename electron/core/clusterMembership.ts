/**
 * The cluster's membership as this GUI keeps it: the cluster key and the profile's map on
 * every node, without ever overruling the nodes. A node's key is the cluster's: a GUI with
 * another key (a copied profile) installs nothing and asks the admin to adopt the cluster's
 * key or rotate explicitly (keyVerdict.ts). A node's own map or setpe -off wins (mapPolicy.ts).
 * Every few seconds each node's cluster.info is read: what changed on a node shows in its
 * row, and a node its peers reject (peerRejection.ts) is shown cut off.
 */
import { RpcError } from '../../shared/protocol/rpc.js';
import type { AgentRequests, ClusterConfigure, ClusterInfo } from '../../shared/protocol/agent.js';
import type { ClusterKeyState } from '../../shared/protocol/apiMembership.js';
import type { MembershipView, NodeId, NodeView } from '../../shared/domain/node.js';
import { formatHpcMap } from '../../shared/hpcMap.js';
import { keyId } from '../../shared/clusterKey.js';
import type { NodeTarget } from './profile.js';
import type { ClusterKeyStore } from './clusterKeyFile.js';
import type { AgentEndpoint, NodeSession } from './nodeSession.js';
import { holders, keyVerdict, type KeyVerdict, type NodeKeyFact } from './keyVerdict.js';
import { mapPlan } from './mapPolicy.js';
import { rejections } from './peerRejection.js';

type Membership = 'cluster.info' | 'cluster.configure' | 'cluster.key';
type Ask = <K extends Membership>(method: K, params: AgentRequests[K]['req']) => Promise<AgentRequests[K]['res']>;

export interface MembershipTiming {
  /** How often each node's cluster.info is read (key, map, rejected datagrams). */
  pollMs: number;
  /** How long a connecting node waits for the others before it comes up without the key. */
  setupWaitMs: number;
}
export const DEFAULT_MEMBERSHIP_TIMING: MembershipTiming = { pollMs: 3000, setupWaitMs: 15000 };

const list = (ids: NodeId[]) => (ids.length === 1 ? `node ${ids[0]}` : `nodes ${ids.join(', ')}`);

export function rotateBlockedText(down: readonly NodeView[]): string {
  const which = down.map((v) => `node ${v.id} is ${v.status}${v.reason ? ` (${v.reason})` : ''}`).join('; ');
  return `rotation needs every node up: ${which}. A node that is down during a rotation keeps the old key: the others would drop its datagrams as forged, and it would stay cut off until rotated too`;
}

export class ClusterMembership {
  private readonly infos = new Map<NodeId, ClusterInfo>();
  private readonly settled = new Set<NodeId>();
  private readonly busy = new Set<NodeId>();
  private readonly problems = new Map<NodeId, string>();
  private readonly waiters = new Set<() => void>();
  private readonly statuses = new Map<NodeId, string>();
  private isolation = new Map<NodeId, string>();
  private guiKey: Buffer | undefined;
  private readOnly = false;
  private outcome: string | undefined;
  private sessions: NodeSession[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private running: Promise<void> | undefined;
  private lastState = '';
  private stopped = false;
  private readonly mapText: string;

  constructor(
    private readonly nodes: readonly NodeTarget[],
    private readonly keys: ClusterKeyStore,
    private readonly emitState: (s: ClusterKeyState) => void,
    private readonly timing: MembershipTiming = DEFAULT_MEMBERSHIP_TIMING,
  ) {
    this.guiKey = keys.read();
    this.mapText = formatHpcMap(nodes);
  }

  bind(sessions: NodeSession[]): void {
    this.sessions = sessions;
  }

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.timing.pollMs);
    this.timer.unref?.();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    for (const w of [...this.waiters]) w();
  }

  /** The session's setup: what the node holds, then (once the cluster's key is known) what to install. */
  setupFor(id: NodeId): (ep: AgentEndpoint) => Promise<MembershipView> {
    return async (ep) => {
      const ask: Ask = (m, p) => ep.request(m, p);
      this.record(id, await ask('cluster.info', null));
      await this.decided(this.timing.setupWaitMs);
      return this.reconcile(id, ask);
    };
  }

  /** Every node view: a node found down counts as heard from (keyless nodes stop waiting for it). */
  noteView(v: NodeView): void {
    if (this.statuses.get(v.id) === v.status) return;
    this.statuses.set(v.id, v.status);
    if (v.status === 'down') this.settled.add(v.id);
    this.changed();
  }

  state(): ClusterKeyState {
    const facts = this.facts();
    const v = keyVerdict(this.guiKeyId(), facts);
    const down = this.sessions.filter((s) => s.view.status !== 'up').map((s) => s.view);
    return {
      keyFile: this.keys.file,
      guiKeyId: this.guiKeyId(),
      installed: holders(facts),
      keyless: facts.filter((f) => f.keyId === null).map((f) => f.id),
      unknown: facts.filter((f) => f.keyId === undefined).map((f) => f.id),
      status: v.kind === 'conflict' ? (this.readOnly ? 'readOnly' : 'conflict') : v.kind,
      ...(down.length > 0 ? { rotateBlocked: rotateBlockedText(down) } : {}),
      ...(this.outcome ? { outcome: this.outcome } : {}),
    };
  }

  /** Adopt: the cluster's key, fetched over a node's SSH session, becomes the profile's (0600). */
  async adopt(wanted: unknown): Promise<ClusterKeyState> {
    if (typeof wanted !== 'string') throw new RpcError('EINVAL', 'adopt needs { keyId: "<the key ID to adopt>" }');
    const holder = this.sessions.find((s) => s.view.status === 'up' && this.infos.get(s.id)?.keyId === wanted);
    if (!holder) throw new RpcError('ENODEDOWN', `no connected node holds key ${wanted}: adopt it while one of its nodes is up`);
    const { keyHex } = await holder.request('cluster.key', null);
    const key = Buffer.from(keyHex, 'hex');
    if (!/^[0-9a-f]{64}$/.test(keyHex) || keyId(key) !== wanted) {
      throw new RpcError('EKEYCHANGE', `node ${holder.id} no longer holds key ${wanted}: look at the nodes' keys again`);
    }
    const kept = this.keys.replace(key);
    this.guiKey = key;
    this.readOnly = false;
    this.outcome = `adopted the cluster's key ${wanted} from node ${holder.id} into ${this.keys.file} (mode 0600)${kept ? `; this GUI's previous key is kept in ${kept}` : ''}`;
    await this.poll(true);
    return this.state();
  }

  /** Rotate: this GUI's key on every node at once, each replacing exactly the key it was seen with. */
  async rotate(): Promise<ClusterKeyState> {
    const down = this.sessions.filter((s) => s.view.status !== 'up');
    if (down.length > 0) throw new RpcError('ENODEDOWN', rotateBlockedText(down.map((s) => s.view)));
    const key = this.key();
    const id = keyId(key);
    const failed = (
      await Promise.all(
        this.sessions.map(async (s) => {
          try {
            const from = this.infos.get(s.id)?.keyId ?? undefined;
            this.record(s.id, await s.request('cluster.configure', { keyHex: key.toString('hex'), ...(from ? { rotateFrom: from } : {}) }));
            return undefined;
          } catch (e) {
            return `node ${s.id}: ${(e as Error).message}`;
          }
        }),
      )
    ).filter((f): f is string => f !== undefined);
    this.readOnly = false;
    this.outcome = failed.length === 0
      ? `every node has key ${id} now (rotated)`
      : `rotation to key ${id} failed on ${failed.length} node(s): ${failed.join('; ')}. The others have key ${id} now: rotate again`;
    await this.poll(true);
    return this.state();
  }

  /** Not now: nothing is installed on any node while the key question stays open. */
  setReadOnly(): ClusterKeyState {
    if (this.verdict().kind === 'conflict') this.readOnly = true;
    this.changed();
    return this.state();
  }

  /** "Install the profile's map on node N": the admin overrules the node's own map or setpe -off. */
  async installMap(s: NodeSession): Promise<null> {
    const v = this.verdict();
    if (v.kind === 'conflict') {
      throw new RpcError('EKEYCONFLICT', "the cluster key question is open: adopt the cluster's key or rotate first (this GUI installs nothing while its key differs)");
    }
    const p: ClusterConfigure = { mapText: this.mapText, nodeId: s.id, by: 'gui' };
    if (this.infos.get(s.id)?.keyInstalled === false && v.kind === 'agreed') p.keyHex = this.key().toString('hex');
    this.record(s.id, await s.request('cluster.configure', p));
    s.update(this.viewOf(s.id));
    return null;
  }

  /** One look at every node that is up; explicit callers wait for a look that started after them. */
  poll(explicit = false): Promise<void> {
    if (this.running) return explicit ? this.running.then(() => this.poll(true)) : this.running;
    this.running = this.pollOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pollOnce(): Promise<void> {
    const up = () => this.sessions.filter((s) => s.view.status === 'up' && !this.busy.has(s.id));
    await Promise.all(
      up().map(async (s) => {
        try {
          this.record(s.id, await s.request('cluster.info', null));
        } catch {
          /* the session notices a lost node by itself */
        }
      }),
    );
    const reports = up().filter((s) => this.infos.has(s.id)).map((s) => ({ id: s.id, addresses: [s.view.host, s.view.address ?? ''], info: this.infos.get(s.id)! }));
    this.isolation = rejections(reports);
    await Promise.all(
      up().map(async (s) => {
        const view = await this.reconcile(s.id, (m, p) => s.request(m, p));
        if (s.view.status === 'up' && (['warning', 'isolated', 'ownMap'] as const).some((k) => s.view[k] !== view[k])) s.update(view);
      }),
    );
    this.changed();
  }

  private async reconcile(id: NodeId, ask: Ask): Promise<MembershipView> {
    if (this.busy.has(id)) return this.viewOf(id);
    this.busy.add(id);
    try {
      const info = this.infos.get(id);
      const params = info && this.installFor(id, info);
      if (params) this.record(id, await ask('cluster.configure', params));
      this.problems.delete(id);
    } catch (e) {
      this.problems.set(id, `installing the cluster key or map failed: ${(e as Error).message}`);
    } finally {
      this.busy.delete(id);
    }
    return this.viewOf(id);
  }

  /** What to install on the node now: the GUI's key where none is, the profile's map where none is; nothing in a key conflict. */
  private installFor(id: NodeId, info: ClusterInfo): ClusterConfigure | undefined {
    if (this.readOnly || this.verdict().kind !== 'agreed') return undefined;
    const p: ClusterConfigure = {};
    if (!info.keyInstalled) p.keyHex = this.key().toString('hex');
    if (mapPlan(id, this.nodes, info).install) Object.assign(p, { mapText: this.mapText, nodeId: id, by: 'gui' });
    return Object.keys(p).length > 0 ? p : undefined;
  }

  private viewOf(id: NodeId): MembershipView {
    const info = this.infos.get(id);
    if (!info) return { warning: undefined, isolated: undefined, ownMap: undefined };
    const { ownMap } = mapPlan(id, this.nodes, info);
    return { warning: this.warningOf(id, info, ownMap !== undefined), isolated: this.isolation.get(id), ownMap };
  }

  private warningOf(id: NodeId, info: ClusterInfo, ownMap: boolean): string | undefined {
    const problem = this.problems.get(id);
    if (problem) return problem;
    const v: KeyVerdict = this.verdict();
    if (!info.keyInstalled || (info.map.length === 0 && info.leftAt === null)) {
      if (v.kind === 'waiting') return `no cluster key or map installed yet: waiting for ${list(v.on)} to answer (it may hold the cluster's key)`;
      if (v.kind === 'conflict') return "nothing installed here: this GUI's cluster key is not the cluster's (see the cluster key banner)";
    }
    if (info.listening || ownMap) return undefined;
    return `no load exchange or migration with other nodes: ${info.problem ?? (info.keyInstalled ? 'peer channel not running' : 'no cluster key installed')}`;
  }

  private record(id: NodeId, info: ClusterInfo): void {
    this.infos.set(id, info);
    this.settled.add(id);
    this.changed();
  }

  /** Wakes setups waiting for the verdict and tells the windows when the key state changed. */
  private changed(): void {
    for (const w of [...this.waiters]) w();
    if (this.readOnly && this.verdict().kind !== 'conflict') this.readOnly = false;
    const s = this.state();
    const text = JSON.stringify(s);
    if (text !== this.lastState) {
      this.lastState = text;
      this.emitState(s);
    }
  }

  private decided(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const check = () => {
        if (this.stopped || this.verdict().kind !== 'waiting') done();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(check);
      check();
    });
  }

  private facts(): NodeKeyFact[] {
    return this.nodes.map((n) => ({ id: n.id, keyId: this.infos.has(n.id) ? this.infos.get(n.id)!.keyId : undefined, settled: this.settled.has(n.id) }));
  }

  private verdict(): KeyVerdict {
    return keyVerdict(this.guiKeyId(), this.facts());
  }

  private guiKeyId(): string | null {
    return this.guiKey ? keyId(this.guiKey) : null;
  }

  /** The GUI's key, created on first need (a cluster without any key). */
  private key(): Buffer {
    return (this.guiKey ??= this.keys.create());
  }
}
