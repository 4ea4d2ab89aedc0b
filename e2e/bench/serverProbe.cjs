// Loaded into the headless server by the start-up bench (NODE_OPTIONS=--require): how late its
// event loop ran (perf_hooks), and when the page's first HTTP request and its WebSocket reached
// it, in ms since the process started. One cumulative line on stderr every 100 ms; the bench reads the last.
// CommonJS and --require, not --import: any --import routes the server's own CommonJS entry
// through the ES module loader, which parsed its 190 kB for exports and put some 0.1 s on every
// start the bench measured.
'use strict';
const { monitorEventLoopDelay, performance } = process.getBuiltinModule('node:perf_hooks');
const http = process.getBuiltinModule('node:http');

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
let firstRequest = -1;
let firstUpgrade = -1;
const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, ...args) {
  if (event === 'request' && firstRequest < 0) firstRequest = performance.now();
  if (event === 'upgrade' && firstUpgrade < 0) firstUpgrade = performance.now();
  return emit.call(this, event, ...args);
};
setInterval(() => {
  const ms = (ns) => Math.round(ns / 1e6);
  process.stderr.write(
    `bench-server-probe: max=${ms(delay.max)} p99=${ms(delay.percentile(99))} request=${Math.round(firstRequest)} upgrade=${Math.round(firstUpgrade)}\n`,
  );
}, 100).unref();
