import { describe, expect, it } from 'vitest';
import { applyControl, CONTROLS, DEFAULT_CONTROLS, MOSCTL_USAGE, parseMosctl, parseSetpe, type MosctlCommand } from './controls.js';

const ok = (line: string): MosctlCommand => {
  const r = parseMosctl(line.split(' ').filter(Boolean));
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const err = (line: string): string => {
  const r = parseMosctl(line.split(' ').filter(Boolean));
  if (r.ok) throw new Error(`"${line}" parsed as ${JSON.stringify(r.value)}`);
  return r.error;
};

describe('mosctl', () => {
  it('flags and their inverses', () => {
    for (const f of ['stay', 'lstay', 'block', 'quiet'] as const) {
      expect(ok(f)).toEqual({ cmd: 'set', flag: f, value: true });
      expect(ok(`no${f}`)).toEqual({ cmd: 'set', flag: f, value: false });
    }
    expect(err('stay now')).toMatch(/"stay" takes no arguments, got "now"/);
  });
  it('one-shot actions and getdecay', () => {
    expect(ok('expel')).toEqual({ cmd: 'expel' });
    expect(ok('bring')).toEqual({ cmd: 'bring' });
    expect(ok('getdecay')).toEqual({ cmd: 'getdecay' });
  });
  it('readers with an optional node', () => {
    expect(ok('getload 3')).toEqual({ cmd: 'get', what: 'load', node: 3 });
    expect(ok('getload')).toEqual({ cmd: 'get', what: 'load' });
    for (const w of ['speed', 'mem', 'free', 'util'] as const) {
      expect(ok(`get${w}`)).toEqual({ cmd: 'get', what: w });
      expect(ok(`get${w} 12`)).toEqual({ cmd: 'get', what: w, node: 12 });
    }
    expect(ok('status')).toEqual({ cmd: 'status' });
    expect(ok('status 2')).toEqual({ cmd: 'status', node: 2 });
    expect(err('getload x')).toMatch(/"x" is not a node ID[\s\S]*usage: mosctl getload \[openMosix_ID\]/);
    expect(err('getload 0')).toMatch(/not a node ID/);
    expect(err('getspeed 1 2')).toMatch(/at most 1/);
  });
  it('isup asks about a node, this one when none is named', () => {
    expect(ok('isup 4')).toEqual({ cmd: 'isup', node: 4 });
    expect(ok('isup')).toEqual({ cmd: 'isup' });
    expect(err('isup 4 5')).toMatch(/usage: mosctl isup \[openMosix_ID\]/);
    expect(err('isup 70000')).toMatch(/not a node ID/);
  });
  it('whois by ID, IP or host name', () => {
    expect(ok('whois 3')).toEqual({ cmd: 'whois', target: { by: 'id', id: 3 } });
    expect(ok('whois 192.168.1.3')).toEqual({ cmd: 'whois', target: { by: 'ip', ip: '192.168.1.3' } });
    expect(ok('whois node3.lan')).toEqual({ cmd: 'whois', target: { by: 'host', host: 'node3.lan' } });
    expect(ok('whois')).toEqual({ cmd: 'whois' });
    expect(err('whois 300.1.1.1')).toMatch(/neither a node ID/);
    expect(err('whois bad_name!')).toMatch(/usage: mosctl whois/);
  });
  it('setspeed', () => {
    expect(ok('setspeed 15000')).toEqual({ cmd: 'setspeed', speed: 15000 });
    expect(err('setspeed')).toMatch(/needs the new speed[\s\S]*usage: mosctl setspeed/);
    expect(err('setspeed fast')).toMatch(/"fast" is not a whole number/);
    expect(err('setspeed 50')).toMatch(/outside 100\.\.1000000/);
    expect(err('setspeed 2000000')).toMatch(/outside/);
  });
  it('setdecay interval [slow fast]', () => {
    expect(ok('setdecay 1 975 926')).toEqual({ cmd: 'setdecay', intervalS: 1, slow: 975, fast: 926 });
    expect(ok('setdecay 2')).toEqual({ cmd: 'setdecay', intervalS: 2 });
    expect(err('setdecay')).toMatch(/got 0 argument/);
    expect(err('setdecay 1 975')).toMatch(/got 2 argument[\s\S]*setdecay 1 975 926/);
    expect(err('setdecay 0')).toMatch(/interval "0"/);
    expect(err('setdecay 1 1000 926')).toMatch(/slow "1000" must be thousandths/);
    expect(err('setdecay 1 975 x')).toMatch(/fast "x"/);
    expect(err('setdecay 1 900 950')).toMatch(/slow \(900\) must not be below fast \(950\)/);
  });
  it('unknown, empty and unsupported commands', () => {
    expect(err('')).toMatch(/no command given/);
    expect(err('')).toContain(MOSCTL_USAGE);
    expect(err('frobnicate')).toMatch(/unknown command "frobnicate"/);
    expect(err('nomfs')).toMatch(/MFS/);
    expect(err('getyard')).toMatch(/yardstick/);
    expect(err('setyard 3')).toMatch(/yardstick/);
    expect(err('gettune')).toMatch(/tuning/);
  });
});

describe('controls state', () => {
  it('defaults: everything off, standard speed, 1 s / 975 / 926', () => {
    expect(DEFAULT_CONTROLS).toEqual({ flags: { stay: false, lstay: false, block: false, quiet: false }, speed: 10000, decay: { intervalS: 1, slow: 975, fast: 926 } });
  });
  it('applies flags, speed and decay; readers and actions change nothing', () => {
    let c = applyControl(DEFAULT_CONTROLS, ok('block'));
    expect(c.flags.block).toBe(true);
    c = applyControl(c, ok('noblock'));
    expect(c.flags.block).toBe(false);
    c = applyControl(c, ok('setspeed 20000'));
    expect(c.speed).toBe(20000);
    c = applyControl(c, ok('setdecay 3'));
    expect(c.decay).toEqual({ intervalS: 3, slow: 975, fast: 926 });
    c = applyControl(c, ok('setdecay 2 990 900'));
    expect(c.decay).toEqual({ intervalS: 2, slow: 990, fast: 900 });
    expect(applyControl(c, ok('expel'))).toBe(c);
    expect(applyControl(c, ok('getload 2'))).toBe(c);
  });
  it('describes every control with its /proc file', () => {
    expect(CONTROLS.map((x) => x.name)).toEqual(['stay', 'lstay', 'block', 'quiet', 'expel', 'bring', 'setspeed', 'setdecay']);
    for (const x of CONTROLS) expect(x.procFile).toMatch(/^\/proc\/hpc\/admin\//);
  });
});

describe('setpe', () => {
  const p = (s: string) => parseSetpe(s.split(' ').filter(Boolean));
  it('-w -f MAP, -r [-f MAP], -off', () => {
    expect(p('-w -f /etc/hpc.map')).toEqual({ ok: true, value: { cmd: 'write', file: '/etc/hpc.map' } });
    expect(p('-f /etc/hpc.map -w')).toEqual({ ok: true, value: { cmd: 'write', file: '/etc/hpc.map' } });
    expect(p('-r')).toEqual({ ok: true, value: { cmd: 'read' } });
    expect(p('-r -f out.map')).toEqual({ ok: true, value: { cmd: 'read', file: 'out.map' } });
    expect(p('-off')).toEqual({ ok: true, value: { cmd: 'off' } });
  });
  it('errors name the problem and show the usage', () => {
    const e = (s: string) => {
      const r = p(s);
      return r.ok ? '' : r.error;
    };
    expect(e('')).toMatch(/say what to do[\s\S]*usage: setpe -w -f/);
    expect(e('-w')).toMatch(/-w needs the map/);
    expect(e('-w -f')).toMatch(/-f needs a map file name/);
    expect(e('-w -f -r')).toMatch(/-f needs a map file name/);
    expect(e('-w -r -f x')).toMatch(/-w and -r cannot be combined/);
    expect(e('-off -f x')).toMatch(/-off takes no map file/);
    expect(e('-w -f a -f b')).toMatch(/-f given twice/);
    expect(e('-x')).toMatch(/unknown argument "-x"/);
  });
});
