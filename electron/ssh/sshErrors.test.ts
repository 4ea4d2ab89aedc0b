import { describe, expect, it } from 'vitest';
import { translateSshError } from './sshErrors.js';

const hop = { role: '', hostName: '10.0.0.3', port: 22, user: 'root', auth: { tried: ['/k1', 'ssh-agent at /s'], skipped: [] } };
const err = (code: string) => Object.assign(new Error(`connect ${code}`), { code, level: 'client-socket' });

describe('translateSshError', () => {
  it('classifies socket errors and names host and port', () => {
    expect(translateSshError(err('EHOSTUNREACH'), hop)).toMatchObject({ kind: 'unreachable', message: expect.stringContaining('10.0.0.3:22 is unreachable (EHOSTUNREACH)') });
    expect(translateSshError(err('ETIMEDOUT'), hop).kind).toBe('unreachable');
    expect(translateSshError(err('ECONNREFUSED'), { ...hop, role: 'jump host ' }).message).toBe(
      'jump host 10.0.0.3:22: connection refused (sshd not running or port wrong)',
    );
    expect(translateSshError(err('ENOTFOUND'), hop).message).toMatch(/^10\.0\.0\.3: host name not found/);
    expect(translateSshError(new Error('weird'), hop)).toMatchObject({ kind: 'other', message: '10.0.0.3:22: weird' });
  });

  it('lists tried keys on authentication failure', () => {
    const e = Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' });
    expect(translateSshError(e, hop).message).toBe('root@10.0.0.3:22 refused all keys: tried /k1, ssh-agent at /s');
    expect(translateSshError(e, { ...hop, auth: { tried: [], skipped: ['/k (passphrase-protected)'] } }).message).toBe(
      'root@10.0.0.3:22: no usable key to offer (set identityFile in the profile or load a key into ssh-agent); skipped /k (passphrase-protected)',
    );
  });
});
