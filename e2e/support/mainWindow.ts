/** Reading the main window the way a screen reader does: by role and accessible name. */
import type { Page } from '@playwright/test';
import { routes } from '../../shared/windows.js';

/** 'cut off': up, but its peers reject its cluster key (amber). */
export const lamp = (page: Page, id: number, state: 'up' | 'down' | 'cut off' | 'connecting') =>
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

/** Opens a window from one of the main window's buttons, as an admin does; resolves when it shows `route` and has `title`. */
export async function openFromMain(page: Page, button: string, route: string, title: string): Promise<Page> {
  const { expect } = await import('@playwright/test');
  const [win] = await Promise.all([page.context().waitForEvent('page'), page.getByRole('button', { name: button, exact: true }).click()]);
  await win.waitForLoadState();
  await expect(win).toHaveURL(new RegExp(`#/${route}$`));
  await expect(win).toHaveTitle(title);
  return win;
}

/** The Cluster processes window, from the main window's button. */
export const openClusterProcesses = (page: Page): Promise<Page> => openFromMain(page, 'Cluster processes', routes.clusterProcs(), 'Cluster processes');
