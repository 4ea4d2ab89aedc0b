import { memo, useEffect, useRef, useState } from 'react';
import { MIN_SPEED } from '../../../shared/domain/node.js';
import { Lcd } from '../../components/Lcd.js';

const COMMIT_DELAY_MS = 300;

/**
 * The node's openMosix speed: a slider with an LCD. While the admin drags, the slider
 * shows the chosen value; the agent is told once the hand rests for a moment. The range
 * (`max`) is the cluster's, never this value's: a drag must not rescale the slider under the hand.
 * Memoised: a row's new load does not touch its slider (`onCommit` must be stable).
 */
export const SpeedSlider = memo(function SpeedSlider({ id, speed, max, disabled, why, onCommit }: {
  id: number;
  speed: number | undefined;
  max: number;
  disabled: boolean;
  /** Why the slider is disabled, as its tooltip. */
  why?: string | undefined;
  onCommit: (speed: number) => Promise<void>;
}) {
  const [draft, setDraft] = useState<number | undefined>(undefined);
  // A debounce, not a poll (usePoll polls): the value is sent once the hand rests.
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  // Disabled with a change still waiting (replay began within the debounce): that speed is not sent.
  useEffect(() => {
    if (!disabled) return;
    clearTimeout(timer.current);
    setDraft(undefined);
  }, [disabled]);

  const shown = draft ?? speed;

  const change = (value: number) => {
    setDraft(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      void onCommit(value).finally(() => setDraft(undefined));
    }, COMMIT_DELAY_MS);
  };

  return (
    <span className="speed" title={why}>
      <input
        type="range"
        aria-label={`Speed of node ${id}`}
        min={MIN_SPEED}
        max={max}
        step={1}
        value={shown ?? MIN_SPEED}
        disabled={disabled || shown === undefined}
        title={why}
        onChange={(e) => change(Number(e.target.value))}
      />
      <Lcd value={shown} label={`Speed value of node ${id}`} />
    </span>
  );
});
