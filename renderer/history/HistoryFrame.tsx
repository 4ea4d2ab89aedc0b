/**
 * What the three history windows share: the File menu (current history or an older
 * backup; in the metric windows, Export CSV… and Export JSON…), the start time top left, the refresh checkbox (the metric windows' zoom is in chart/ChartToolbar.tsx).
 */
import type { ReactNode } from 'react';
import type { CollectorChoice } from '../../shared/protocol/apiHistory.js';
import { dateTime } from './timeFormat.js';
import { useWindowTitle } from '../windowTitle.js';
import { FileMenu, type MenuItem } from './FileMenu.js';
import type { ExportFormat } from '../../shared/history/exportFormat.js';

/** The metric windows export what they show (exportHistory.ts); the process history has nothing to export. */
export interface FrameExport {
  run: (format: ExportFormat) => void;
  /** Why it cannot run now (nothing read yet, no node chosen, one running), or undefined. */
  unavailable?: string;
  /** What the last export did, or its error. */
  outcome?: { ok: boolean; text: string };
}

export interface FrameProps {
  title: string;
  choice: CollectorChoice | undefined;
  backup: string | undefined;
  onBackup: (b: string | undefined) => void;
  started: number | undefined;
  refresh?: { on: boolean; set: (on: boolean) => void; reload: () => void };
  error: string | undefined;
  exports?: FrameExport;
  children: ReactNode;
}

export function HistoryFrame({ title, choice, backup, onBackup, started, refresh, error, exports, children }: FrameProps) {
  useWindowTitle(title);
  const backups = choice?.status?.backups ?? [];
  const items: MenuItem[] = [
    { label: 'Current history', run: () => onBackup(undefined) },
    ...backups.map((b) => ({ label: `Open backup ${b}`, run: () => onBackup(b) })),
    ...(backups.length === 0 ? [{ label: 'No older backups yet', run: () => undefined, disabled: true }] : []),
    ...(exports
      ? (['csv', 'json'] as const).map((f, i) => ({ label: `Export ${f.toUpperCase()}…`, run: () => exports.run(f), disabled: !!exports.unavailable, title: exports.unavailable, separated: i === 0 }))
      : []),
  ];
  const node = choice ? `node ${choice.nodeId}${choice.status ? ` (${choice.status.host})` : ''}` : '…';
  return (
    <main className="history-window">
      <header className="toolbar history-toolbar">
        <FileMenu items={items} />
        <h1>{title}</h1>
        <span className="history-start" aria-label="History start">{started ? `Start: ${dateTime(started)}` : ''}</span>
        <span className="history-source">{backup ? `Backup ${backup}` : 'Current history'} of the collector on {node}</span>
        {refresh && (
          <>
            <label>
              <input type="checkbox" checked={refresh.on} disabled={!!backup} onChange={(e) => refresh.set(e.target.checked)} /> Refresh
            </label>
            <button type="button" onClick={refresh.reload}>Reload</button>
          </>
        )}
      </header>
      {choice && !choice.status && <p role="alert" className="banner">Cannot reach the collector's node {choice.nodeId}: {choice.error}</p>}
      {error && <p role="alert" className="banner">{error}</p>}
      {exports?.outcome && (
        <p role={exports.outcome.ok ? 'status' : 'alert'} aria-label="Export" className={exports.outcome.ok ? 'export-outcome' : 'banner'}>{exports.outcome.text}</p>
      )}
      {children}
    </main>
  );
}
