// @vitest-environment jsdom
/** The bar: one element, its text once, its fill's edge placed by its background; what it says and what a screen reader reads. */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { Bar, fillPosition } from './Bar.js';

afterEach(cleanup);

/** Where the fill ends (the layers' position) and the bar's text, which is all it holds. */
function parts(bar: HTMLElement) {
  return { position: bar.style.backgroundPositionX, text: bar.textContent, children: bar.children.length };
}

describe('Bar', () => {
  it('an overload fills the bar and says its real figure; the value read is the bar\'s', () => {
    render(<Bar label="Load of node 3" percent={142.4} tone="alert" />);
    const bar = screen.getByRole('progressbar', { name: 'Load of node 3' });
    expect(parts(bar)).toEqual({ position: fillPosition(100), text: '142%', children: 0 });
    expect([bar.getAttribute('aria-valuenow'), bar.getAttribute('aria-valuetext')]).toEqual(['100', '142%']);
    expect(bar.className).toBe('bar bar-alert');
  });

  it('its own text is said and read; no figure: empty, "no data", no value', () => {
    const { rerender } = render(<Bar label="Memory of node 3" percent={37.5} text="38% used, 4.9 GiB available" />);
    const bar = screen.getByRole('progressbar', { name: 'Memory of node 3' });
    expect(parts(bar)).toEqual({ position: fillPosition(37.5), text: '38% used, 4.9 GiB available', children: 0 });
    expect([bar.getAttribute('aria-valuetext'), bar.getAttribute('aria-valuenow')]).toEqual(['38% used, 4.9 GiB available', '38']);
    rerender(<Bar label="Memory of node 3" percent={undefined} />);
    expect(parts(bar)).toEqual({ position: fillPosition(0), text: 'no data', children: 0 });
    expect([bar.getAttribute('aria-valuetext'), bar.hasAttribute('aria-valuenow')]).toEqual(['no data', false]);
  });

  it('a new figure moves the fill\'s edge and changes the text in place (no text node replaced)', () => {
    const { rerender } = render(<Bar label="Load of node 5" percent={20} />);
    const bar = screen.getByRole('progressbar', { name: 'Load of node 5' });
    const text = bar.firstChild;
    rerender(<Bar label="Load of node 5" percent={64} />);
    expect(bar.firstChild).toBe(text);
    expect(parts(bar)).toEqual({ position: fillPosition(64), text: '64%', children: 0 });
  });
});

describe('fillPosition', () => {
  // The layers are twice the bar wide, their tones changing half way: at p% the change lies at (100 - p)% of the bar.
  it('puts the layers\' change of tone at the value', () => {
    expect([0, 37.5, 100].map(fillPosition)).toEqual(['100%', '62.5%', '0%']);
  });
});
