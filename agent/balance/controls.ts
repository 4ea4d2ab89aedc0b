/**
 * The openMosix controls (HOWTO chapter 8) as data, and the parsers of the `mosctl` and
 * `setpe` command lines in the HOWTO's syntax. Parsers return a typed command or an error
 * that says what was wrong and shows the usage; executing commands is the agent's job.
 */
import { MAX_SPEED, MIN_SPEED, type NodeId } from '../../shared/domain/node.js';
import { DEFAULT_DECAY, type DecayParams } from '../../shared/balancing/types.js';
import { FLAG_NAMES, NO_FLAGS, type FlagName, type NodeFlags } from '../../shared/protocol/balanceFlags.js';

export interface NodeControls {
  flags: NodeFlags;
  speed: number;
  decay: DecayParams;
}

export const DEFAULT_CONTROLS: Readonly<NodeControls> = Object.freeze({ flags: NO_FLAGS, speed: 10000, decay: DEFAULT_DECAY });

export interface ControlInfo {
  /** mosctl word that turns it on (or performs it). */
  name: string;
  /** mosctl word that turns it off; absent for one-shot actions. */
  inverse?: string;
  procFile: string;
  meaning: string;
}

/** Meanings from the HOWTO, chapters 8.2 and 8.5. */
export const CONTROLS: readonly ControlInfo[] = [
  { name: 'stay', inverse: 'nostay', procFile: '/proc/hpc/admin/stay', meaning: 'no automatic process migration (nostay: automatic migration, the default)' },
  { name: 'lstay', inverse: 'nolstay', procFile: '/proc/hpc/admin/lstay', meaning: 'local processes stay; guests may still leave (nolstay: local processes may migrate)' },
  { name: 'block', inverse: 'noblock', procFile: '/proc/hpc/admin/block', meaning: 'block the arrival of guest processes (noblock: allow them)' },
  { name: 'quiet', inverse: 'noquiet', procFile: '/proc/hpc/admin/quiet', meaning: 'stop gathering and sending load-balancing information (noquiet: take part again)' },
  { name: 'expel', procFile: '/proc/hpc/admin/expel', meaning: 'send guest processes back to their home nodes' },
  { name: 'bring', procFile: '/proc/hpc/admin/bring', meaning: 'bring all migrated processes of this node home' },
  { name: 'setspeed', procFile: '/proc/hpc/admin/speed', meaning: 'set the openMosix speed (10000 = the reference CPU); faster nodes attract work' },
  { name: 'setdecay', procFile: '/proc/hpc/admin/decayinterval', meaning: 'set the decay interval (s) and, optionally, slowdecay and fastdecay (thousandths; defaults 975, 926)' },
];

export type GetWhat = 'load' | 'speed' | 'mem' | 'free' | 'util';
export type WhoisTarget = { by: 'id'; id: NodeId } | { by: 'ip'; ip: string } | { by: 'host'; host: string };

export type MosctlCommand =
  | { cmd: 'set'; flag: FlagName; value: boolean }
  | { cmd: 'expel' }
  | { cmd: 'bring' }
  | { cmd: 'setspeed'; speed: number }
  | { cmd: 'setdecay'; intervalS: number; slow?: number; fast?: number }
  | { cmd: 'getdecay' }
  | { cmd: 'get'; what: GetWhat; node?: NodeId }
  | { cmd: 'status'; node?: NodeId }
  | { cmd: 'isup'; node?: NodeId }
  | { cmd: 'whois'; target?: WhoisTarget }
  /** The node's figures in the OpenMetrics text format (what Prometheus scrapes). */
  | { cmd: 'metrics' }
  /** The collector's alerts (active, recent, the rules), or KEY=VALUE changes of the rules. */
  | { cmd: 'alerts'; set?: string[] };

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const MOSCTL_USAGE = [
  'usage: mosctl [stay|nostay] | [lstay|nolstay] | [block|noblock] | [quiet|noquiet] | [expel|bring] | getdecay',
  '       mosctl whois [openMosix_ID|IP-address|hostname]',
  '       mosctl [getload|getspeed|status|isup|getmem|getfree|getutil] [openMosix_ID]',
  '       mosctl setspeed integer-value',
  '       mosctl setdecay interval [slow fast]',
  '       mosctl metrics',
  '       mosctl alerts [set KEY=VALUE ...]   (on the collector\'s node; e.g. mosctl alerts set load.percent=80 load.forS=30)',
].join('\n');

