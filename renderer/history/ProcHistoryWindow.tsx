/**
 * Mosixhistory: the process lists of every node as they were at any stored minute (one list a
 * minute), of all nodes or one, opened at the newest minute or at the moment a history chart
 * was clicked (the route's time and node: shared/windows.ts routes.procHistory).
 */
import { useEffect, useRef, useState } from 'react';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import type { ProcHistory } from '../../shared/protocol/agentHistory.js';
import type { ProcHistoryMoment } from '../../shared/windows.js';
import { HistoryFrame } from './HistoryFrame.js';
import { usePoll } from '../components/usePoll.js';
import { useCollector } from './useHistory.js';
import { dateTime } from './timeFormat.js';
import { MissingNodes, nodeChoices, ProcHistoryTable } from './ProcHistoryTable.js';

const REFRESH_MS = 20_000;

/** The index of the last time at or before `t` (the list in effect then), or the first. */
export function indexAt(times: readonly number[], t: number): number {
  let i = 0;
  while (i + 1 < times.length && times[i + 1]! <= t) i++;
  return i;
}

interface Shown {
  backup: string | undefined;
  node: number | undefined;
  h: ProcHistory;
}

export function ProcHistoryWindow({ bridge, at }: { bridge: MosixviewBridge; at?: ProcHistoryMoment }) {
  const { choice } = useCollector(bridge);
  const [backup, setBackup] = useState<string | undefined>(at?.backup);
  const [node, setNode] = useState<number | undefined>(at?.node);
  const [index, setIndex] = useState<number>();
  const [shown, setShown] = useState<Shown>();
  const [error, setError] = useState<string>();
  // The moment the window was opened at, until the stored times are known to find its minute.
  const wanted = useRef(at?.t);

  // The list of times, read again every 20 s of the current history (a backup does not change).
  // Each answer says what it was asked for: a node chosen meanwhile must not take another's lists.
  const { data: polled, error: listError } = usePoll(
    async (): Promise<Shown> => ({ backup, node, h: await bridge.invoke('history.procs', { ...(backup ? { backup } : {}), ...(node !== undefined ? { node } : {}) }) }),
    backup ? undefined : REFRESH_MS,
    [bridge, backup, choice?.nodeId, node],
  );
  const latest = polled?.h;
  // Kept while a chosen node's answer is read, so the slider and the chooser stay put (and keep the focus).
  const [times, setTimes] = useState<number[]>();
  // New minutes join the slider, which follows them while at the newest one (where it starts
  // unless opened at a moment); a new history (rotation) starts the slider again.
  const follow = useRef(at === undefined);
  const started = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (!latest) return;
    setTimes(latest.times);
    const n = latest.times.length;
    if (wanted.current !== undefined && n > 0) {
      setIndex(indexAt(latest.times, wanted.current));
      wanted.current = undefined;
    } else if (wanted.current === undefined) {
      const fresh = started.current !== latest.started;
      setIndex((i) => (follow.current || fresh || i === undefined || i >= n ? n - 1 : i));
    }
    started.current = latest.started;
  }, [latest]);

  const t = times && index !== undefined ? times[index] : undefined;
  const fits = (s: Shown | undefined) => !!s && s.backup === backup && s.node === node && s.h.at?.t === t;
  useEffect(() => {
    if (t === undefined || fits(shown)) return;
    if (fits(polled)) return setShown(polled);
    let alive = true;
    bridge.invoke('history.procs', { ...(backup ? { backup } : {}), t, ...(node !== undefined ? { node } : {}) }).then(
      (h) => {
        if (!alive) return;
        setShown({ backup, node, h });
        setError(undefined);
      },
      (e: Error) => alive && setError(e.message),
    );
    return () => {
      alive = false;
    };
    // fits() reads backup, node and shown
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [bridge, backup, t, node, shown, polled]);

  const h = fits(shown) ? shown!.h : undefined;
  const chooserNodes = h?.nodes ?? latest?.nodes ?? [];
  return (
    <HistoryFrame title="Process history" choice={choice} backup={backup} onBackup={(b) => { setBackup(b); setTimes(undefined); setIndex(undefined); follow.current = true; }} started={latest?.started ?? shown?.h.started}
      error={listError ?? error}>
      {times && times.length === 0 && <p role="status">No process list stored yet (one is taken every minute).</p>}
      {times && times.length > 0 && (
        <div className="time-slider">
          <input type="range" aria-label="History time" min={0} max={times.length - 1} step={1} value={index ?? 0}
            aria-valuetext={t !== undefined ? dateTime(t) : undefined} onChange={(e) => {
              // Moved to the newest minute, it follows new ones again; anywhere else it stays.
              follow.current = Number(e.target.value) === times.length - 1;
              setIndex(Number(e.target.value));
            }} />
          <output aria-label="Shown time" data-t={t}>{t !== undefined ? dateTime(t) : ''}</output>
          <label className="node-chooser">
            Node{' '}
            <select aria-label="Node" value={node === undefined ? 'all' : String(node)} onChange={(e) => setNode(e.target.value === 'all' ? undefined : Number(e.target.value))}>
              <option value="all">All nodes</option>
              {nodeChoices(chooserNodes, node).map((c) => <option key={c.id} value={String(c.id)}>{c.label}</option>)}
            </select>
          </label>
        </div>
      )}
      {h?.at && t !== undefined && (
        <>
          <MissingNodes nodes={h.nodes.filter((n) => node === undefined || n.id === node)} />
          {node !== undefined && h.at.nodes.length === 0 && <p role="status">Node {node} is not in the list of this minute (not in the cluster then).</p>}
          {(node === undefined || h.at.nodes.some((n) => n.procs)) && <ProcHistoryTable t={t} lists={h.at.nodes} allNodes={node === undefined} />}
        </>
      )}
    </HistoryFrame>
  );
}
