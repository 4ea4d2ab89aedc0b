import { memo } from 'react';

/**
 * A progress bar with a screen-reader name, value and text; `percent` may exceed 100 (overload).
 * One element, its text drawn once: two background layers (renderer/styles.css), the text's tones
 * clipped to its glyphs over the fill and the empty part, moved together to the value by one inline
 * `background-position-x`. A new figure restyles the bar alone and changes one text node in place. A
 * fill child carrying a second copy of the text in the tone readable on it cost a quarter of the main
 * window's time per update at 128 nodes (its layout and paint; docs/BENCHMARKS.md). Memoised: a row
 * re-renders only the bars whose figures changed.
 */
export const Bar = memo(function Bar({ label, percent, text, tone }: { label: string; percent: number | undefined; text?: string; tone?: 'ok' | 'warn' | 'alert' }) {
  const shown = percent === undefined ? undefined : Math.max(0, Math.min(100, percent));
  const valueText = text ?? (percent === undefined ? 'no data' : `${Math.round(percent)}%`);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={shown === undefined ? undefined : Math.round(shown)}
      aria-valuetext={valueText}
      className={`bar ${tone ? `bar-${tone}` : ''}`}
      style={{ backgroundPositionX: fillPosition(shown ?? 0) }}
    >
      {valueText}
    </div>
  );
});

/**
 * Both layers are twice the bar wide with their tones changing half way: placed at p% they change tone at
 * (100 - p)% of the bar (a p% position puts the layer's p% point on the bar's p% point).
 */
export function fillPosition(shown: number): string {
  return `${100 - shown}%`;
}

export function toneOf(percent: number | undefined): 'ok' | 'warn' | 'alert' {
  return percent === undefined || percent <= 50 ? 'ok' : percent <= 80 ? 'warn' : 'alert';
}