const USAGE_OF: Record<string, string> = {
  whois: 'mosctl whois [openMosix_ID|IP-address|hostname]',
  isup: 'mosctl isup [openMosix_ID]',
  status: 'mosctl status [openMosix_ID]',
  setspeed: `mosctl setspeed integer-value (${MIN_SPEED}..${MAX_SPEED}; 10000 = reference CPU)`,
  setdecay: 'mosctl setdecay interval [slow fast] (e.g. mosctl setdecay 1 975 926)',
  alerts: 'mosctl alerts [set KEY=VALUE ...] (e.g. mosctl alerts set load.percent=80 load.forS=30 nodeDown.forS=20 memory.on=off)',
};
for (const g of ['getload', 'getspeed', 'getmem', 'getfree', 'getutil']) USAGE_OF[g] = `mosctl ${g} [openMosix_ID]`;

const FLAG_WORDS: Record<string, { flag: FlagName; value: boolean }> = {};
for (const flag of FLAG_NAMES) {
  FLAG_WORDS[flag] = { flag, value: true };
  FLAG_WORDS[`no${flag}`] = { flag, value: false };
}

const UNSUPPORTED: Record<string, string> = {
  mfs: 'MFS (the openMosix file system) is not part of Mosixview',
  nomfs: 'MFS (the openMosix file system) is not part of Mosixview',
  gettune: 'Mosixview has no overhead tuning parameters (openMosix "tune")',
  getyard: 'Mosixview measures speed with its own calibration, not a yardstick; use getspeed',
  setyard: 'Mosixview measures speed with its own calibration, not a yardstick; use setspeed',
};

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOST = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const WHOLE = /^\d+$/;

function fail<T>(problem: string, usage = MOSCTL_USAGE): Parsed<T> {
  return { ok: false, error: `mosctl: ${problem}\n${usage.startsWith('usage:') ? usage : `usage: ${usage}`}` };
}

function nodeId(word: string): NodeId | undefined {
  return WHOLE.test(word) && Number(word) >= 1 && Number(word) <= 65535 ? Number(word) : undefined;
}

/** Parses the words after `mosctl`. */
export function parseMosctl(args: readonly string[]): Parsed<MosctlCommand> {
  const [word, ...rest] = args;
  if (!word) return fail('no command given');
  const usage = USAGE_OF[word] ?? MOSCTL_USAGE;
  const noMore = <T>(v: T, max = 0): Parsed<T> =>
    rest.length > max ? fail(`"${word}" takes ${max === 0 ? 'no arguments' : `at most ${max}`}, got "${rest.join(' ')}"`, usage) : { ok: true, value: v };
  const optionalNode = (): { node?: NodeId } | string => {
    if (rest.length === 0) return {};
    const id = nodeId(rest[0]!);
    return id === undefined ? `"${rest[0]}" is not a node ID (a whole number from 1 to 65535)` : { node: id };
  };

  const flag = FLAG_WORDS[word];
  if (flag) return noMore({ cmd: 'set', flag: flag.flag, value: flag.value });
  if (UNSUPPORTED[word]) return fail(`"${word}": ${UNSUPPORTED[word]}`);
  switch (word) {
    case 'expel':
    case 'bring':
    case 'getdecay':
    case 'metrics':
      return noMore({ cmd: word });
    case 'alerts':
      if (!rest.length) return { ok: true, value: { cmd: 'alerts' } };
      if (rest[0] !== 'set') return fail(`"alerts" takes "set KEY=VALUE ...", not "${rest[0]}"`, usage);
      if (rest.length < 2) return fail('"alerts set" needs at least one KEY=VALUE', usage);
      return { ok: true, value: { cmd: 'alerts', set: rest.slice(1) } };
    case 'getload':
    case 'getspeed':
    case 'getmem':
    case 'getfree':
    case 'getutil':
    case 'status': {
      const n = optionalNode();
      if (typeof n === 'string') return fail(n, usage);
      const cmd: MosctlCommand = word === 'status' ? { cmd: 'status', ...n } : { cmd: 'get', what: word.slice(3) as GetWhat, ...n };
      return noMore(cmd, 1);
    }
    case 'isup': {
      if (rest.length === 0) return { ok: true, value: { cmd: 'isup' } };
      const id = nodeId(rest[0]!);
      if (id === undefined) return fail(`"${rest[0]}" is not a node ID (a whole number from 1 to 65535)`, usage);
      return noMore({ cmd: 'isup', node: id }, 1);
    }
    case 'whois': {
      if (rest.length === 0) return { ok: true, value: { cmd: 'whois' } };
      const a = rest[0]!;
      const target: WhoisTarget | undefined = WHOLE.test(a)
        ? nodeId(a) === undefined ? undefined : { by: 'id', id: Number(a) }
        : IPV4.test(a) ? { by: 'ip', ip: a } : HOST.test(a) && !/^[\d.]+$/.test(a) ? { by: 'host', host: a } : undefined;
      if (!target) return fail(`"${a}" is neither a node ID (1..65535), an IPv4 address nor a host name`, usage);
      return noMore({ cmd: 'whois', target }, 1);
    }
    case 'setspeed': {
      if (rest.length === 0) return fail('setspeed needs the new speed', usage);
      const s = rest[0]!;
      if (!WHOLE.test(s)) return fail(`speed "${s}" is not a whole number`, usage);
      const speed = Number(s);
      if (speed < MIN_SPEED || speed > MAX_SPEED) return fail(`speed ${speed} is outside ${MIN_SPEED}..${MAX_SPEED}`, usage);
      return noMore({ cmd: 'setspeed', speed }, 1);
    }
    case 'setdecay':
      return parseSetdecay(rest, usage);
    default:
      return fail(`unknown command "${word}"`);
  }
}

