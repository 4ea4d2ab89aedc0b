import { describe, expect, it } from 'vitest';
import { RpcError } from '../../shared/protocol/rpc.js';
import { refusedOutcome } from './actionOutcome.js';

describe('refusedOutcome', () => {
  it('EALREADY is information, any other code a failure', () => {
    expect(refusedOutcome('Sending it home', new RpcError('EALREADY', 'job 1.5 already runs on node 1'))).toEqual({ ok: true, text: 'Sending it home: nothing to do, job 1.5 already runs on node 1' });
    expect(refusedOutcome('Sending it home', new RpcError('EFAIL', 'no room'))).toEqual({ ok: false, text: 'Sending it home failed: no room' });
  });

  it("knows EALREADY made by boot.js's own copy of the bridge (another RpcError class than app.js's)", () => {
    // boot.js is a bundle of its own (renderer/boot.ts): the errors of the connection it opened are not instances of app.js's RpcError.
    class OtherRpcError extends Error {
      constructor(readonly code: string, message: string) {
        super(message);
        this.name = 'RpcError';
      }
    }
    expect(refusedOutcome('Sending it home', new OtherRpcError('EALREADY', 'job 1.5 already runs on node 1'))).toEqual({ ok: true, text: 'Sending it home: nothing to do, job 1.5 already runs on node 1' });
  });
});
