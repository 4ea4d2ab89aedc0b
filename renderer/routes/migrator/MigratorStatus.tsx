import type { ProcStatus } from '../../../shared/protocol/apiJobs.js';
import type { NodeId } from '../../../shared/domain/node.js';
import type { MigratorView } from './migratorView.js';

const STATES: Record<string, string> = {
  R: 'running', S: 'sleeping', D: 'waiting for I/O', T: 'stopped', t: 'stopped by a debugger', Z: 'zombie (ended)', I: 'idle', X: 'dead',
};

export function formatBytes(n: number): string {
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  if (n >= 1 << 10) return `${Math.round(n / (1 << 10))} kB`;
  return `${n} bytes`;
}

/** The migrator's live status: where it runs, home, migrations, last freeze, why it cannot move. */
export function MigratorStatus({ status, view, asked }: { status: ProcStatus | undefined; view: MigratorView; asked: NodeId }) {
  if (!status) return <section aria-label="Status" className="migrator-status"><p className="muted">Asking node {asked} ...</p></section>;
  const { proc, job, reasons, nodeId } = status;
  const last = job?.lastMigration;
  const state = proc
    ? `${STATES[proc.state] ?? proc.state}${job && job.state !== 'running' && job.state !== 'stopped' ? ` (job ${job.state})` : ''}`
    : job?.state ?? '-';
  return (
    <section aria-label="Status" className="migrator-status">
      <h2>Status</h2>
      {view.headline && (view.headline.kind === 'ended' || view.headline.kind === 'pending') && (
        <p role="status" aria-label="Process ended">{view.headline.text}</p>
      )}
      <dl>
        <dt>Runs on</dt><dd aria-label="Runs on">{view.where}</dd>
        <dt>Home node</dt><dd aria-label="Home node">node {job ? job.ref.home : nodeId}</dd>
        <dt>PID</dt><dd aria-label="PID">{proc?.pid ?? (view.runs ? job?.pid : undefined) ?? '-'}</dd>
        <dt>State</dt><dd aria-label="State">{view.runs ? state : job?.state ?? '-'}</dd>
        <dt>Nice</dt><dd aria-label="Current nice">{proc?.nice ?? '-'}</dd>
        <dt>Migrations</dt><dd aria-label="Migrations">{job?.migrations ?? 0}</dd>
        <dt>Last migration</dt>
        <dd aria-label="Last migration">
          {last ? `node ${last.from} to node ${last.to}: frozen ${last.freezeMs} ms, ${formatBytes(last.bytes)} moved` : 'none'}
        </dd>
        <dt>Can it move?</dt>
        <dd aria-label="Why it cannot move">
          {!view.runs ? '-' : reasons.length === 0 ? 'yes' : (
            <ul className="reasons">{reasons.map((r) => <li key={r}>{r}</li>)}</ul>
          )}
        </dd>
        {job?.note && (<><dt>Note</dt><dd aria-label="Note">{job.note}</dd></>)}
      </dl>
    </section>
  );
}
