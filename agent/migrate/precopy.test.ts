import { describe, expect, it } from 'vitest';
import { anotherRound, choosePath, FINAL_BYTES, MAX_ROUNDS, PRECOPY_MIN_BYTES } from './precopy.js';

const MiB = 1024 * 1024;
const criu = (preDump: boolean) => ({ path: '/usr/sbin/criu', version: '4.1.1', preDump });

describe('which way the memory moves', () => {
  it('one dump where the kernel does not track dirty pages, and says so', () => {
    expect(choosePath(criu(false), 1, 4096 * MiB)).toEqual({ path: 'one dump', why: expect.stringMatching(/node 1's kernel does not track dirty pages \(CONFIG_MEM_SOFT_DIRTY\)/) });
  });
  it('one dump for a small job, pre-copy for a big one where the kernel allows it', () => {
    expect(choosePath(criu(true), 2, 100 * MiB)).toEqual({ path: 'one dump', why: 'the job holds 100 MiB of memory: one dump is quicker than rounds of copying' });
    expect(choosePath(criu(true), 2, undefined).path).toBe('one dump');
    expect(choosePath(criu(true), 2, PRECOPY_MIN_BYTES)).toEqual({ path: 'pre-copy', why: expect.stringMatching(/node 2 tracks dirty pages/) });
  });
});

describe('pre-copy rounds', () => {
  it('go on while each round copies clearly less than the one before', () => {
    expect(anotherRound([])).toBe(true);
    expect(anotherRound([1024 * MiB])).toBe(true);
    expect(anotherRound([1024 * MiB, 400 * MiB])).toBe(true);
    expect(anotherRound([1024 * MiB, 400 * MiB, 150 * MiB])).toBe(true);
  });
  it('stop when a round no longer shrinks (the job dirties memory as fast as it is copied)', () => {
    expect(anotherRound([1024 * MiB, 800 * MiB])).toBe(false);
    expect(anotherRound([1024 * MiB, 300 * MiB, 290 * MiB])).toBe(false);
  });
  it('stop when what is left is small enough for the final dump, or after the last round allowed', () => {
    expect(anotherRound([1024 * MiB, FINAL_BYTES])).toBe(false);
    const halving = Array.from({ length: MAX_ROUNDS }, (_, i) => (4096 * MiB) / 2 ** i);
    expect(anotherRound(halving.slice(0, MAX_ROUNDS - 1))).toBe(true);
    expect(anotherRound(halving)).toBe(false);
  });
});
