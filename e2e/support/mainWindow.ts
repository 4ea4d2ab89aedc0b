/** Reading the main window the way a screen reader does: by role and accessible name. */
import type { Page } from '@playwright/test';
import { routes } from '../../shared/windows.js';

/** 'cut off': up, but its peers reject its cluster key (amber). */
export const lamp = (page: Page, id: number, state: 'up' | 'down' | 'cut off') =>
  page.getByRole('img', { name: `Node ${id} ${state}`, exact: true });

export const loadBar = (page: Page, id: number) => page.getByRole('progressbar', { name: `Load of node ${id}`, exact: true });

/** The load bar's value (0..100), or -1 while it has none. */
export async function loadValue(page: Page, id: number): Promise<number> {
  const v = await loadBar(page, id).getAttribute('aria-valuenow');
  return v === null ? -1 : Number(v);
}

export async function allUp(page: Page, ids: number[], timeout = 60_000): Promise<void> {
  const { expect } = await import('@playwright/test');
  for (const id of ids) await expect(lamp(page, id, 'up')).toBeVisible({ timeout });
}

/** Opens the Cluster processes window from the main window's button, as an admin does; resolves when it has its title. */
export async function openClusterProcesses(page: Page): Promise<Page> {
  const { expect } = await import('@playwright/test');
  const [win] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: 'Cluster processes', exact: true }).click()]);
  await win.waitForLoadState();
  await expect(win).toHaveURL(new RegExp(`#/${routes.clusterProcs()}$`));
  await expect(win).toHaveTitle('Cluster processes');
  return win;
}
