/**
 * The long-lived agent of one node: samples /proc every second and serves the agent
 * protocol to every client (the GUI's SSH session through `attach`, the CLI tools)
 * on a unix socket in its state directory.
 */
import type { ProcInfo } from '../../shared/domain/process.js';
import { createServer, type Server, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { RpcEndpoint, type Handlers } from '../../shared/rpc/rpcEndpoint.js';
import { RpcError } from '../../shared/protocol/rpc.js';
import { AGENT_PROTOCOL_VERSION, type AgentEvents, type AgentRequests } from '../../shared/protocol/agent.js';
import { Sampler } from '../sampler/sampler.js';
import { SpeedStore, speedInUse, speedSource, type SpeedState } from '../speed/calibrate.js';
import { speedCheckPids, stopSpeedChecks, workerSpeedCheck, type SpeedCheck } from '../speed/speedWorker.js';
import { deferredOnce, type DeferredOnce } from '../speed/deferredOnce.js';
import { AGENT_VERSION } from '../version.js';
import { ensureStateDir, type StatePaths } from '../stateDir.js';
import type { AgentFeature, DaemonContext, FeatureFactory, Snapshot } from './feature.js';
import { composeHandlers } from '../../shared/rpc/composeHandlers.js';
import { supervisorOf, type DaemonInfo } from './daemonSocket.js';
import { buildFeatures } from './buildFeatures.js';
import { validated } from '../../shared/protocol/validate.js';
import { AGENT_VALIDATORS } from '../../shared/protocol/agent.validate.js';
import { FEATURES } from './features.js';
import { PeerService } from '../peer/peerService.js';
import { log } from '../log/log.js';
import { CallerChallenges } from './callerIdentity.js';
import { closeConnection, guardedHandlers, type Connection } from './requestGuard.js';
import { userName } from '../jobs/accounts.js';
import type { DaemonServices } from './services.js';
import type { CallerInfo } from '../../shared/protocol/agent.js';

export const TICK_MS = 1000;
/** A daemon nobody subscribes to (started at boot) checks its speed this long after its start. */
const SPEED_CHECK_LATEST_MS = 20_000;

type Endpoint = RpcEndpoint<Record<never, never>, AgentEvents, AgentRequests>;

export class AgentDaemon {
  private server: Server | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly sampler: Sampler;
  private readonly speedStore: SpeedStore;
  /** Kept in memory: the sampler asks for the speed every tick. */
  private speedState: SpeedState;
  private readonly speedCheck: SpeedCheck;
  /** The background speed check under way, if any. */
  private checking: Promise<void> | undefined;
  /** The start's speed check: at the first subscription (the node is shown), or SPEED_CHECK_LATEST_MS after start. */
  private speedCheckSoon: DeferredOnce | undefined;
  private latest: Snapshot | undefined;
  /** The last sample's processes before the features marked them: marked again when a client asks. */
  private rawProcs: ProcInfo[] = [];
  private readonly features: AgentFeature[];
  readonly peers: PeerService;
  private readonly subscribers = new Set<Endpoint>();
  private stopping = false;
  /** Who runs this daemon: the packaged agent under systemd is never replaced by a GUI's attach. */
  private readonly supervisor = supervisorOf(process.env);
  /** The uid this daemon runs as: root serves every local user, any other uid only itself. */
  private readonly uid = process.getuid?.() ?? 0;
  private readonly challenges: CallerChallenges;
  private readonly services: Readonly<DaemonServices>;

  constructor(
    readonly paths: StatePaths,
    private readonly onStop: () => void = () => process.exit(0),
    factories: FeatureFactory[] = FEATURES,
    bundle: string = process.argv[1] ?? '',
    speedCheck?: SpeedCheck,
  ) {
    ensureStateDir(paths);
    this.speedStore = new SpeedStore(paths.dir);
    // The stored speed serves from the first sample on; it is checked in the background (start()).
    this.speedState = this.speedStore.read();
    this.speedCheck = speedCheck ?? workerSpeedCheck(bundle);
    this.sampler = new Sampler({ selfPids: () => [process.pid, ...speedCheckPids()], speed: () => this.speed, speedSource: () => speedSource(this.speedState) });
    this.peers = new PeerService(paths.dir, AGENT_VERSION);
    const ctx: DaemonContext = {
      paths,
      peers: this.peers,
      bundle,
      latest: () => this.latest,
      speed: () => this.speed,
      broadcast: (event, data) => {
        for (const ep of this.subscribers) ep.emit(event, data);
      },
    };
    this.challenges = new CallerChallenges(join(paths.dir, 'callers'), { selfUid: this.uid, userName });
    const built = buildFeatures(factories, ctx);
    this.features = built.features;
    this.services = built.services;
    this.peers.declareFeatures(this.features);
    // Composed once, before anything listens: a request name served twice stops the daemon here.
    this.featureHandlers = composeHandlers<Handlers<AgentRequests>>([
      { by: 'daemon', handlers: this.ownHandlers(() => undefined as never) },
      ...this.features.map((f) => ({ by: f.name, handlers: f.handlers })),
    ]);
  }

  private readonly featureHandlers: Handlers<AgentRequests>;

  /** The requests this daemon serves (its own and its features'), e.g. to check each has a validator. */
  requestNames(): string[] {
    return Object.keys({ ...this.featureHandlers, ...this.ownHandlers(() => undefined as never), 'auth.challenge': 0, 'auth.prove': 0 });
  }

  get speed(): number {
    return speedInUse(this.speedState);
  }

  /**
   * A speed calibrated while the machine was busy, or by an older agent's wall clock, is
   * measured again, and a node never calibrated is calibrated (provisional speed until then),
   * off the daemon's thread; one the admin set is kept as it is. Resolves when done.
   */
  checkSpeed(): Promise<void> {
    if (this.speedState.admin !== undefined) return Promise.resolve();
    this.checking ??= this.speedCheck(this.paths.dir, (m) => log.info(m))
      .then(
        () => {
          this.speedState = this.speedStore.read();
          this.republish();
        },
        (e: unknown) => log.error(`speed check failed: ${(e as Error).message}`),
      )
      .finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** Listens on the socket; throws EADDRINUSE when another daemon already serves it. */
  async start(): Promise<void> {
    // Listen first: a daemon that loses the race for the socket must leave nothing running.
    this.server = createServer((sock) => this.serveSocket(sock));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.paths.socket, () => {
        this.server!.off('error', reject);
        resolve();
      });
    });
    // Root's agent serves every local user: anyone may connect (connecting needs write
    // permission on the socket), and each proves who they are before acting (callerIdentity.ts).
    if (this.uid === 0) chmodSync(this.paths.socket, 0o666);
    this.challenges.prepare();
    for (const f of this.features) await f.start?.();
    await this.peers.start();
    // The first sample reads every process in /proc (on a busy machine a tenth of a second):
    // taken just after start() returns, so that the daemon says ready (and the GUI starts its
    // identity proof over SSH) meanwhile; a request before it samples at once (current()).
    setImmediate(() => {
      if (!this.latest && !this.stopping) this.tick();
    });
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.speedCheckSoon = deferredOnce(() => void this.checkSpeed(), SPEED_CHECK_LATEST_MS);
    const info: DaemonInfo = { pid: process.pid, version: AGENT_VERSION, ...(this.supervisor ? { supervisor: this.supervisor } : {}) };
    writeFileSync(this.paths.pidFile, JSON.stringify(info) + '\n');
  }

  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.speedCheckSoon?.cancel();
    stopSpeedChecks();
    for (const f of this.features) void f.stop?.();
    this.peers.stop();
    this.server?.close();
    rmSync(this.paths.socket, { force: true });
    rmSync(this.paths.pidFile, { force: true });
    this.onStop();
  }

  /** The agent's own user: the caller on its stdio (embedded attach), where no one else can be. */
  selfCaller(): CallerInfo {
    return { uid: this.uid, user: userName(this.uid) };
  }

  /** Serves the protocol on a byte stream pair (a socket: caller unknown until proved; or the process's stdio). */
  serve(input: Readable, output: Writable, onClose?: () => void, caller?: CallerInfo): Endpoint {
    const conn: Connection = caller ? { caller } : {};
    const guard = { agentUid: this.uid, challenges: this.challenges, ownerOf: (p: unknown) => this.services.jobs?.ownerOf(p) };
    const ep: Endpoint = new RpcEndpoint(
      (line) => {
        output.write(line);
      },
      // Every request is checked once here (shared/protocol/agent.validate.ts): handlers get typed parameters, and a bad one is an EINVAL answer, never a crash.
      // Then who asks (requestGuard.ts): a user acts on their own jobs only, root on all.
      validated(guardedHandlers({ ...this.featureHandlers, ...this.ownHandlers(() => ep) } as Handlers<AgentRequests>, conn, guard), AGENT_VALIDATORS),
      {
        onProtocolError: (p) => {
          log.warn(`dropping a client that sent ${p}`);
          input.destroy();
        },
      },
    );
    input.on('data', (chunk: Buffer) => ep.receive(chunk));
    const close = () => {
      closeConnection(conn);
      this.subscribers.delete(ep);
      ep.close('client went away');
      onClose?.();
    };
    input.once('close', close);
    input.once('end', close);
    output.on('error', close);
    return ep;
  }

  private serveSocket(sock: Socket): void {
    sock.on('error', () => sock.destroy());
    this.serve(sock, sock);
  }

  private tick(): void {
    try {
      const raw = this.sampler.sample();
      this.rawProcs = raw.procs;
      this.latest = { sample: raw.sample, procs: this.annotated(raw.procs) };
    } catch (e) {
      log.error(`sampling failed: ${(e as Error).message}`);
      return;
    }
    for (const ep of this.subscribers) ep.emit('sample', this.latest.sample);
    for (const f of this.features) {
      try {
        f.onSample?.(this.latest);
      } catch (e) {
        log.error(`${f.name}: ${(e as Error).message}`);
      }
    }
  }

  /** Shows a changed setting at once without a sample over a too-short interval. */
  private republish(): void {
    if (!this.latest) return;
    this.latest = { ...this.latest, sample: { ...this.latest.sample, speed: this.speed, speedSource: speedSource(this.speedState) } };
    for (const ep of this.subscribers) ep.emit('sample', this.latest.sample);
  }

  private annotated(raw: ProcInfo[]): ProcInfo[] {
    let procs = raw;
    for (const f of this.features) if (f.annotateProcs) procs = f.annotateProcs(procs);
    return procs;
  }

  /**
   * The processes as the features know them now: a job that ended, moved or was locked since the
   * last sample is shown so at once (mosrun -w returns, then mps must not show the job away).
   */
  private procsNow(): ProcInfo[] {
    this.current();
    return this.annotated(this.rawProcs);
  }

  private current(): Snapshot {
    if (!this.latest) this.tick();
    if (!this.latest) throw new RpcError('EIO', 'the agent cannot read /proc on this node');
    return this.latest;
  }

  /** What the daemon itself serves (identity, samples, speed, membership, shutdown). */
  private ownHandlers(self: () => Endpoint): Partial<Handlers<AgentRequests>> {
    return {
      hello: () => ({
        version: AGENT_VERSION,
        protocol: AGENT_PROTOCOL_VERSION,
        hostname: hostname(),
        pid: process.pid,
        stateDir: this.paths.dir,
        node: process.versions.node,
        ...(this.supervisor ? { supervisor: this.supervisor } : {}),
      }),
      sample: () => this.current().sample,
      procs: () => this.procsNow(),
      subscribe: ({ on }) => {
        if (on === true) this.subscribers.add(self());
        else this.subscribers.delete(self());
        this.speedCheckSoon?.now();
        return null;
      },
      getSpeed: () => ({ speed: this.speed, ...(this.speedState.calibrated !== undefined ? { calibrated: this.speedState.calibrated } : {}), source: speedSource(this.speedState) }),
      setSpeed: ({ speed }) => {
        this.speedState = this.speedStore.setSpeed(speed);
        this.republish();
        return { speed: this.speed };
      },
      'cluster.configure': async (p) => {
        try {
          return await this.peers.configure(p);
        } catch (e) {
          // A refused key change keeps its own code: the GUI offers adopt or rotate on it.
          throw e instanceof RpcError ? e : new RpcError('EINVAL', (e as Error).message);
        }
      },
      'cluster.info': () => this.peers.info(),
      'cluster.key': () => this.peers.exportKey(),
      shutdown: () => {
        setTimeout(() => this.stop(), 50);
        return null;
      },
    };
  }
}
