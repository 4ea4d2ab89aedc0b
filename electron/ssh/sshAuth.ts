/** The keys a connection offers: identity files that can be used without a passphrase, then the ssh-agent. */
import { existsSync, readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
import type { AgentAuthMethod, AuthMethod, PublicKeyAuthMethod } from 'ssh2';

const { utils } = ssh2;

export interface AuthPlan {
  methods: (user: string) => AuthMethod[];
  tried: string[];
  skipped: string[];
}

export function planAuth(identityFiles: string[], useAgent: boolean): AuthPlan {
  const keys: { file: string; data: Buffer }[] = [];
  const skipped: string[] = [];
  for (const file of identityFiles) {
    let data: Buffer;
    try {
      data = readFileSync(file);
    } catch (e) {
      skipped.push(`${file} (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (e as Error).message})`);
      continue;
    }
    const parsed = utils.parseKey(data);
    if (parsed instanceof Error) {
      // There is nobody to type a passphrase for a background connection: such keys belong in ssh-agent.
      skipped.push(
        /passphrase|encrypted/i.test(parsed.message)
          ? `${file} (passphrase-protected: add it to ssh-agent with ssh-add)`
          : `${file} (unreadable key: ${parsed.message})`,
      );
      continue;
    }
    keys.push({ file, data });
  }
  const tried = keys.map((k) => k.file);
  const sock = process.env.SSH_AUTH_SOCK;
  const agent = useAgent && sock && existsSync(sock) ? sock : null;
  if (agent) tried.push(`ssh-agent at ${agent}`);
  return {
    tried,
    skipped,
    methods: (username) => [
      ...keys.map((k): PublicKeyAuthMethod => ({ type: 'publickey', username, key: k.data })),
      ...(agent ? [{ type: 'agent', username, agent } satisfies AgentAuthMethod] : []),
    ],
  };
}
