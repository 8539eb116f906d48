import { describe, expect, it } from 'vitest';
import { countersFrom, emptyCounters } from '../../../../shared/analytics/kpi/counters';
import { buildKpiRow, kpiCsvHeader, kpiCsvLine, rollUpCounters } from '../../../../shared/analytics/kpi/rows';

describe('KPI rows', () => {
  it('builds a deterministic row with the period bounds in the configured zone', () => {
    const counters = countersFrom({ messagesIn: 12, slaMet: 3, slaBreached: 1 });
    const row = buildKpiRow('day', '2024-03-10', 'channel#email', counters, { backlog: 4 }, 'America/Vancouver');
    expect(row).toMatchObject({
      key: 'KPI#day#2024-03-10#channel#email',
      start: '2024-03-10T08:00:00.000Z',
      end: '2024-03-11T07:00:00.000Z',
      kpis: { messagesIn: { value: 12 }, slaAttainment: { value: 0.75 }, backlog: { value: 4 } },
    });
    expect(buildKpiRow('day', '2024-03-10', 'channel#email', counters, { backlog: 4 }, 'America/Vancouver')).toEqual(row);
  });

  it('rolls day counters up into ISO weeks and months', () => {
    const days: Array<[string, ReturnType<typeof emptyCounters>]> = [
      ['2020-12-31', countersFrom({ messagesIn: 1 })], // Thursday of 2020-W53
      ['2021-01-03', countersFrom({ messagesIn: 2 })], // Sunday of 2020-W53
      ['2021-01-04', countersFrom({ messagesIn: 4 })], // Monday of 2021-W01
    ];
    const weeks = rollUpCounters(days, 'week');
    expect([...weeks].map(([k, c]) => [k, c.messagesIn])).toEqual([
      ['2020-W53', 3],
      ['2021-W01', 4],
    ]);
    const months = rollUpCounters(days, 'month');
    expect([...months].map(([k, c]) => [k, c.messagesIn])).toEqual([
      ['2020-12', 1],
      ['2021-01', 6],
    ]);
  });

  it('writes CSV with an empty cell and the reason for undefined indices', () => {
    const row = buildKpiRow('month', '2024-03', 'all', countersFrom({ ratingsCount: 2, ratingsSum: 9, ratingsWeightSum: 2, ratingsWeightedSum: 9, satisfiedCount: 2 }));
    const header = kpiCsvHeader().split(',');
    const cells = kpiCsvLine(row).split(',');
    expect(cells).toHaveLength(header.length);
    const at = (name: string) => cells[header.indexOf(name)];
    expect(at('customerSatisfaction')).toBe('4.5');
    expect(at('csat')).toBe('1');
    expect(at('slaAttainment')).toBe('');
    expect(at('slaAttainment_undefined_reason')).toBe('no SLA outcome decided in the period (tickets without an SLA are not counted)');
  });
});
