/** Variants of the test cluster's profile for tests that need other SSH settings. */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestCluster } from '../cluster/testCluster.js';
import type { ProfileFile, SshSettings } from '../../electron/core/profile.js';

let counter = 0;

export function profileVariant(c: TestCluster, change: { ssh?: Partial<SshSettings>; nodes?: Record<string, SshSettings>; mapText?: string }): string {
  const base = JSON.parse(readFileSync(c.profilePath, 'utf8')) as ProfileFile;
  const profile: ProfileFile = { ...base, ssh: { ...base.ssh, ...change.ssh }, nodes: change.nodes ?? base.nodes };
  if (change.mapText) {
    delete profile.map;
    profile.mapText = change.mapText;
  }
  const file = join(c.dir, `profile-variant-${process.pid}-${++counter}.json`);
  writeFileSync(file, JSON.stringify(profile, null, 2));
  return file;
}

/** A known_hosts file of the test's own, starting as a copy of `from`. */
export function knownHostsCopy(c: TestCluster, from: string): string {
  const file = join(c.dir, `known_hosts-${process.pid}-${++counter}`);
  copyFileSync(from, file);
  return file;
}
