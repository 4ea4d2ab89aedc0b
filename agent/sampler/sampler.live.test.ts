/**
 * The sampler on the real /proc, against the kernel's own count of the same processes. Each
 * test runs a small node (a PID namespace in a cgroup of its own, liveNode.test-util.ts) and
 * samples only its processes, so other work on this shared 2-core machine neither adds to what
 * is measured nor, where a figure depends on getting a CPU, changes what is expected.
 *
 * The kernel's view: demand is the time-average of the number of the node's runnable tasks,
 * i.e. (CPU time + time waiting for a CPU) / interval over all its tasks, ended ones included.
 * The kernel counts the CPU time of a group exactly (cgroup cpu.stat); of the waiting it keeps
 * per group only the time during which at least one task waited (cpu.pressure "some"), which is
 * the total while the group's tasks do not wait at the same time. /proc/loadavg is no
 * reference: it counts tasks at instants, which is the error under test.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeSample } from '../../shared/domain/node.js';
import { Sampler } from './sampler.js';
import { LiveNode, type KernelCount } from './liveNode.test-util.js';

let nodes: LiveNode[] = [];
afterEach(async () => {
  for (const n of nodes) await n.stop();
  nodes = [];
});
async function liveNode(script: string, opts?: { realtime?: boolean }): Promise<LiveNode> {
  const n = await LiveNode.start(script, opts);
  nodes.push(n);
  return n;
}

/** Samples the node once a second, `seconds` times after a first sample, with the kernel's count at both ends. */
async function observe(node: LiveNode, seconds: number) {
  const s = new Sampler({ procRoot: node.procRoot, speed: () => 10000 });
  const before: KernelCount = node.count();
  const t0 = performance.now();
  let { procs } = s.sample();
  const samples: NodeSample[] = [];
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    const r = s.sample();
    samples.push(r.sample);
    procs = r.procs;
  }
  const sec = (performance.now() - t0) / 1000;
  const after = node.count();
  const kernel = { cpu: (after.cpuSec - before.cpuSec) / sec, someWait: (after.someWaitSec - before.someWaitSec) / sec };
  const mean = (f: (x: NodeSample) => number) => samples.reduce((a, x) => a + f(x), 0) / samples.length;
  return { samples, procs, kernel, mean };
}

describe('Sampler on the real /proc', () => {
  it("reads a busy process's CPU as the kernel counts it, and its demand as 1 however busy the machine", async () => {
    // One thread (a shell loop, not Node.js, whose helper threads wake now and then).
    const node = await liveNode("exec sh -c 'while :; do :; done' spinner");
    await sleep(300); // let it start spinning
    const { samples, procs, kernel, mean } = await observe(node, 3);
    expect(procs.map((p) => p.args)).toEqual(["sh -c while :; do :; done spinner"]);
    // Running or waiting for a CPU, it is runnable all the time: one task.
    const seen = `demand ${samples.map((x) => x.demand).join(' ')}; util ${samples.map((x) => x.util).join(' ')}; kernel ${JSON.stringify(kernel)}`;
    // The kernel adds a wait to schedstat when the wait ends, so a wait in progress at a read
    // falls in the next interval: on a crowded machine one sample can be off by the length of a
    // wait (tens of ms; 0.08 seen with the hog getting a fifth of a CPU), and the next makes up
    // for it. Leaving the waiting out would read what it got of a CPU (0.19 in that run).
    for (const x of samples) expect(Math.abs(x.demand - 1), seen).toBeLessThan(0.15);
    expect(Math.abs(mean((x) => x.demand) - 1), seen).toBeLessThan(0.05);
    expect(samples.at(-1)?.demandSource).toBe('schedstat');
    // What it got of a CPU depends on the machine; the sampler must say what the kernel says.
    expect(Math.abs((mean((x) => x.util) * samples[0]!.cpus) / 100 - kernel.cpu), seen).toBeLessThan(0.04);
    expect(samples.at(-1)?.procCount).toBe(procs.length);
    expect(samples.at(-1)?.mem.totalKb).toBeGreaterThan(0);
  }, 30_000);

  it('reads an idle node polled by a short-lived client every second as the kernel counts it', async () => {
    // The client: a Node.js process that reads a file and ends, like `mosctl getload`.
    const node = await liveNode(`while :; do node -e "require('fs').readFileSync('/proc/loadavg')"; sleep 1; done`, { realtime: true });
    const { samples, kernel, mean } = await observe(node, 12);
    const seen = `demand ${samples.map((x) => x.demand).join(' ')}; load ${samples.map((x) => x.load).join(' ')}; kernel ${JSON.stringify(kernel)}`;
    // At real-time priority the node's tasks run as soon as they are runnable, as on an idle
    // machine: their runnable time is their CPU time, which the kernel counts exactly.
    expect(kernel.someWait, seen).toBeLessThan(0.02);
    expect(kernel.cpu, seen).toBeGreaterThan(0.02); // the client does cost something
    expect(Math.abs(mean((x) => x.demand) - kernel.cpu), seen).toBeLessThan(0.03);
    // What `mosctl getload` reads: within a few points on average, and no reading counts the
    // client as a whole task because it happened to run at the sample.
    expect(Math.abs(mean((x) => x.load) - kernel.cpu), seen).toBeLessThan(0.05);
    for (const x of samples) expect(x.load, seen).toBeLessThan(0.5);
    expect(Math.abs((mean((x) => x.util) * samples[0]!.cpus) / 100 - kernel.cpu), seen).toBeLessThan(0.03);
  }, 60_000);

  it('counts the waiting of two processes sharing one CPU: demand 2, utilisation what they got', async () => {
    const node = await liveNode("taskset -c 0 sh -c 'while :; do :; done' & taskset -c 0 sh -c 'while :; do :; done' & wait");
    await sleep(300);
    const { samples, kernel, mean } = await observe(node, 3);
    const seen = `demand ${samples.map((x) => x.demand).join(' ')}; util ${samples.map((x) => x.util).join(' ')}; kernel ${JSON.stringify(kernel)}`;
    for (const x of samples) expect(Math.abs(x.demand - 2), seen).toBeLessThan(0.1);
    expect(kernel.cpu, seen).toBeLessThan(1.02); // one CPU between them
    expect(Math.abs((mean((x) => x.util) * samples[0]!.cpus) / 100 - kernel.cpu), seen).toBeLessThan(0.04);
  }, 30_000);
});
