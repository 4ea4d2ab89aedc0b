import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from './errorCodes.js';
import { RpcError, asRpcError, errorBody, wireError } from './rpc.js';
import { RpcEndpoint } from '../rpc/rpcEndpoint.js';

type Reqs = { add: { req: { a: number; b: number }; res: number } };

/** An endpoint whose request is answered with `error`, as raw wire text. */
async function answeredWith(error: unknown): Promise<RpcError> {
  const sent: string[] = [];
  const ep = new RpcEndpoint<Reqs, Record<never, never>>((l) => sent.push(l));
  const p = ep.request('add', { a: 1, b: 2 }).catch((e: unknown) => e);
  const { id } = JSON.parse(sent[0]!) as { id: number };
  ep.receive(JSON.stringify({ id, error }) + '\n');
  return (await p) as RpcError;
}

describe('the closed set of error codes', () => {
  it('documents every code in one line that says what to do', () => {
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^E[A-Z]+$/);
      expect(meaning).not.toContain('\n');
      expect(meaning, code).toMatch(/: /);
    }
  });

  it('knows its own codes only, not inherited names', () => {
    expect(isErrorCode('EALREADY')).toBe(true);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode('ENOSPC')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });
});

describe('codes from the wire (untrusted)', () => {
  it('keeps a known code', async () => {
    const e = await answeredWith({ code: 'EALREADY', message: 'job 1.4 already runs on node 1' });
    expect(e).toBeInstanceOf(RpcError);
    expect(e.code).toBe('EALREADY');
    expect(e.message).toBe('job 1.4 already runs on node 1');
  });

  it('turns a code this version does not know into EFAIL, the stranger kept only in the message', async () => {
    const e = await answeredWith({ code: 'EWHATEVER', message: 'a newer agent says no' });
    expect(e.code).toBe('EFAIL');
    expect(e.message).toBe('a newer agent says no (unknown error code "EWHATEVER")');
  });

  it('refuses names every object has, non-strings and endless codes', async () => {
    expect((await answeredWith({ code: 'constructor', message: 'x' })).code).toBe('EFAIL');
    expect((await answeredWith({ code: { evil: 1 }, message: 'x' })).code).toBe('EFAIL');
    const long = await answeredWith({ code: 'E'.repeat(10_000), message: 'x' });
    expect(long.code).toBe('EFAIL');
    expect(long.message.length).toBeLessThan(100);
  });

  it('a body without a code or message still says something', () => {
    expect(wireError({})).toMatchObject({ code: 'EFAIL', message: 'unknown error' });
    expect(wireError('nonsense')).toMatchObject({ code: 'EFAIL', message: 'unknown error' });
    expect(wireError({ code: 'EINVAL', message: 7 })).toMatchObject({ code: 'EINVAL', message: 'unknown error' });
  });
});

describe('errors on their way out', () => {
  it("a system call's errno is not ours: it travels as EIO, the errno in the words", () => {
    const full = Object.assign(new Error('the disk for images is full'), { code: 'ENOSPC' });
    expect(errorBody(full)).toEqual({ code: 'EIO', message: 'the disk for images is full (ENOSPC)' });
    const fs = Object.assign(new Error("ENOENT: no such file or directory, open '/x'"), { code: 'ENOENT' });
    expect(errorBody(fs)).toEqual({ code: 'EIO', message: "ENOENT: no such file or directory, open '/x'" });
    expect(asRpcError(full)).toMatchObject({ code: 'EIO' });
  });

  it('our own error keeps its code; anything else is EFAIL', () => {
    const own = new RpcError('EBUSY', 'job 1.2 is being moved already');
    expect(asRpcError(own)).toBe(own);
    expect(errorBody(new Error('boom'))).toEqual({ code: 'EFAIL', message: 'boom' });
    expect(errorBody('text')).toEqual({ code: 'EFAIL', message: 'text' });
  });
});
