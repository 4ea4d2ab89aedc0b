import { describe, expect, it } from 'vitest';
import { keyVerdict, type NodeKeyFact } from './keyVerdict.js';

const f = (id: number, keyId: string | null | undefined, settled = keyId !== undefined): NodeKeyFact => ({ id, keyId, settled });

describe('keyVerdict', () => {
  it('a fresh cluster (no key anywhere, every node heard from) gets the GUI key', () => {
    expect(keyVerdict(null, [f(1, null), f(2, null)])).toEqual({ kind: 'agreed' });
    expect(keyVerdict('aa', [f(1, null), f(2, null, true)])).toEqual({ kind: 'agreed' });
  });

  it('keyless nodes wait while a node that might hold another key has not answered', () => {
    expect(keyVerdict('aa', [f(1, null), f(2, undefined), f(3, undefined, true)])).toEqual({ kind: 'waiting', on: [2] });
  });

  it('a node holding the GUI key settles it: keyless nodes get it without waiting for the rest', () => {
    expect(keyVerdict('aa', [f(1, 'aa'), f(2, null), f(3, undefined)])).toEqual({ kind: 'agreed' });
  });

  it('a second GUI with another key (or none) installs nothing: the nodes hold the cluster key', () => {
    expect(keyVerdict('bb', [f(1, 'aa'), f(2, 'aa'), f(3, null)])).toEqual({ kind: 'conflict', others: [{ keyId: 'aa', nodes: [1, 2] }] });
    expect(keyVerdict(null, [f(1, 'aa'), f(2, undefined)])).toEqual({ kind: 'conflict', others: [{ keyId: 'aa', nodes: [1] }] });
  });

  it('a split cluster names every key other than the GUI key, the most widely held first', () => {
    expect(keyVerdict('aa', [f(1, 'aa'), f(2, 'cc'), f(3, 'bb'), f(4, 'bb')])).toEqual({
      kind: 'conflict',
      others: [{ keyId: 'bb', nodes: [3, 4] }, { keyId: 'cc', nodes: [2] }],
    });
  });
});
