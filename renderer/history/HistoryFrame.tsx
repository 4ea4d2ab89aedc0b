/**
 * What the three history windows share: the file menu (current history or an older
 * backup), the start time top left, the refresh checkbox (the metric windows' zoom is in chart/ChartToolbar.tsx).
 */
import type { ReactNode } from 'react';
import type { CollectorChoice } from '../../shared/protocol/apiHistory.js';
import { dateTime } from './timeFormat.js';
import { useWindowTitle } from '../windowTitle.js';

export interface FrameProps {
  title: string;
  choice: CollectorChoice | undefined;
  backup: string | undefined;
  onBackup: (b: string | undefined) => void;
  started: number | undefined;
  refresh?: { on: boolean; set: (on: boolean) => void; reload: () => void };
  error: string | undefined;
  children: ReactNode;
}

export function HistoryFrame({ title, choice, backup, onBackup, started, refresh, error, children }: FrameProps) {
  useWindowTitle(title);
  const backups = choice?.status?.backups ?? [];
  const node = choice ? `node ${choice.nodeId}${choice.status ? ` (${choice.status.host})` : ''}` : '…';
  return (
    <main className="history-window">
      <header className="toolbar history-toolbar">
        <details className="file-menu">
          <summary>File</summary>
          <div role="menu" aria-label="File">
            <button type="button" role="menuitem" onClick={() => onBackup(undefined)}>Current history</button>
            {backups.map((b) => (
              <button type="button" role="menuitem" key={b} onClick={() => onBackup(b)}>Open backup {b}</button>
            ))}
            {backups.length === 0 && <span className="muted">No older backups yet</span>}
          </div>
        </details>
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
      {children}
    </main>
  );
}
