/**
 * Property tests of the command line: any argument list gives options or a ProfileError /
 * MapError; an unknown option or a bad value is named in the message.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MapError } from '../../shared/hpcMap.js';
import { parseStartOptions } from './cliOptions.js';
import { ProfileError } from './profile.js';

const WITH_VALUE = [
  '--profile', '--map', '--user', '--port', '--identity', '--known-hosts', '--ssh-config', '--proxy-jump', '--node-path',
  '--agent-dir', '--cluster-key', '--listen',
];
const FLAGS = ['--no-agent', '--no-open', '-h', '--help'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mosixview-cli-prop-'));
  writeFileSync(join(dir, 'hpc.map'), '1 10.1.0.1 2\n');
  writeFileSync(join(dir, 'bad.map'), '1 10.1.0.1 1\n1 10.1.0.9 1\n');
  writeFileSync(join(dir, 'good.json'), JSON.stringify({ map: 'hpc.map' }));
  writeFileSync(join(dir, 'bad.json'), '{ nope');
  writeFileSync(join(dir, 'array.json'), '[]');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const value = fc.oneof(
  fc.constantFrom('hpc.map', 'bad.map', 'good.json', 'bad.json', 'array.json', 'missing.json', '.', '22', '0', '65536', '-1', '1.5', '0x16', '', '--'),
  fc.integer({ min: -10, max: 70000 }).map(String),
  fc.string({ maxLength: 10 }),
);
const argv = fc.array(fc.oneof(fc.constantFrom(...WITH_VALUE, ...FLAGS), value), { maxLength: 10 });

describe('parseStartOptions (properties)', () => {
  it('gives options or a ProfileError / MapError, for any argument list', () => {
    fc.assert(
      fc.property(argv, (args) => {
        try {
          const o = parseStartOptions(args, dir);
          expect(Number.isInteger(o.listenPort) && o.listenPort >= 0 && o.listenPort <= 65535).toBe(true);
          const port = o.cluster.nodes[0]?.ssh.port;
          if (port !== undefined) expect(Number.isInteger(port) && port >= 1 && port <= 65535).toBe(true);
        } catch (e) {
          expect(e instanceof ProfileError || e instanceof MapError, `not a ProfileError or MapError: ${String(e)}`).toBe(true);
          const m = (e as Error).message;
          // An option's problem names the option (or the file it gave).
          const named = args.some((a) => a !== '' && m.includes(a)) || /SSH options|--cluster-key needs|either --profile/.test(m);
          expect(named, m).toBe(true);
        }
      }),
      { numRuns: 600 },
    );
  });
});
