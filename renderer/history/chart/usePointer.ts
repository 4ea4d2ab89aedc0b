/**
 * The mouse on a chart's plot: moving sets the cursor (and says what it points at), the
 * wheel zooms around the time under it, dragging selects a range to zoom into, a click picks a moment.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';

export interface PointerHandlers {
  /** The time and value under the mouse; undefined when it leaves the plot. */
  onPoint: (p: { t: number; v: number } | undefined) => void;
  onZoomRange: (from: number, to: number) => void;
  onZoomBy: (factor: number, anchor: number) => void;
  /** A click (a press and release that did not drag): the time and value under it. */
  onClick?: (p: { t: number; v: number }) => void;
}

/** A drag shorter than this is a click, not a range. */
const MIN_DRAG_PX = 5;

export function usePointer(ref: RefObject<HTMLElement | null>, range: readonly [number, number], top: number, h: PointerHandlers) {
  const [drag, setDrag] = useState<{ a: number; b: number }>();
  // The listeners stay put; what they need is read at the time of the event.
  const now = useRef({ range, top, h, drag });
  now.current = { range, top, h, drag };

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const at = (e: MouseEvent) => {
      const r = el.getBoundingClientRect();
      const px = Math.max(0, Math.min(r.width, e.clientX - r.left));
      const py = Math.max(0, Math.min(r.height, e.clientY - r.top));
      const [a, b] = now.current.range;
      return { px, t: a + ((b - a) * px) / Math.max(1, r.width), v: now.current.top * (1 - py / Math.max(1, r.height)) };
    };
    const move = (e: MouseEvent) => {
      const p = at(e);
      const d = now.current.drag;
      if (d) setDrag({ a: d.a, b: p.px });
      now.current.h.onPoint({ t: p.t, v: p.v });
    };
    const leave = () => {
      if (!now.current.drag) now.current.h.onPoint(undefined);
    };
    const down = (e: MouseEvent) => {
      if (e.button !== 0) return;
      const p = at(e);
      setDrag({ a: p.px, b: p.px });
      now.current.drag = { a: p.px, b: p.px };
    };
    const up = (e: MouseEvent) => {
      const d = now.current.drag;
      if (!d) return;
      setDrag(undefined);
      now.current.drag = undefined;
      const p = at(e);
      if (Math.abs(p.px - d.a) < MIN_DRAG_PX) {
        // Released over the plot: a click there, not one that began on it and ended elsewhere.
        if (el.contains(e.target as Node)) now.current.h.onClick?.({ t: p.t, v: p.v });
        return;
      }
      const w = el.getBoundingClientRect().width;
      const [a, b] = now.current.range;
      const t = (px: number) => a + ((b - a) * px) / Math.max(1, w);
      now.current.h.onZoomRange(t(Math.min(d.a, p.px)), t(Math.max(d.a, p.px)));
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      const lines = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
      const dy = Math.max(-300, Math.min(300, e.deltaY * lines));
      if (dy) now.current.h.onZoomBy(Math.exp(dy * 0.002), at(e).t);
    };
    el.addEventListener('mousemove', move);
    el.addEventListener('mouseleave', leave);
    el.addEventListener('mousedown', down);
    window.addEventListener('mouseup', up);
    el.addEventListener('wheel', wheel, { passive: false });
    return () => {
      el.removeEventListener('mousemove', move);
      el.removeEventListener('mouseleave', leave);
      el.removeEventListener('mousedown', down);
      window.removeEventListener('mouseup', up);
      el.removeEventListener('wheel', wheel);
    };
  }, [ref]);

  return drag;
}
