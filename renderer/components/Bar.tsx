import { memo, type CSSProperties } from 'react';

/**
 * A progress bar with a screen-reader name, value and text; `percent` may exceed 100 (overload).
 * One element: the fill is its ::before up to `--bar-to`, carrying the text again in a colour readable
 * on the fill (`data-text`); a changed figure restyles and repaints the bar alone, so 128 rows of two
 * bars cost little each second. Memoised: a row
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
      data-text={valueText}
      style={{ '--bar-to': `${shown ?? 0}%` } as CSSProperties}
    >
      {valueText}
    </div>
  );
});

export function toneOf(percent: number | undefined): 'ok' | 'warn' | 'alert' {
  return percent === undefined || percent <= 50 ? 'ok' : percent <= 80 ? 'warn' : 'alert';
}
