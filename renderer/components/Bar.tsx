/** A progress bar with a screen-reader name, value and text; `percent` may exceed 100 (overload). */
export function Bar({ label, percent, text, tone }: { label: string; percent: number | undefined; text?: string; tone?: 'ok' | 'warn' | 'alert' }) {
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
      <div className="bar-fill" style={{ width: `${shown ?? 0}%` }} />
      <span className="bar-text">{valueText}</span>
    </div>
  );
}

export function toneOf(percent: number | undefined): 'ok' | 'warn' | 'alert' {
  return percent === undefined || percent <= 50 ? 'ok' : percent <= 80 ? 'warn' : 'alert';
}
