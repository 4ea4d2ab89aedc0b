/** The main window's replay controls: time slider, play/pause, speed, and back to live. */
import { useEffect, useRef, useState } from 'react';
import type { MosixviewBridge } from '../../shared/protocol/api.js';
import type { CollectorStatus } from '../../shared/protocol/agentHistory.js';
import { backToLive, showPast } from './replay.js';
import { dateTime } from './timeFormat.js';

const SPEEDS = [1, 10, 60, 600];

export function ReplayBar({ bridge, status }: { bridge: MosixviewBridge; status: CollectorStatus | null | undefined }) {
  const [t, setT] = useState<number>();
  const [shownT, setShownT] = useState<number>();
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(10);
  const seq = useRef(0);
  const start = status?.started;
  const end = status?.last;

  // Each new position asks the collector's node for that second; older answers are dropped.
  useEffect(() => {
    if (t === undefined) return;
    const mine = ++seq.current;
    bridge.invoke('history.at', { t }).then(
      (m) => {
        if (mine !== seq.current) return;
        showPast(m);
        setShownT(m?.t ?? t);
      },
      () => mine === seq.current && showPast(null),
    );
  }, [bridge, t]);

  useEffect(() => {
    if (!playing || end === undefined) return;
    const timer = setInterval(() => {
      setT((cur) => {
        const next = (cur ?? start ?? end) + speed * 500;
        if (next >= end) setPlaying(false);
        return Math.min(next, end);
      });
    }, 500);
    return () => clearInterval(timer);
  }, [playing, speed, start, end]);

  useEffect(() => {
    document.body.classList.toggle('replaying', t !== undefined);
    return () => document.body.classList.remove('replaying');
  }, [t]);

  const live = () => {
    seq.current++;
    setPlaying(false);
    setT(undefined);
    setShownT(undefined);
    void backToLive(bridge);
  };

  if (start === undefined || end === undefined) {
    if (t === undefined) return null;
    // The collector's node stopped answering mid-replay: the way back to live stays.
    return (
      <section className="replay-bar" aria-label="Replay">
        <button type="button" onClick={live}>Live</button>
        <p role="status" className="replay-banner" aria-label="Replay time">
          REPLAY: the cluster as it was at {dateTime(shownT ?? t)}, not live (the history cannot be read now)
        </p>
      </section>
    );
  }
  return (
    <section className="replay-bar" aria-label="Replay">
      {/* min on a whole second: the 1 s steps then land on the collector's record times */}
      <input type="range" aria-label="History time" min={start - (start % 1000)} max={end} step={1000} value={t ?? end}
        aria-valuetext={dateTime(t ?? end)} onChange={(e) => setT(Number(e.target.value))} />
      <button type="button" onClick={() => {
        if (!playing && t === undefined) setT(start);
        setPlaying(!playing);
      }}>{playing ? 'Pause' : 'Play'}</button>
      <label>
        Speed{' '}
        <select aria-label="Replay speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
          {SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}
        </select>
      </label>
      <button type="button" onClick={live} disabled={t === undefined}>Live</button>
      {t !== undefined && (
        <p role="status" className="replay-banner" aria-label="Replay time">
          REPLAY: the cluster as it was at {dateTime(shownT ?? t)}, not live: press Live to change speeds
        </p>
      )}
    </section>
  );
}
