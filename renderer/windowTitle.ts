/**
 * Each window's title, so an admin with ten windows open can tell them apart in the task
 * bar. The hook sets document.title; Electron shows a page's document.title as its window
 * title, so the same line names the browser tab (headless mode) and the Electron window.
 */
import { useEffect } from 'react';
import type { NodeId } from '../shared/domain/node.js';

export const APP_NAME = 'Mosixview';

export const windowTitles = {
  main: (cluster: string | undefined) => (cluster ? `${APP_NAME}: ${cluster}` : APP_NAME),
  node: (id: NodeId, host: string | undefined) => `Node ${id}${host ? `: ${host}` : ''} — configuration`,
  allNodes: () => 'All nodes — configuration',
  processBox: (id: NodeId) => `Process box: node ${id}`,
  clusterProcs: () => 'Cluster processes',
  remote: (id: NodeId) => `Remote processes: node ${id}`,
  /** "job 1.76" once the process is known to be a job, else "process 1234"; where it runs while it runs. */
  migrator: (what: string, runsOn: NodeId | undefined) => `Migrator: ${what}${runsOn !== undefined ? ` on node ${runsOn}` : ''}`,
  exec: (id: NodeId | undefined) => `Advanced execution${id !== undefined ? `: node ${id}` : ''}`,
  average: (metric: string, id: number) => `Average ${metric} of node ${id}`,
  alerts: () => 'Alerts',
  monitor: () => 'Migration monitor',
} as const;

export function useWindowTitle(title: string): void {
  useEffect(() => {
    document.title = title;
  }, [title]);
}
