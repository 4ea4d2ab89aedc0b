/** What history.spec.ts reads off a node and off the history windows: peaks, the Load chart's pixels, the shown range, the process table. */
import { expect, type Page } from '@playwright/test';
import { sshExec, type TestCluster } from '../cluster/testCluster.js';

/** Runs a command on a node over ssh; its output, or an error with both streams. */
export async function run(cluster: TestCluster, node: number, cmd: string): Promise<string> {
  const r = await sshExec(cluster, node, cmd);
  if (r.code !== 0) throw new Error(`node ${node}: "${cmd}" failed (${r.code}): ${r.stdout}${r.stderr}`);
  return r.stdout;
}

export async function peakOf(page: Page, id: number): Promise<{ value: number; t: number }> {
  const value = Number(await page.getByRole('cell', { name: `Peak of node ${id}`, exact: true }).getAttribute('data-value'));
  const t = Number(await page.getByRole('cell', { name: `Peak time of node ${id}`, exact: true }).getAttribute('data-t'));
  return { value, t };
}

/**
 * What the Load chart's canvas shows at time t: the colour of every pixel of that column, with
 * the value its height stands for (from the plot's place and the value axis' top tick).
 */
export async function canvasColumn(page: Page, t: number): Promise<{ v: number; rgb: string }[]> {
  return page.locator('figure[aria-label="Load"]').evaluate((fig, t) => {
    const canvas = fig.querySelector('canvas')!;
    const plot = fig.querySelector<HTMLElement>('.chart-plot')!;
    const [min, max] = [Number(plot.getAttribute('aria-valuemin')), Number(plot.getAttribute('aria-valuemax'))];
    const top = Math.max(...[...fig.querySelectorAll<HTMLElement>('.value-tick')].map((e) => Number(e.dataset.v)));
    const dpr = canvas.width / canvas.clientWidth;
    const x = Math.round((plot.offsetLeft + ((t - min) / (max - min)) * plot.offsetWidth) * dpr);
    const img = canvas.getContext('2d')!.getImageData(x, 0, 1, canvas.height).data;
    const out: { v: number; rgb: string }[] = [];
    for (let py = 0; py < canvas.height; py++) {
      const y = py / dpr;
      if (y < plot.offsetTop || y > plot.offsetTop + plot.offsetHeight) continue;
      const hex = (i: number) => img[py * 4 + i]!.toString(16).padStart(2, '0');
      out.push({ v: top * (1 - (y - plot.offsetTop) / plot.offsetHeight), rgb: `#${hex(0)}${hex(1)}${hex(2)}` });
    }
    return out;
  }, t);
}

export async function shownSpan(page: Page): Promise<number> {
  const text = (await page.getByRole('status', { name: 'Shown range' }).textContent()) ?? '';
  const m = /\((\d+(?:\.\d+)?) (s|min|h)\)$/.exec(text);
  if (!m) throw new Error(`no span in "${text}"`);
  return Number(m[1]) * { s: 1, min: 60, h: 3600 }[m[2] as 's' | 'min' | 'h'];
}

export async function procsShown(page: Page): Promise<string> {
  await expect(page.getByRole('table', { name: /^Processes at / })).toBeVisible();
  return page.getByRole('table', { name: /^Processes at / }).innerText();
}
