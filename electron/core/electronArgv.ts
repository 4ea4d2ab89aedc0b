/**
 * The Mosixview options in an Electron process's argv. Launchers put their own switches there:
 * `npm start` as root adds `--no-sandbox` before the script, an AppImage adds `--no-sandbox`
 * where user namespaces are blocked, Playwright's Electron launcher adds `--inspect=0
 * --remote-debugging-port=0` before the script. Those belong to Electron and Chromium (which
 * read them from the same command line) and are dropped here, so that `parseStartOptions`
 * still refuses every option it does not know (a mistyped `--profle` is an error, not ignored).
 */

/** Electron's documented switches and the Chromium switches launchers commonly add. */
const ELECTRON_SWITCHES = new Set([
  // Electron: https://www.electronjs.org/docs/latest/api/command-line-switches
  'auth-server-whitelist', 'auth-negotiate-delegate-whitelist', 'disable-ntlm-v2', 'disable-http-cache',
  'disable-http2', 'disable-renderer-backgrounding', 'disk-cache-size', 'enable-logging', 'force-fieldtrials',
  'host-rules', 'host-resolver-rules', 'ignore-certificate-errors', 'ignore-connections-limit', 'js-flags',
  'lang', 'log-file', 'log-net-log', 'log-level', 'no-proxy-server', 'no-sandbox', 'no-stdio-init',
  'proxy-bypass-list', 'proxy-pac-url', 'proxy-server', 'remote-debugging-port', 'v', 'vmodule',
  'force_high_performance_gpu', 'force_low_power_gpu', 'xdg-portal-required-version',
  // Node.js switches Electron honours
  'inspect', 'inspect-brk', 'inspect-port', 'inspect-publish-uid', 'experimental-network-inspection',
  'no-deprecation', 'throw-deprecation', 'trace-deprecation', 'trace-warnings',
  // Chromium switches added by launchers, desktop files and test harnesses
  'no-zygote', 'in-process-gpu', 'ozone-platform', 'ozone-platform-hint', 'use-gl', 'use-angle',
  'force-device-scale-factor', 'user-data-dir', 'headless', 'remote-debugging-pipe', 'remote-allow-origins',
  'password-store', 'gtk-version', 'class', 'high-dpi-support', 'force-color-profile', 'allow-file-access-from-files',
  'no-first-run', 'test-type', 'ignore-gpu-blocklist', 'start-maximized', 'kiosk', 'incognito',
]);

/** `--enable-*` / `--disable-*` are Chromium's feature families; Mosixview has no such option. */
const CHROMIUM_FAMILIES = /^--(enable|disable)-[a-z0-9-]+(=.*)?$/;

export function isElectronSwitch(arg: string): boolean {
  if (CHROMIUM_FAMILIES.test(arg)) return true;
  const m = /^--?([A-Za-z0-9_-]+)(=.*)?$/.exec(arg);
  return m !== null && arg.startsWith('--') && ELECTRON_SWITCHES.has(m[1]!);
}

/**
 * argv of the Electron main process -> the arguments for `parseStartOptions`.
 * argv[0] is the executable; unpackaged, the first plain argument before any Mosixview option
 * is the app's script (launchers may put switches before it, so it is not always argv[1]).
 */
export function mosixviewArgs(argv: readonly string[], isPackaged: boolean): string[] {
  const out: string[] = [];
  let scriptSeen = isPackaged;
  for (const arg of argv.slice(1)) {
    if (isElectronSwitch(arg)) continue;
    if (!scriptSeen && out.length === 0 && !arg.startsWith('-')) {
      scriptSeen = true;
      continue;
    }
    out.push(arg);
  }
  return out;
}