function parseSetdecay(rest: readonly string[], usage: string): Parsed<MosctlCommand> {
  if (rest.length !== 1 && rest.length !== 3) {
    return fail(`setdecay takes the interval alone or the interval, slow and fast; got ${rest.length} argument(s)`, usage);
  }
  const [iv, slow, fast] = rest;
  if (!WHOLE.test(iv!) || Number(iv) < 1 || Number(iv) > 3600) return fail(`interval "${iv}" must be whole seconds from 1 to 3600`, usage);
  if (slow === undefined || fast === undefined) return { ok: true, value: { cmd: 'setdecay', intervalS: Number(iv) } };
  for (const [name, v] of [['slow', slow], ['fast', fast]] as const) {
    if (!WHOLE.test(v) || Number(v) < 1 || Number(v) > 999) return fail(`${name} "${v}" must be thousandths from 1 to 999 (default ${name === 'slow' ? 975 : 926})`, usage);
  }
  if (Number(slow) < Number(fast)) return fail(`slow (${slow}) must not be below fast (${fast}): slow decay keeps more of the past`, usage);
  return { ok: true, value: { cmd: 'setdecay', intervalS: Number(iv), slow: Number(slow), fast: Number(fast) } };
}

/** The node's controls after a command; commands that only read or act return them unchanged. */
export function applyControl(c: NodeControls, cmd: MosctlCommand): NodeControls {
  switch (cmd.cmd) {
    case 'set':
      return { ...c, flags: { ...c.flags, [cmd.flag]: cmd.value } };
    case 'setspeed':
      return { ...c, speed: cmd.speed };
    case 'setdecay':
      return { ...c, decay: { intervalS: cmd.intervalS, slow: cmd.slow ?? c.decay.slow, fast: cmd.fast ?? c.decay.fast } };
    default:
      return c;
  }
}

export type SetpeCommand = { cmd: 'write'; file: string } | { cmd: 'read'; file?: string } | { cmd: 'off' };

export const SETPE_USAGE = ['usage: setpe -w -f [hpc_map]', '       setpe -r [-f [hpc_map]]', '       setpe -off'].join('\n');

/**
 * setpe -w -f MAP: load the map (hpcMap.ts checks its content); setpe -r [-f MAP]: write the
 * current configuration (to stdout without -f); setpe -off: leave the cluster.
 */
export function parseSetpe(args: readonly string[]): Parsed<SetpeCommand> {
  const bad = (problem: string): Parsed<SetpeCommand> => ({ ok: false, error: `setpe: ${problem}\n${SETPE_USAGE}` });
  let mode: 'w' | 'r' | 'off' | undefined;
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-w' || a === '-r' || a === '-off') {
      const m = a.slice(1) as 'w' | 'r' | 'off';
      if (mode && mode !== m) return bad(`-${mode} and ${a} cannot be combined`);
      mode = m;
    } else if (a === '-f') {
      const f = args[i + 1];
      if (f === undefined || f.startsWith('-')) return bad('-f needs a map file name, e.g. -f /etc/hpc.map');
      if (file !== undefined) return bad('-f given twice');
      file = f;
      i++;
    } else {
      return bad(`unknown argument "${a}"`);
    }
  }
  if (!mode) return bad('say what to do: -w (load a map), -r (show the map) or -off');
  if (mode === 'off') return file === undefined ? { ok: true, value: { cmd: 'off' } } : bad('-off takes no map file');
  if (mode === 'w') return file === undefined ? bad('-w needs the map to read: setpe -w -f /etc/hpc.map') : { ok: true, value: { cmd: 'write', file } };
  return { ok: true, value: file === undefined ? { cmd: 'read' } : { cmd: 'read', file } };
}
