import { memo } from 'react';

/**
 * A progress bar with a screen-reader name, value and text; `percent` may exceed 100 (overload).
 * The bar's own text lies on its empty part; the fill is a child as wide as the value carrying the
 * same text in a colour readable on the fill (hidden from screen readers, not selectable). A new
 * figure restyles the fill alone (its width) and changes two text nodes in place: a fill drawn as the
 * bar's `::before` with `content: attr(data-text)` also restyled the bar and rebuilt the generated
 * text's boxes on every new figure (at 128 nodes a quarter of the main window's time per update,
 * docs/BENCHMARKS.md). Memoised: a row re-renders only the bars whose figures changed.
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
    >
      <span className="bar-fill" aria-hidden="true" style={{ width: `${shown ?? 0}%` }}>{valueText}</span>
      {valueText}
    </div>
  );
});

export function toneOf(percent: number | undefined): 'ok' | 'warn' | 'alert' {
  return percent === undefined || percent <= 50 ? 'ok' : percent <= 80 ? 'warn' : 'alert';
}
