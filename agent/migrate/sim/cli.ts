/**
 * npm run sim -- [--plan JSON [--precopy]] [--pairs N] [--seed S]
 * Replays one plan with its steps and the agents' log lines, or explores like the unit test
 * (with as many pairs as asked) and prints every failing plan.
 */
import { explore, runPlan } from './explore.js';

async function main(argv: string[]): Promise<number> {
  const opt = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const plan = opt('plan');
  if (plan) {
    const r = await runPlan(JSON.parse(plan), [], argv.includes('--precopy'));
    for (const s of r.steps) console.log(`${String(s.n).padStart(3)} t=${s.at} node ${s.node} ${s.kind}: ${s.what}`);
    console.log(`faults that struck: ${JSON.stringify(r.fired)}`);
    console.log(`migrate said: ${r.outcome}`);
    console.log(r.log.join('\n'));
    console.log(r.violations.length ? `VIOLATIONS:\n  ${r.violations.join('\n  ')}` : 'no violations');
    return r.violations.length ? 1 : 0;
  }
  const x = await explore({ pairs: Number(opt('pairs') ?? 2000), seed: Number(opt('seed') ?? 1) });
  console.log(`steps ${JSON.stringify(x.baseSteps)}; ${x.singles} single faults; ${x.pairs} pairs; ${x.distinct} distinct schedules; outcomes ${JSON.stringify(x.outcomes)}`);
  for (const f of x.failures) console.log(`plan ${JSON.stringify(f.plan)}${f.scenario === 'pre-copy' ? ' --precopy' : ''} (${f.outcome}):\n  ${f.violations.join('\n  ')}`);
  return x.failures.length ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
