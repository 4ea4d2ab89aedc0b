/** What Mosixload, Mosixmem and the I/O history show: their charts, units, axes and the metric of the per-node table. */
import type { HistoryMetric } from '../../shared/protocol/agentHistory.js';
import { formatKbShort } from './timeFormat.js';
import type { ExportFamily } from '../../shared/history/exportFormat.js';
import { loadAxis, memoryAxis, rateAxis, type ValueAxis } from './chart/valueAxis.js';
import { formatRate } from '../ioFigures.js';

export interface ChartSpec {
  metric: HistoryMetric;
  title: string;
  unit: string;
  /** Values are divided by this for the chart (kB -> MB). */
  scale?: number;
  levels?: boolean;
  axis: (peak: number) => ValueAxis;
  /** A value as the chart's readout shows it (after scaling). */
  format: (v: number) => string;
}

export interface WindowSpec {
  title: string;
  /** What File, Export writes: every metric of the family (shared/history/exportFormat.ts). */
  family: ExportFamily;
  /** The metric of the per-node table and the average buttons. */
  main: HistoryMetric;
  charts: ChartSpec[];
  /** A raw value (kB for memory) as the table shows it. */
  format: (v: number) => string;
  /** Height of each chart (px) when there are several; 190 unless said. */
  chartHeight?: number;
}

const percent = (v: number) => `${Math.round(v)}%`;
const mb = (v: number) => formatKbShort(v * 1024);

export const LOAD_WINDOW: WindowSpec = {
  title: 'Load history',
  family: 'load',
  main: 'load',
  charts: [{ metric: 'load', title: 'Load', unit: '% of the node’s CPUs; yellow above 50, red above 80', levels: true, axis: loadAxis, format: percent }],
  format: percent,
};

export const MEM_WINDOW: WindowSpec = {
  title: 'Memory history',
  family: 'mem',
  main: 'mem',
  charts: [
    { metric: 'mem', title: 'mem: available memory', unit: 'MemAvailable of each node', scale: 1024, axis: memoryAxis, format: mb },
    { metric: 'rmem', title: 'rmem: free memory', unit: 'MemFree of each node', scale: 1024, axis: memoryAxis, format: mb },
    { metric: 'tmem', title: 'tmem: total memory', unit: 'MemTotal of each node', scale: 1024, axis: memoryAxis, format: mb },
  ],
  format: (v) => formatKbShort(v),
};

const rate = (kbps: number) => formatRate(kbps * 1024);

/**
 * Disk and network per node, bytes per second (k = 1024). On the test cluster every node is a
 * network namespace of one machine: its network is its own, its disks are the machine's.
 */
export const IO_WINDOW: WindowSpec = {
  title: 'I/O history',
  family: 'io',
  main: 'netRx',
  chartHeight: 150,
  charts: [
    { metric: 'diskRead', title: 'Disk read', unit: 'per second, whole disks', scale: 1024, axis: rateAxis, format: rate },
    { metric: 'diskWrite', title: 'Disk write', unit: 'per second, whole disks', scale: 1024, axis: rateAxis, format: rate },
    { metric: 'netRx', title: 'Network receive', unit: 'per second, every interface but lo', scale: 1024, axis: rateAxis, format: rate },
    { metric: 'netTx', title: 'Network send', unit: 'per second, every interface but lo', scale: 1024, axis: rateAxis, format: rate },
  ],
  format: formatRate,
};

/** The metrics a window's charts show, in their order: what it asks history.series (and its opener history.prepare) for. */
export const metricsOf = (spec: WindowSpec): HistoryMetric[] => spec.charts.map((c) => c.metric);
