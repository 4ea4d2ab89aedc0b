/**
 * Who is at the other end of the agent's socket. Node has no SO_PEERCRED, so the caller
 * proves its uid with a challenge:
 *
 *   client: auth.challenge { uid }      agent: creates <stateDir>/callers/<random>, mode 0400,
 *                                              owned by uid, holding a random nonce; answers its path
 *   client: reads the file, auth.prove { nonce }
 *   agent:  the nonce matches the one of this connection: it acts as uid from now on
 *
 * Why this is sound:
 * - Only a process running as that uid (or root) can open a 0400 file owned by it. User A
 *   cannot read B's file, so A cannot pass as B; B could read it and hand it over, but then B
 *   acts through A by choice, as B could by running the command.
 * - No TOCTOU: the agent creates the file itself with O_CREAT|O_EXCL|O_NOFOLLOW, mode 0400
 *   from the start, and changes its owner through the open descriptor (fchown), in a
 *   directory only the agent may write (0711, its own): nobody can plant, swap or link a file
 *   there, and nobody but the agent and the claimed uid can open it at any moment.
 * - The nonce is bound to the connection that asked, used once (a failed prove ends the
 *   challenge too), expires, and its file is removed at once: replaying it or proving it on
 *   another connection does nothing.
 * The alternative, /proc/net/unix and /proc/PID/fd, cannot be made sound: /proc/net/unix
 * does not say which socket is connected to which (only netlink sock_diag does), and a
 * socket descriptor can be inherited by or passed to other processes, and PIDs are reused,
 * so mapping a connection to one process and its uid would be a guess.
 *
 * An agent that does not run as root can only prove its own user (it cannot give a file to
 * another uid): it serves that user alone, as its 0700 state directory already ensures.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, closeSync, constants, fchownSync, lstatSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CallerInfo } from '../../shared/protocol/agent.js';
import { RpcError } from '../../shared/protocol/rpc.js';

/** Long enough for a client to read one small file; a slower one asks again. */
export const CHALLENGE_TTL_MS = 10_000;

/** One connection's open challenge: proved once, or never. */
export interface Challenge {
  readonly file: string;
  /** The caller the nonce proves, or an EPERM error; the file is gone either way. */
  prove(nonce: string): CallerInfo;
  /** Removes the file (connection closed, expired). */
  drop(): void;
}

export interface ChallengeOptions {
  /** The agent's own uid: only root may give a challenge to another uid. */
  selfUid?: number;
  /** A user's name, for messages and the process list. */
  userName(uid: number): string;
  now?: () => number;
}

export class CallerChallenges {
  private readonly selfUid: number;

  constructor(
    /** <stateDir>/callers: created here, 0711, the agent's own. */
    readonly dir: string,
    private readonly opts: ChallengeOptions,
  ) {
    this.selfUid = opts.selfUid ?? process.getuid?.() ?? 0;
  }

  /**
   * The directory exists, is a directory (not a link), is ours and is 0711; files a previous
   * run left are removed. Anything else there stops the agent rather than trust it.
   */
  prepare(): void {
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { mode: 0o711 });
    chmodSync(this.dir, 0o711); // mkdir's mode is cut by the umask
    const st = lstatSync(this.dir);
    if (!st.isDirectory() || st.uid !== this.selfUid) {
      throw new Error(`${this.dir} is not a directory of the agent's user (uid ${this.selfUid}): remove it and start the agent again`);
    }
  }

  issue(uid: number): Challenge {
    if (uid !== this.selfUid && this.selfUid !== 0) {
      const me = this.opts.userName(this.selfUid);
      throw new RpcError(
        'EPERM',
        `this agent runs as ${me} (uid ${this.selfUid}) and serves that user alone, not uid ${uid}: use the node's system agent, run by root (systemctl start mosixview-agent)`,
      );
    }
    const nonce = randomBytes(32).toString('hex');
    const file = join(this.dir, randomBytes(16).toString('hex'));
    const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o400);
    try {
      writeSync(fd, nonce);
      // -1: the group stays the agent's; with mode 0400 it grants nothing.
      if (uid !== this.selfUid) fchownSync(fd, uid, -1);
    } catch (e) {
      closeSync(fd);
      rmSync(file, { force: true });
      throw e;
    }
    closeSync(fd);
    const now = this.opts.now ?? Date.now;
    const expires = now() + CHALLENGE_TTL_MS;
    let open = true;
    const drop = () => {
      open = false;
      rmSync(file, { force: true });
    };
    return {
      file,
      drop,
      prove: (given) => {
        const live = open && now() <= expires;
        drop();
        if (!live) throw new RpcError('EPERM', 'the identity challenge has expired or was used already: ask for a new one (auth.challenge)');
        const a = Buffer.from(nonce);
        const b = Buffer.from(given);
        if (a.length !== b.length || !timingSafeEqual(a, b)) {
          throw new RpcError('EPERM', `wrong nonce: the caller could not read the challenge file of uid ${uid}, so it is not that user; connect as yourself`);
        }
        return { uid, user: this.opts.userName(uid) };
      },
    };
  }
}
