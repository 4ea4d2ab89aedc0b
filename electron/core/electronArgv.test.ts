import { describe, expect, it } from 'vitest';
import { parseStartOptions } from './cliOptions.js';
import { isElectronSwitch, mosixviewArgs } from './electronArgv.js';
import { errorOf } from './errorOf.test-util.js';

/** The argv shapes each launcher really produces (see build/start.mjs, AppRun, Playwright's _electron.launch). */
describe('mosixviewArgs', () => {
  it('npm start as a user: electron main.cjs [options]', () => {
    expect(mosixviewArgs(['/x/electron', 'dist/electron/main.cjs'], false)).toEqual([]);
    expect(mosixviewArgs(['/x/electron', 'dist/electron/main.cjs', '--profile', 'c.json'], false)).toEqual(['--profile', 'c.json']);
  });

  it('npm start as root: --no-sandbox comes before the script', () => {
    expect(mosixviewArgs(['/x/electron', '--no-sandbox', 'dist/electron/main.cjs', '--map', 'hpc.map'], false)).toEqual(['--map', 'hpc.map']);
  });

  it('an AppImage (packaged, no script) adds --no-sandbox after the executable', () => {
    expect(mosixviewArgs(['/tmp/.mount_Mosix/mosixview', '--no-sandbox', '--profile', 'p.json'], true)).toEqual(['--profile', 'p.json']);
    expect(mosixviewArgs(['/opt/Mosixview/mosixview', '--no-sandbox'], true)).toEqual([]);
  });

  it("Playwright's Electron launcher: --inspect=0 --remote-debugging-port=0 before the script", () => {
    expect(mosixviewArgs(['/x/electron', '--inspect=0', '--remote-debugging-port=0', '/r/dist/electron/main.cjs', '--no-open'], false)).toEqual(['--no-open']);
  });

  it('Chromium switches anywhere, including feature families and values after =', () => {
    expect(mosixviewArgs(['/x/electron', 'main.cjs', '--profile', 'c.json', '--disable-gpu', '--enable-features=UseOzonePlatform', '--ozone-platform=wayland'], false)).toEqual(['--profile', 'c.json']);
  });

  it('keeps a value that looks like a path after a Mosixview option (not taken for the script)', () => {
    expect(mosixviewArgs(['/opt/Mosixview/mosixview', '--map', 'hpc.map'], true)).toEqual(['--map', 'hpc.map']);
  });

  it('unknown options still reach parseStartOptions and are refused there', () => {
    const args = mosixviewArgs(['/x/electron', '--no-sandbox', 'main.cjs', '--profle', 'c.json'], false);
    expect(args).toEqual(['--profle', 'c.json']);
    expect(errorOf(() => parseStartOptions(args)).message).toMatch(/unknown option "--profle"/);
  });

  it('does not take Mosixview options or look-alikes for Electron switches', () => {
    for (const a of ['--profile', '--map', '--no-open', '--no-agent', '--listen', '--inspector', '-v', 'no-sandbox']) expect(isElectronSwitch(a), a).toBe(false);
    for (const a of ['--no-sandbox', '--inspect', '--inspect-brk=9229', '--remote-debugging-port=0', '--v=1', '--lang=de']) expect(isElectronSwitch(a), a).toBe(true);
  });
});
