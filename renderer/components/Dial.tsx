import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

/** The dial's sweep: from 7:30 clockwise to 4:30, like a Qt QDial with notches. */
const START_DEG = -135;
const SWEEP_DEG = 270;

/**
 * A dial (Mosixview's host chooser) over a list of allowed values, e.g. node IDs that
 * need not be consecutive. A slider to assistive technology; arrows, Page keys, Home
 * and End step through the values; pointer drag turns it.
 */
export function Dial({ label, values, value, onChange, disabled, size = 84 }: {
  label: string;
  values: readonly number[];
  value: number | undefined;
  onChange: (v: number) => void;
  disabled?: boolean;
  size?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const index = value === undefined ? -1 : values.indexOf(value);
  const last = values.length - 1;
  const angleOf = (i: number) => START_DEG + (last > 0 ? (SWEEP_DEG * i) / last : SWEEP_DEG / 2);

  const go = (i: number) => {
    if (disabled || values.length === 0) return;
    const v = values[Math.max(0, Math.min(last, i))]!;
    if (v !== value) onChange(v);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.round(values.length / 5));
    const from = index < 0 ? 0 : index;
    const to: Record<string, number> = {
      ArrowRight: from + 1, ArrowUp: from + 1, ArrowLeft: from - 1, ArrowDown: from - 1,
      PageUp: from + page, PageDown: from - page, Home: 0, End: last,
    };
    if (!(e.key in to)) return;
    e.preventDefault();
    go(index < 0 && e.key.startsWith('Arrow') ? 0 : to[e.key]!);
  };

  /** The value whose notch is nearest the pointer's angle around the centre. */
  const fromPointer = (e: PointerEvent) => {
    const box = ref.current?.getBoundingClientRect();
    if (!box || last < 0) return;
    const dx = e.clientX - (box.left + box.width / 2);
    const dy = e.clientY - (box.top + box.height / 2);
    // 0 deg = 12 o'clock, clockwise positive.
    let deg = (Math.atan2(dx, -dy) * 180) / Math.PI;
    deg = Math.max(START_DEG, Math.min(START_DEG + SWEEP_DEG, deg));
    go(last > 0 ? Math.round(((deg - START_DEG) / SWEEP_DEG) * last) : 0);
  };

  const r = size / 2;
  const pointer = index < 0 ? undefined : angleOf(index);
  return (
    <div
      ref={ref}
      role="slider"
      aria-label={label}
      aria-valuemin={values[0]}
      aria-valuemax={values[last]}
      aria-valuenow={value}
      aria-valuetext={value === undefined ? 'none chosen' : `node ${value}`}
      aria-disabled={disabled || undefined}
      tabIndex={disabled ? -1 : 0}
      className={`dial${disabled ? ' dial-disabled' : ''}`}
      style={{ width: size, height: size }}
      onKeyDown={onKeyDown}
      onPointerDown={(e) => {
        if (disabled) return;
        ref.current?.focus();
        (e.target as Element).setPointerCapture?.(e.pointerId);
        fromPointer(e);
      }}
      onPointerMove={(e) => {
        if (e.buttons & 1) fromPointer(e);
      }}
    >
      <svg width={size} height={size} viewBox={`0 0 ${size} ${size}`} aria-hidden="true">
        <circle cx={r} cy={r} r={r - 10} className="dial-face" />
        {values.map((v, i) => {
          const a = ((angleOf(i) - 90) * Math.PI) / 180;
          return <line key={v} x1={r + Math.cos(a) * (r - 8)} y1={r + Math.sin(a) * (r - 8)} x2={r + Math.cos(a) * (r - 2)} y2={r + Math.sin(a) * (r - 2)} className="dial-notch" />;
        })}
        {pointer !== undefined && (
          <line x1={r} y1={r} x2={r} y2={14} className="dial-pointer" transform={`rotate(${pointer} ${r} ${r})`} />
        )}
      </svg>
    </div>
  );
}
