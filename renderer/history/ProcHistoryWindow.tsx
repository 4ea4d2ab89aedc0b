/** Mosixhistory: the process list of the collector's node as it was at any stored minute. */
import { useEffect, useRef, useState } from 'react';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import type { ProcHistory } from '../../shared/protocol/agentHistory.js';
import { REMOTE_ID_BASE } from '../../shared/jobs/job.js';
import { HistoryFrame } from './HistoryFrame.js';
import { useCollector } from './useHistory.js';
import { clock, dateTime } from './timeFormat.js';

const REFRESH_MS = 20_000;

export function ProcHistoryWindow({ bridge }: { bridge: MosixviewBridge }) {
  const choice = useCollector(bridge);
  const [backup, setBackup] = useState<string>();
  const [hist, setHist] = useState<ProcHistory>();
  const [index, setIndex] = useState<number>();
  const [error, setError] = useState<string>();

  // The list of times; the slider starts at the newest list.
  useEffect(() => {
    setHist(undefined);
    setIndex(undefined);
    bridge.invoke('history.procs', backup ? { backup } : {}).then(
      (h) => {
        setHist(h);
        setIndex(h.times.length - 1);
        setError(undefined);
      },
      (e: Error) => setError(e.message),
    );
  }, [bridge, backup, choice?.nodeId]);

  // The collector stores a list every minute: new minutes join the slider, which follows them
  // while it is at the newest one; a new history (rotation) starts the slider again.
  const follow = useRef(true);
  follow.current = !hist || index === undefined || index >= hist.times.length - 1;
  useEffect(() => {
    if (backup) return;
    const timer = setInterval(() => {
      bridge.invoke('history.procs', {}).then(
        (h) => {
          setHist((old) => (old && old.started === h.started ? { ...old, times: h.times } : h));
          setIndex((i) => (follow.current || i === undefined || i >= h.times.length ? h.times.length - 1 : i));
        },
        () => undefined,
      );
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [bridge, backup, choice?.nodeId]);

  const t = hist && index !== undefined ? hist.times[index] : undefined;
  useEffect(() => {
    if (t === undefined || hist?.at?.t === t) return;
    bridge.invoke('history.procs', { ...(backup ? { backup } : {}), t }).then((h) => setHist(h), (e: Error) => setError(e.message));
  }, [bridge, backup, t, hist?.at?.t]);

  const procs = hist?.at && hist.at.t === t ? hist.at.procs : undefined;
  return (
    <HistoryFrame title="Process history" choice={choice} backup={backup} onBackup={setBackup} started={hist?.started} error={error}>
      {hist && hist.times.length === 0 && <p role="status">No process list stored yet (one is taken every minute).</p>}
      {hist && hist.times.length > 0 && (
        <div className="time-slider">
          <input
            type="range"
            aria-label="History time"
            min={0}
            max={hist.times.length - 1}
            step={1}
            value={index ?? 0}
            aria-valuetext={t !== undefined ? dateTime(t) : undefined}
            onChange={(e) => setIndex(Number(e.target.value))}
          />
          <output aria-label="Shown time">{t !== undefined ? dateTime(t) : ''}</output>
        </div>
      )}
      {procs && (
        <table className="procs" aria-label={`Processes at ${clock(t!)}`}>
          <thead>
            <tr>
              <th>PID</th><th title="0 = running here, N = running on node N (a job of this node that migrated)">Where</th>
              <th>User</th><th>Command</th><th>State</th><th>CPU %</th><th>RSS kB</th>
            </tr>
          </thead>
          <tbody>
            {procs.map((p, i) => {
              // A job that runon or parallel started on another node never had a PID here.
              const noPid = p.where > 0 && p.pid >= REMOTE_ID_BASE;
              const who = noPid ? 'Job started on another node (no PID here)' : `Process ${p.pid}`;
              // A PID may show twice: a job away keeps its PID at home, which a new process can reuse.
              return (
                <tr key={`${p.pid}-${p.where}-${i}`} aria-label={p.where ? `${who}, running on node ${p.where}` : who} className={p.where ? 'proc-row proc-migrated' : undefined}>
                  <td>{noPid ? '-' : p.pid}</td><td>{p.where}</td><td>{p.user}</td><td title={p.args}>{p.command}</td><td>{p.state}</td>
                  <td>{p.cpu.toFixed(1)}</td><td>{p.rssKb}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </HistoryFrame>
  );
}
