/** The message of the RpcError a check throws, after checking that it is one with EINVAL. */
import { expect } from 'vitest';
import { RpcError } from './rpc.js';

export function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RpcError);
    expect((e as RpcError).code).toBe('EINVAL');
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}
