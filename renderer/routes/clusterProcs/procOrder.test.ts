import { describe, expect, it } from 'vitest';
import { COLUMNS, DEFAULT_SORT, filterRows, movableText, nextSort, NO_FILTER, sortRows, whereText, type ColumnKey } from './procOrder.js';
import { jobRow, row } from './testRows.test-util.js';

const ROWS = [
  row({ nodeId: 2, pid: 30, user: 'bob', cpu: 5, rssKb: 300, command: 'vim notes.txt' }),
  jobRow(1, 4321, { nodeId: 3, pid: 77, user: 'alice', cpu: 99.5, rssKb: 9000, command: '/usr/bin/crunch -n 5' }, { migrations: 2 }),
  row({ nodeId: 1, pid: 200, user: 'root', cpu: 0, rssKb: 100, command: 'sshd: root' }),
  jobRow(2, 55, { nodeId: 2, pid: 55, user: 'alice', cpu: 12, rssKb: 400, command: '/bin/sleep 300', nice: 5 }, { cantMove: 'it is locked', locked: true }),
  row({ nodeId: 1, pid: 9, user: 'root', cpu: 5, rssKb: 100, command: 'cron' }),
];
const order = (column: ColumnKey, direction: 'ascending' | 'descending') => sortRows(ROWS, { column, direction }).map((r) => `${r.nodeId}:${r.pid}`);

describe('sorting the cluster processes', () => {
  it('has a column for each figure asked for, in order', () => {
    expect(COLUMNS.map((c) => c.header)).toEqual(['Node', 'PID', 'User', 'State', 'CPU %', 'Memory', 'Nice', 'Command', 'Home', 'Runs on', 'Migrations', 'Can move']);
  });

  it('sorts by node then PID by default, numbers as numbers', () => {
    expect(sortRows(ROWS, DEFAULT_SORT).map((r) => `${r.nodeId}:${r.pid}`)).toEqual(['1:9', '1:200', '2:30', '2:55', '3:77']);
    expect(order('pid', 'ascending')).toEqual(['1:9', '2:30', '2:55', '3:77', '1:200']);
  });

  it('sorts by CPU either way; equal values keep node-then-PID order in both', () => {
    expect(order('cpu', 'descending')).toEqual(['3:77', '2:55', '1:9', '2:30', '1:200']);
    expect(order('cpu', 'ascending')).toEqual(['1:200', '1:9', '2:30', '2:55', '3:77']);
  });

  it('sorts text by its words, and puts processes without a job after the jobs in a job column, either way', () => {
    expect(order('user', 'ascending')).toEqual(['2:55', '3:77', '2:30', '1:9', '1:200']);
    expect(order('migrations', 'descending')).toEqual(['3:77', '2:55', '1:9', '1:200', '2:30']);
    expect(order('migrations', 'ascending')).toEqual(['2:55', '3:77', '1:9', '1:200', '2:30']);
    expect(order('home', 'descending')).toEqual(['2:55', '3:77', '1:9', '1:200', '2:30']);
  });

  it('a click sorts by the column, the biggest first where that is what is looked for; a second click turns it round', () => {
    expect(nextSort(DEFAULT_SORT, 'pid')).toEqual({ column: 'pid', direction: 'ascending' });
    expect(nextSort(DEFAULT_SORT, 'cpu')).toEqual({ column: 'cpu', direction: 'descending' });
    expect(nextSort({ column: 'cpu', direction: 'descending' }, 'cpu')).toEqual({ column: 'cpu', direction: 'ascending' });
    expect(nextSort(DEFAULT_SORT, 'node')).toEqual({ column: 'node', direction: 'descending' });
  });

  it('says where a job runs and whether it can move', () => {
    expect(whereText(ROWS[1]!)).toBe('node 3');
    expect(whereText(ROWS[3]!)).toBe('home');
    expect(whereText(jobRow(1, 5, { nodeId: 1, pid: 5 }, { moving: { from: 1, to: 3 } }))).toBe('moving 1 → 3');
    expect(whereText(ROWS[0]!)).toBe('');
    expect(movableText(ROWS[1]!)).toBe('yes');
    expect(movableText(ROWS[3]!)).toBe('it is locked');
    expect(movableText(jobRow(1, 5, { nodeId: 1, pid: 5 }, { locked: true }))).toBe('it is locked');
    expect(movableText(ROWS[0]!)).toBe('');
  });
});

describe('filtering the cluster processes', () => {
  const keys = (f: Partial<typeof NO_FILTER>) => filterRows(ROWS, { ...NO_FILTER, ...f }).map((r) => `${r.nodeId}:${r.pid}`);

  it('keeps everything without a filter', () => {
    expect(keys({})).toHaveLength(ROWS.length);
  });

  it('matches every word, in any case, in the command, the user, the PID or the job', () => {
    expect(keys({ text: 'SLEEP' })).toEqual(['2:55']);
    expect(keys({ text: 'alice crunch' })).toEqual(['3:77']);
    expect(keys({ text: '200' })).toEqual(['1:200']);
    expect(keys({ text: 'job 1.4321' })).toEqual(['3:77']);
    expect(keys({ text: 'nothing-like-this' })).toEqual([]);
  });

  it('by user, by node and jobs only, together with the words', () => {
    expect(keys({ user: 'root' })).toEqual(['1:200', '1:9']);
    expect(keys({ node: 2 })).toEqual(['2:30', '2:55']);
    expect(keys({ jobsOnly: true })).toEqual(['3:77', '2:55']);
    expect(keys({ jobsOnly: true, node: 2, text: 'sleep' })).toEqual(['2:55']);
    expect(keys({ jobsOnly: true, user: 'bob' })).toEqual([]);
  });
});
