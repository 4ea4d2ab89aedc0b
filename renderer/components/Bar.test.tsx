// @vitest-environment jsdom
/** The bar: its text on the empty part, a fill as wide as the value with the text again; what it says and what a screen reader reads. */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { Bar } from './Bar.js';

afterEach(cleanup);

/** The fill (a copy of the text, drawn over the fill in a colour readable there) and the bar's own text. */
function parts(bar: HTMLElement) {
  const fill = bar.querySelector<HTMLElement>('.bar-fill')!;
  const own = [...bar.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent).join('');
  return { fill, width: fill.style.width, fillText: fill.textContent, own };
}

describe('Bar', () => {
  it('an overload fills the bar and says its real figure; the value read is the bar\'s', () => {
    render(<Bar label="Load of node 3" percent={142.4} tone="alert" />);
    const bar = screen.getByRole('progressbar', { name: 'Load of node 3' });
    const p = parts(bar);
    expect([p.width, p.own, p.fillText]).toEqual(['100%', '142%', '142%']);
    expect(p.fill.getAttribute('aria-hidden')).toBe('true');
    expect([bar.getAttribute('aria-valuenow'), bar.getAttribute('aria-valuetext')]).toEqual(['100', '142%']);
    expect(bar.className).toBe('bar bar-alert');
  });

  it('its own text is said and read; no figure: empty, "no data", no value', () => {
    const { rerender } = render(<Bar label="Memory of node 3" percent={37.5} text="38% used, 4.9 GiB available" />);
    const bar = screen.getByRole('progressbar', { name: 'Memory of node 3' });
    expect(parts(bar)).toMatchObject({ width: '37.5%', own: '38% used, 4.9 GiB available', fillText: '38% used, 4.9 GiB available' });
    expect([bar.getAttribute('aria-valuetext'), bar.getAttribute('aria-valuenow')]).toEqual(['38% used, 4.9 GiB available', '38']);
    rerender(<Bar label="Memory of node 3" percent={undefined} />);
    expect(parts(bar)).toMatchObject({ width: '0%', own: 'no data', fillText: 'no data' });
    expect([bar.getAttribute('aria-valuetext'), bar.hasAttribute('aria-valuenow')]).toEqual(['no data', false]);
  });

  it('a new figure changes the fill\'s width and both texts in place (no element or text node replaced)', () => {
    const { rerender } = render(<Bar label="Load of node 5" percent={20} />);
    const bar = screen.getByRole('progressbar', { name: 'Load of node 5' });
    const nodes = [...bar.childNodes, bar.firstChild!.firstChild!];
    rerender(<Bar label="Load of node 5" percent={64} />);
    const after = [...bar.childNodes, bar.firstChild!.firstChild!];
    expect(after.map((n, i) => n === nodes[i])).toEqual([true, true, true]);
    expect(parts(bar)).toMatchObject({ width: '64%', own: '64%', fillText: '64%' });
  });
});
