import { describe, expect, it } from 'vitest';
import { parseExportArgs, parseTime } from './exportArgs.js';

const NOW = new Date(2026, 10, 29, 15, 30, 12, 500).getTime(); // local time, as an admin's clock

describe('FROM and TO', () => {
  it.each([
    ['2026-11-29T14:00:00Z', Date.UTC(2026, 10, 29, 14)],
    ['2026-11-29T14:00:00.250Z', Date.UTC(2026, 10, 29, 14, 0, 0, 250)],
    ['2026-11-29T14:00+01:00', Date.UTC(2026, 10, 29, 13)],
    ['2026-11-29 14:00', new Date(2026, 10, 29, 14).getTime()],
    ['2026-11-29 14:00:30', new Date(2026, 10, 29, 14, 0, 30).getTime()],
    ['2026-11-29', new Date(2026, 10, 29).getTime()],
    ['14:00', new Date(2026, 10, 29, 14).getTime()],
    ['now', NOW],
    ['today', new Date(2026, 10, 29).getTime()],
    ['yesterday', new Date(2026, 10, 28).getTime()],
    ['-1h', NOW - 3_600_000],
    ['-30m', NOW - 1_800_000],
    ['-1h30m', NOW - 5_400_000],
    ['-2d', NOW - 2 * 86_400_000],
    ['-90s', NOW - 90_000],
    ['@1796000000', 1_796_000_000_000],
  ])('%s', (text, want) => {
    expect(parseTime(text, NOW, 'FROM')).toBe(want);
  });

  it.each([
    ['yesterday 14:00', /FROM "yesterday 14:00" is not a time: give a time like 2026-11-29T14:00:00Z/],
    ['2026-02-30 10:00', /FROM "2026-02-30 10:00" is not a time \(no such date or time of day\)/],
    ['25:00', /not a time \(no such time of day\)/],
    ['1h', /a time before now starts with "-": -1h/],
    ['', /FROM "" is not a time/],
  ])('refuses %j, saying what it takes', (text, err) => {
    expect(() => parseTime(text, NOW, 'FROM')).toThrow(err);
  });
});

describe('mosixcollector --export arguments', () => {
  it('defaults: CSV of the load history, every node', () => {
    expect(parseExportArgs(['-1h', 'now'], NOW)).toEqual({ from: NOW - 3_600_000, to: NOW, format: 'csv', family: 'load' });
  });

  it('takes --format, --nodes, --history and --backup, also as --name=value', () => {
    expect(parseExportArgs(['2026-11-29 14:00', 'now', '--format', 'json', '--nodes', '1,3,2', '--history=mem', '--backup', 'mosixview-20261129-140000'], NOW)).toEqual({
      from: new Date(2026, 10, 29, 14).getTime(), to: NOW, format: 'json', family: 'mem', nodes: [1, 3, 2], backup: 'mosixview-20261129-140000',
    });
  });

  it.each([
    [['-1h'], /needs a start and an end time \(FROM TO\), got "-1h": e\.g\. mosixcollector --export -1h now/],
    [[], /got none/],
    [['now', '-1h'], /FROM \(.*\) is after TO \(.*\): give the earlier time first/],
    [['-1h', 'now', '--format', 'xml'], /--format "xml" is not a format: give --format csv or --format json/],
    [['-1h', 'now', '--format'], /--format needs a value/],
    [['-1h', 'now', '--nodes', '1,x'], /--nodes "1,x": "x" is not a node number \(0 to 65535\): give the node numbers separated by commas/],
    [['-1h', 'now', '--nodes'], /--nodes needs a list of nodes/],
    [['-1h', 'now', '--history', 'cpu'], /--history "cpu" is not a history: give --history load or --history mem or --history io/],
    [['-1h', 'now', '-x'], /unknown option "-x" for --export/],
  ])('refuses %j, naming what was wrong and what to do', (args, err) => {
    expect(() => parseExportArgs(args, NOW)).toThrow(err);
  });
});
