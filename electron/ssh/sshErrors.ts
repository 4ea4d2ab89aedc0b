/** Connection failures, classified so the UI can show the right remedy. */

export type SshErrorKind = 'hostkey-changed' | 'hostkey-rejected' | 'auth' | 'unreachable' | 'refused' | 'timeout' | 'other';

export class SshError extends Error {
  constructor(
    readonly kind: SshErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SshError';
  }
}

export interface FailedHop {
  /** "jump host " or "" */
  role: string;
  hostName: string;
  port: number;
  user: string;
  auth: { tried: string[]; skipped: string[] };
}

/** ssh2 and socket errors in words an admin can act on, always naming host and port. */
export function translateSshError(err: Error & { code?: string | number; level?: string }, hop: FailedHop): SshError {
  const where = `${hop.role}${hop.hostName}:${hop.port}`;
  if (err.level === 'client-authentication') {
    const skipped = hop.auth.skipped.length ? `; skipped ${hop.auth.skipped.join(', ')}` : '';
    const msg = hop.auth.tried.length
      ? `${hop.user}@${where} refused all keys: tried ${hop.auth.tried.join(', ')}${skipped}`
      : `${hop.user}@${where}: no usable key to offer (set identityFile in the profile or load a key into ssh-agent)${skipped}`;
    return new SshError('auth', msg, { cause: err });
  }
  switch (err.code) {
    case 'ECONNREFUSED':
      return new SshError('refused', `${where}: connection refused (sshd not running or port wrong)`, { cause: err });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ETIMEDOUT':
      return new SshError('unreachable', `${where} is unreachable (${err.code}): node down, or network/firewall problem`, { cause: err });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new SshError('unreachable', `${hop.role}${hop.hostName}: host name not found (${err.code}): check the map file, /etc/hosts or DNS`, { cause: err });
    case 'ECONNRESET':
      return new SshError('other', `${where} reset the connection during the SSH handshake (sshd refusing connections? see its log)`, { cause: err });
    default:
      return new SshError('other', `${where}: ${err.message}`, { cause: err });
  }
}

