/**
 * Dragging a job dot onto a node, with pointer events (mouse, pen, touch, and Playwright's
 * mouse alike; HTML5 drag and drop does not exist in SVG). The SVG captures the pointer, so
 * a drag that leaves a circle keeps going. A press that hardly moves is a tap: on a job it
 * selects the job, on a node it sends the selected job there (the keyboard's way, by mouse).
 */
import { useCallback, useRef, useState, type PointerEvent, type RefObject } from 'react';
import type { NodeId } from '../../../shared/domain/node.js';
import { nodeAt, type RingNode } from './ringLayout.js';

/** How far (px on screen) a press must move to be a drag rather than a tap. */
const DRAG_PX = 4;

export interface Drag {
  key: string;
  from: NodeId;
  /** Where the dot is now, in the SVG's coordinates. */
  x: number;
  y: number;
  /** The node under it, if any. */
  over: NodeId | undefined;
}

export interface DragCallbacks {
  onDrop(key: string, from: NodeId, to: NodeId): void;
  onTapJob(key: string): void;
  onTapNode(id: NodeId): void;
}

function svgPoint(svg: SVGSVGElement, clientX: number, clientY: number): { x: number; y: number } | undefined {
  const m = svg.getScreenCTM?.();
  if (!m) return undefined;
  const p = new DOMPoint(clientX, clientY).matrixTransform(m.inverse());
  return { x: p.x, y: p.y };
}

export function useJobDrag(svgRef: RefObject<SVGSVGElement | null>, layout: readonly RingNode[], cb: DragCallbacks) {
  const press = useRef<{ key?: string; from?: NodeId; node?: NodeId; x: number; y: number; dragging: boolean } | undefined>(undefined);
  const [drag, setDrag] = useState<Drag | undefined>(undefined);
  const cbRef = useRef(cb);
  cbRef.current = cb;

  const onPointerDown = useCallback((e: PointerEvent<SVGSVGElement>) => {
    if (e.button > 0) return; // the main button (or a touch) only
    const target = e.target as Element;
    const job = target.closest('[data-job]');
    const node = target.closest('[data-node-id]');
    press.current = {
      x: e.clientX, y: e.clientY, dragging: false,
      ...(job ? { key: job.getAttribute('data-job')!, from: Number(job.getAttribute('data-node')) } : {}),
      ...(node ? { node: Number(node.getAttribute('data-node-id')) } : {}),
    };
    if (job) {
      e.preventDefault(); // no text selection while dragging
      try {
        svgRef.current?.setPointerCapture(e.pointerId);
      } catch {
        // A synthetic pointer (tests) cannot be captured: the drag still works inside the SVG.
      }
    }
  }, [svgRef]);

  const onPointerMove = useCallback((e: PointerEvent<SVGSVGElement>) => {
    const p = press.current;
    const svg = svgRef.current;
    if (!p?.key || p.from === undefined || !svg) return;
    if (!p.dragging && Math.hypot(e.clientX - p.x, e.clientY - p.y) < DRAG_PX) return;
    const at = svgPoint(svg, e.clientX, e.clientY);
    if (!at) return;
    p.dragging = true;
    setDrag({ key: p.key, from: p.from, x: at.x, y: at.y, over: nodeAt(layout, at.x, at.y) });
  }, [svgRef, layout]);

  const onPointerUp = useCallback((e: PointerEvent<SVGSVGElement>) => {
    const p = press.current;
    press.current = undefined;
    setDrag(undefined);
    if (!p) return;
    if (p.dragging && p.key && p.from !== undefined) {
      const svg = svgRef.current;
      const at = svg ? svgPoint(svg, e.clientX, e.clientY) : undefined;
      const to = at && nodeAt(layout, at.x, at.y);
      if (to !== undefined && to !== p.from) cbRef.current.onDrop(p.key, p.from, to);
      return;
    }
    if (p.key) cbRef.current.onTapJob(p.key);
    else if (p.node !== undefined) cbRef.current.onTapNode(p.node);
  }, [svgRef, layout]);

  const onPointerCancel = useCallback(() => {
    press.current = undefined;
    setDrag(undefined);
  }, []);

  return { drag, handlers: { onPointerDown, onPointerMove, onPointerUp, onPointerCancel } };
}
