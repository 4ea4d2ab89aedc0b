/**
 * Does the migration simulation fail when the protocol is broken? Each mutation breaks one
 * safeguard of the real protocol code in a scratch copy of agent/ and shared/, and the
 * simulation (600 fault pairs) must then report violations. A mutation it does not catch
 * means the simulation tests less than it claims.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface Mutation {
  name: string;
  file: string;
  from: string;
  to: string;
}

export const MUTATIONS: Mutation[] = [
  {
    name: 'a frozen job takes the admin\'s signals',
    file: 'agent/jobs/jobsService.ts',
    from: 'const moving = job && movingRefusal(job, `send SIG${sig} to`);',
    to: 'const moving = undefined as Error | undefined;',
  },
  {
    name: 'the target answers "none" without its commit log',
    file: 'agent/migrate/targetSide.ts',
    from: "if (this.commits.has(id)) return 'running';",
    to: "if (false) return 'running';",
  },
  {
    name: 'the target resumes the job before its commit is on disk',
    file: 'agent/migrate/targetSide.ts',
    from: 'this.commits.add(id);\n    } catch',
    to: 'void 0;\n    } catch',
  },
  {
    name: 'the source resumes on a lost commit answer without asking',
    file: 'agent/migrate/orchestrator.ts',
    from: "// Lost, refused or answered from an earlier commit: the target's status decides.\n      const phase = await this.askStatus(to, id);",
    to: "const phase: Phase = 'none';",
  },
  {
    name: 'the source sends the commit without recording its hand-over',
    file: 'agent/migrate/copyJob.ts',
    from: "  c.steps.handOver(key, to, id);\n  return { sentAt, restoredAt };",
    to: "  return { sentAt, restoredAt };",
  },
  {
    name: 'a restored copy is recorded as running before it is resumed',
    file: 'agent/migrate/localSteps.ts',
    from: "    if (back === 'running') this.cont(r.pid);\n    const { frozenBy: _f, stateBeforeFreeze: _s, moving: _m, ...rest } = r;\n    return this.jobs.registry.record({\n      ...rest, state: back, migrations: r.migrations + 1, lastMigration: { ...m, at: this.now() },\n      note: `migrated from node ${m.from}`,\n    });",
    to: "    const { frozenBy: _f, stateBeforeFreeze: _s, moving: _m, ...rest } = r;\n    const done = this.jobs.registry.record({\n      ...rest, state: back, migrations: r.migrations + 1, lastMigration: { ...m, at: this.now() },\n      note: `migrated from node ${m.from}`,\n    });\n    if (back === 'running') this.cont(r.pid);\n    return done;",
  },
];

export interface MutationResult {
  name: string;
  caught: boolean;
  detail: string;
}

/** Runs the simulation against each mutation in a scratch copy; `repo` is the checkout. */
export function runMutations(repo = resolve('.'), pairs = 600): MutationResult[] {
  const out: MutationResult[] = [];
  for (const m of MUTATIONS) {
    const dir = mkdtempSync(join(tmpdir(), 'mv-mutation-'));
    try {
      for (const d of ['agent', 'shared']) cpSync(join(repo, d), join(dir, d), { recursive: true });
      symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
      const file = join(dir, m.file);
      const text = readFileSync(file, 'utf8');
      if (!text.includes(m.from)) throw new Error(`mutation "${m.name}": ${m.file} no longer contains the code it breaks; update e2e/reliability/mutations.ts`);
      writeFileSync(file, text.replace(m.from, m.to));
      const r = spawnSync(join(repo, 'node_modules/.bin/tsx'), [join(dir, 'agent/migrate/sim/cli.ts'), '--pairs', String(pairs), '--seed', '20261129'], { encoding: 'utf8', cwd: dir });
      const violations = (r.stdout.match(/^plan /gm) ?? []).length;
      out.push({ name: m.name, caught: r.status !== 0 && violations > 0, detail: `${violations} failing schedules` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

if (process.argv[1]?.endsWith('mutations.ts')) {
  for (const r of runMutations()) console.log(`${r.caught ? 'caught' : 'MISSED'}: ${r.name} (${r.detail})`);
}
