import { useEffect, useRef, useState } from 'react';
import { MAX_SPEED, MIN_SPEED } from '../../../shared/domain/node.js';
import { Lcd } from '../../components/Lcd.js';

const COMMIT_DELAY_MS = 300;

/**
 * The node's openMosix speed: a slider with an LCD. While the admin drags, the slider
 * shows the chosen value; the agent is told once the hand rests for a moment.
 */
export function SpeedSlider({ id, speed, disabled, onCommit }: {
  id: number;
  speed: number | undefined;
  disabled: boolean;
  onCommit: (speed: number) => Promise<void>;
}) {
  const [draft, setDraft] = useState<number | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  const max = Math.min(MAX_SPEED, Math.max(100000, Math.ceil(((speed ?? 0) * 1.5) / 10000) * 10000));
  const shown = draft ?? speed;

  const change = (value: number) => {
    setDraft(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      void onCommit(value).finally(() => setDraft(undefined));
    }, COMMIT_DELAY_MS);
  };

  return (
    <span className="speed">
      <input
        type="range"
        aria-label={`Speed of node ${id}`}
        min={MIN_SPEED}
        max={max}
        step={1}
        value={shown ?? MIN_SPEED}
        disabled={disabled || shown === undefined}
        onChange={(e) => change(Number(e.target.value))}
      />
      <Lcd value={shown} label={`Speed value of node ${id}`} />
    </span>
  );
}
