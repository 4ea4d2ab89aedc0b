import { useEffect, useRef, useState } from 'react';

const COMMIT_DELAY_MS = 250;

/**
 * Renice slider, -20 (fastest) .. 19 (slowest). Shows the chosen value while the hand
 * moves; the process is reniced once it rests, then the slider follows /proc again.
 */
export function NiceSlider({ nice, disabled, onCommit }: { nice: number | undefined; disabled: boolean; onCommit: (nice: number) => Promise<void> }) {
  const [draft, setDraft] = useState<number | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  // Unknown (ended, or on a node out of reach): the display shows '-', not a made-up 0.
  const known = draft ?? nice;
  const shown = known ?? 0;
  const change = (v: number) => {
    setDraft(v);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void onCommit(v).finally(() => setDraft(undefined)), COMMIT_DELAY_MS);
  };
  return (
    <div className="nice">
      <label htmlFor="nice-slider">Nice</label>
      <span className="muted">-20 fast</span>
      <input id="nice-slider" type="range" aria-label="Nice" min={-20} max={19} step={1} value={shown} disabled={disabled} onChange={(e) => change(Number(e.target.value))} />
      <span className="muted">19 slow</span>
      <output aria-label="Nice value" className="lcd">{(known === undefined ? '-' : String(known)).padStart(3, ' ')}</output>
    </div>
  );
}
