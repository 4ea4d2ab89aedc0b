/**
 * Layout checks for the window screenshots: what overflows sideways, what text a button or
 * field clips, and what runs together. Each returns the problems it found, in words, so a
 * failure names the element and by how many pixels.
 */
import { mkdirSync, rmSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { windowSizeOf, type WindowSize } from '../../shared/windows.js';

/** Kept for a human to look at (not in Playwright's output folder, which each run empties). */
export const SCREENSHOT_DIR = 'test-results/windows';

export function freshScreenshotDir(): void {
  rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
}

export interface Look {
  name: string;
  size: WindowSize;
  scheme: 'light' | 'dark';
}

/** The four looks of a window: 1200x800 and its own size, light and dark. */
export function looksOf(route: string): Look[] {
  const own = windowSizeOf(route);
  const sizes: [string, WindowSize][] = [['1200x800', { width: 1200, height: 800 }], ['own', own]];
  return sizes.flatMap(([name, size]) => (['light', 'dark'] as const).map((scheme) => ({ name, size, scheme })));
}

export async function applyLook(page: Page, look: Look): Promise<void> {
  await page.setViewportSize(look.size);
  await page.emulateMedia({ colorScheme: look.scheme });
  // Two frames: the new size and scheme are laid out and painted before anything is measured.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

export async function screenshot(page: Page, file: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${file}.png` });
}

/**
 * Sideways overflow and clipped text, measured in the page:
 * - the page and its containers (main, header, section, fieldset, table, form, dialogs, ...)
 *   must not be wider inside than they are (scrollWidth beyond clientWidth);
 * - nothing may reach past the window's right edge;
 * - buttons, fields, LCDs and bars must show all their text. A cell that ellipsises on
 *   purpose and names the whole text in its title (a long command line) is not clipped;
 * - a chart's time labels must not run into each other.
 */
export function overflowProblems(page: Page): Promise<string[]> {
  return page.evaluate(`(${OVERFLOW_CHECK})()`) as Promise<string[]>;
}

// Plain JavaScript source, run in the page: a TypeScript function would carry the test
// runner's helpers (e.g. esbuild's __name) into a page that does not have them.
const OVERFLOW_CHECK = String.raw`() => {
  const problems = [];
  const describe = (el) => {
    const label = el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 40);
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    return el.tagName.toLowerCase() + cls + (label ? ' "' + label + '"' : '');
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const page = document.scrollingElement ?? document.documentElement;
  if (page.scrollWidth > page.clientWidth) problems.push('the page scrolls sideways: ' + page.scrollWidth + ' px of content in ' + page.clientWidth + ' px');

  const containers = 'main, header, section, fieldset, table, form, figure, dl, ul, .dialog, [role=dialog], .toolbar, .history-bar, .replay-bar, .node-buttons, .migrator-body';
  for (const el of document.querySelectorAll(containers)) {
    if (!visible(el)) continue;
    if (el.scrollWidth > el.clientWidth) problems.push(describe(el) + ' overflows sideways by ' + (el.scrollWidth - el.clientWidth) + ' px');
  }
  const width = document.documentElement.clientWidth;
  for (const el of document.querySelectorAll('body *')) {
    if (!visible(el) || el.closest('svg')) continue;
    const right = Math.floor(el.getBoundingClientRect().right);
    if (right > width) problems.push(describe(el) + ' reaches ' + (right - width) + " px past the window's right edge");
  }

  const texts = 'button, select, input[type=text], input:not([type]), output, .lcd, .bar, label, th, td';
  for (const el of document.querySelectorAll(texts)) {
    if (!visible(el) || el.clientWidth === 0) continue;
    const style = getComputedStyle(el);
    if (style.textOverflow === 'ellipsis' && el.hasAttribute('title')) continue;
    if (el.scrollWidth > el.clientWidth + 1) problems.push(describe(el) + ' clips its text: ' + el.scrollWidth + ' px of it in ' + el.clientWidth + ' px');
  }
  // A chart's time labels are placed one by one beside their ticks: none may run into the next.
  for (const chart of document.querySelectorAll('.history-chart')) {
    const labels = [...chart.querySelectorAll('.time-tick')].filter(visible).map((el) => ({ el, r: el.getBoundingClientRect() })).sort((a, b) => a.r.left - b.r.left);
    for (let i = 1; i < labels.length; i++) {
      if (labels[i].r.left < labels[i - 1].r.right - 0.5) problems.push(describe(labels[i - 1].el) + ' runs into ' + describe(labels[i].el) + ' by ' + Math.round(labels[i - 1].r.right - labels[i].r.left) + ' px');
    }
  }
  return [...new Set(problems)];
}`;

/**
 * The page follows the system's colour scheme: a dark window in dark mode, a light one in
 * light mode, its text readable on it (relative luminance as in WCAG, contrast >= 7).
 */
export async function schemeProblems(page: Page, scheme: 'light' | 'dark'): Promise<string[]> {
  const [bg, fg] = await page.evaluate(() => {
    const style = getComputedStyle(document.documentElement);
    return [style.backgroundColor, style.color];
  });
  const luminance = (css: string) => {
    const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => Number(v) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [lb, lf] = [luminance(bg), luminance(fg)];
  const problems: string[] = [];
  if (scheme === 'dark' ? lb > 0.1 : lb < 0.6) problems.push(`in ${scheme} mode the window is ${bg}`);
  const contrast = (Math.max(lb, lf) + 0.05) / (Math.min(lb, lf) + 0.05);
  if (contrast < 7) problems.push(`in ${scheme} mode the text (${fg}) on ${bg} has a contrast of ${contrast.toFixed(1)}`);
  for (const p of await barTextProblems(page, luminance)) problems.push(`in ${scheme} mode ${p}`);
  return problems;
}

/**
 * A bar's text runs over its fill and past it over the empty part (a short fill, a long text): every glyph
 * must be readable on what lies under it, in each tone (WCAG AA for small text: contrast >= 4.5). A bar is one
 * element (renderer/components/Bar.tsx) with two background layers moved together to the value: its text,
 * clipped to the glyphs (the text's own colour transparent), in one tone up to the value and another past it,
 * over the fill and the empty part, which change tone at the same point. Measured on probe bars of each tone
 * made in the page as Bar.tsx makes them, with the page's own stylesheet. Every bar of the page must be drawn
 * that way too (a plain colour would draw its text in one tone over both parts).
 */
async function barTextProblems(page: Page, luminance: (css: string) => number): Promise<string[]> {
  // No named functions in the page's code: the test runner's transform would wrap them in a helper the page has not.
  const drawn = await page.evaluate(() => {
    const bars = [...document.querySelectorAll<HTMLElement>('.bar')];
    const probes = ['ok', 'warn', 'alert'].map((tone) => {
      const el = document.createElement('div');
      el.className = `bar bar-${tone}`;
      el.style.backgroundPositionX = '80%';
      el.textContent = '0.4 / 2.0 GiB';
      document.body.append(el);
      return el;
    });
    const out = [...probes, ...bars].map((el) => {
      const st = getComputedStyle(el);
      return { name: el.getAttribute('aria-label') ?? '?', placed: el.style.backgroundPositionX !== '', color: st.color, clip: st.backgroundClip, image: st.backgroundImage, layout: [st.backgroundSize, st.backgroundPositionX, st.backgroundOrigin] };
    });
    probes.forEach((el) => el.remove());
    return out;
  });
  // Text clipped to its glyphs, its own colour transparent, and one size, position and origin for both layers (each given
  // once, or the same for each): the text's tones change where the fill ends.
  const twoTone = (d: (typeof drawn)[number]) =>
    d.color === 'rgba(0, 0, 0, 0)' && d.clip.startsWith('text') && d.layout.every((v) => new Set(v.split(',').map((x) => x.trim())).size === 1);
  const tones = drawn.slice(0, 3).map((d, i) => ({ ...d, tone: ['ok', 'warn', 'alert'][i]! }));
  const plain = drawn.slice(3).filter((d) => !twoTone(d) || !d.placed).map((d) => d.name);
  const contrast = (a: string, b: string) => {
    const [la, lb] = [luminance(a), luminance(b)];
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  };
  const problems: string[] = plain.map((name) => `the bar "${name}" does not draw its text in the tones of its fill and its empty part`);
  for (const t of tones) {
    // Each layer: [colour, stop] twice, e.g. linear-gradient(to right, rgb(17, 17, 17) 50%, rgb(228, 228, 224) 50%).
    const [text, under] = t.image.split('linear-gradient(').slice(1).map((g) => [...g.matchAll(/(rgba?\([^)]*\))\s+([\d.]+%)/g)].map((m) => ({ colour: m[1]!, at: m[2]! })));
    if (!twoTone(t) || text?.length !== 2 || under?.length !== 2) {
      problems.push(`a ${t.tone} bar is not drawn as its text over its fill in two tones (colour ${t.color}, clip ${t.clip}, ${t.image})`);
      continue;
    }
    if (text[0]!.at !== under[0]!.at || text[1]!.at !== under[1]!.at) problems.push(`a ${t.tone} bar's text changes tone at ${text[0]!.at}, its fill ends at ${under[0]!.at}`);
    for (const [where, i] of [['over its fill', 0], ['past its fill', 1]] as const) {
      const [fg, bg] = [text[i]!.colour, under[i]!.colour];
      const c = contrast(fg, bg);
      if (c < 4.5) problems.push(`a ${t.tone} bar's text ${where} (${fg} on ${bg}) has a contrast of ${c.toFixed(2)}`);
    }
  }
  return problems;
}

/** The colours that mean something and must look the same in both schemes: lamps, LCDs, load levels. */
export function signalColours(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const out: Record<string, string> = {};
    for (const sel of ['.lamp-up', '.lamp-down', '.lcd', '.bar-warn', '.bar-alert']) {
      const el = document.querySelector(sel);
      if (!el) continue;
      const st = getComputedStyle(el);
      // A bar's fill is the first colour of its second background layer; its empty part and its text follow the scheme.
      out[sel] = sel.startsWith('.bar') ? (st.backgroundImage.split('linear-gradient(')[2]?.match(/rgba?\([^)]*\)/)?.[0] ?? 'no fill') : `${st.backgroundImage} ${st.backgroundColor} ${st.color}`;
    }
    return out;
  });
}

/** Horizontal space between two boxes on one line, or why they are not side by side. */
export async function gapBetween(a: Locator, b: Locator): Promise<{ sameLine: boolean; gap: number }> {
  const ra = (await a.boundingBox())!;
  const rb = (await b.boundingBox())!;
  const sameLine = Math.abs(ra.y + ra.height / 2 - (rb.y + rb.height / 2)) < Math.min(ra.height, rb.height) / 2;
  return { sameLine, gap: Math.round(rb.x - (ra.x + ra.width)) };
}
