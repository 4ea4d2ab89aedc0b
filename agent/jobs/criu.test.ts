import { describe, expect, it } from 'vitest';
import { criuEnv } from './criu.js';

describe('criuEnv', () => {
  it('asks CRIU for PTRACE_SYSCALL instead of hardware breakpoints (they hang where a hypervisor lacks them)', () => {
    expect(criuEnv({ PATH: '/bin' })).toEqual({ PATH: '/bin', CRIU_FAULT: '130' });
  });
  it("keeps an admin's own CRIU_FAULT", () => {
    expect(criuEnv({ CRIU_FAULT: '131' }).CRIU_FAULT).toBe('131');
  });
});
