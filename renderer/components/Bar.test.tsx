// @vitest-environment jsdom
/** The bar: one element whose ::before fills up to the value with its text again; what it says and what a screen reader reads. */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { Bar } from './Bar.js';

afterEach(cleanup);

describe('Bar', () => {
  it('an overload fills the bar and says its real figure; the value read is the bar\'s', () => {
    render(<Bar label="Load of node 3" percent={142.4} tone="alert" />);
    const bar = screen.getByRole('progressbar', { name: 'Load of node 3' });
    expect(bar.style.getPropertyValue('--bar-to')).toBe('100%');
    expect(bar.textContent).toBe('142%');
    expect([bar.getAttribute('aria-valuenow'), bar.getAttribute('aria-valuetext')]).toEqual(['100', '142%']);
    expect(bar.className).toBe('bar bar-alert');
    // The fill's copy of the text (the stylesheet draws it over the fill in a colour readable there).
    expect(bar.dataset.text).toBe('142%');
  });

  it('its own text is said and read; no figure: empty, "no data", no value', () => {
    const { rerender } = render(<Bar label="Memory of node 3" percent={37.5} text="38% used, 4.9 GiB available" />);
    const bar = screen.getByRole('progressbar', { name: 'Memory of node 3' });
    expect(bar.style.getPropertyValue('--bar-to')).toBe('37.5%');
    expect([bar.textContent, bar.getAttribute('aria-valuetext'), bar.getAttribute('aria-valuenow')]).toEqual(['38% used, 4.9 GiB available', '38% used, 4.9 GiB available', '38']);
    rerender(<Bar label="Memory of node 3" percent={undefined} />);
    expect(bar.style.getPropertyValue('--bar-to')).toBe('0%');
    expect([bar.textContent, bar.getAttribute('aria-valuetext'), bar.hasAttribute('aria-valuenow')]).toEqual(['no data', 'no data', false]);
    expect(bar.dataset.text).toBe('no data');
  });
});
