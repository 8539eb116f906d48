import { describe, expect, it } from 'vitest';
import {
  nextPeriodKey,
  PeriodError,
  periodBounds,
  periodKey,
  periodsBetween,
  previousPeriodKey,
} from '../../../../shared/analytics/kpi/periods';

describe('periodKey', () => {
  it('names days, ISO weeks and months', () => {
    expect(periodKey('day', '2024-03-07T12:00:00Z')).toBe('2024-03-07');
    expect(periodKey('week', '2024-03-07T12:00:00Z')).toBe('2024-W10');
    expect(periodKey('month', new Date('2024-03-07T12:00:00Z'))).toBe('2024-03');
  });

  it('puts early-January days in the previous ISO year and late-December days in the next', () => {
    expect(periodKey('week', '2021-01-03')).toBe('2020-W53'); // a Sunday; 2020 has 53 weeks
    expect(periodKey('week', '2021-01-04')).toBe('2021-W01'); // the Monday after
    expect(periodKey('week', '2020-12-31')).toBe('2020-W53');
    expect(periodKey('week', '2024-12-30')).toBe('2025-W01'); // a Monday whose Thursday is 2025-01-02
    expect(periodKey('week', '2023-01-01')).toBe('2022-W52');
    expect(periodKey('week', '2026-12-31')).toBe('2026-W53');
  });

  it('takes the local date in the given time zone', () => {
    // 05:00 UTC on the 8th is 21:00 on the 7th in Vancouver (PST, UTC−8)
    expect(periodKey('day', '2024-03-08T05:00:00Z', 'America/Vancouver')).toBe('2024-03-07');
    expect(periodKey('day', '2024-03-08T05:00:00Z')).toBe('2024-03-08');
    expect(periodKey('month', '2024-04-01T06:30:00Z', 'America/Vancouver')).toBe('2024-03'); // 23:30 PDT on Mar 31
    // a date-only string is a calendar date, not UTC midnight
    expect(periodKey('day', '2024-03-07', 'America/Vancouver')).toBe('2024-03-07');
  });

  it('rejects bad input', () => {
    expect(() => periodKey('day', 'not a date')).toThrow(PeriodError);
    expect(() => periodKey('day', '2024-02-30')).toThrow(PeriodError);
    expect(() => periodKey('day', '2024-03-07T12:00:00')).toThrow(/no UTC offset/);
    expect(periodKey('day', '2024-03-07T23:30:00-08:00')).toBe('2024-03-08');
    expect(() => periodKey('day', '2024-03-07T00:00:00Z', 'Mars/Olympus')).toThrow(PeriodError);
  });
});

describe('periodBounds', () => {
  it('gives [start, end) in UTC by default', () => {
    expect(periodBounds('2024-03-07')).toEqual({ start: '2024-03-07T00:00:00.000Z', end: '2024-03-08T00:00:00.000Z' });
    expect(periodBounds('2024-W10')).toEqual({ start: '2024-03-04T00:00:00.000Z', end: '2024-03-11T00:00:00.000Z' });
    expect(periodBounds('2024-02')).toEqual({ start: '2024-02-01T00:00:00.000Z', end: '2024-03-01T00:00:00.000Z' });
    expect(periodBounds('2020-W53')).toEqual({ start: '2020-12-28T00:00:00.000Z', end: '2021-01-04T00:00:00.000Z' });
    expect(periodBounds('2024-12')).toEqual({ start: '2024-12-01T00:00:00.000Z', end: '2025-01-01T00:00:00.000Z' });
  });

  it('makes DST switch days 23 and 25 hours long in America/Vancouver', () => {
    // spring forward on 2024-03-10 at 02:00 PST → 03:00 PDT
    expect(periodBounds('2024-03-10', 'America/Vancouver')).toEqual({ start: '2024-03-10T08:00:00.000Z', end: '2024-03-11T07:00:00.000Z' });
    // fall back on 2024-11-03 at 02:00 PDT → 01:00 PST
    expect(periodBounds('2024-11-03', 'America/Vancouver')).toEqual({ start: '2024-11-03T07:00:00.000Z', end: '2024-11-04T08:00:00.000Z' });
    // the week holding the switch is 7 × 24 − 1 hours
    expect(periodBounds('2024-W10', 'America/Vancouver')).toEqual({ start: '2024-03-04T08:00:00.000Z', end: '2024-03-11T07:00:00.000Z' });
    expect(periodBounds('2024-03', 'America/Vancouver')).toEqual({ start: '2024-03-01T08:00:00.000Z', end: '2024-04-01T07:00:00.000Z' });
  });

  it('handles half-hour offsets and a DST gap at midnight', () => {
    expect(periodBounds('2024-03-07', 'Asia/Kolkata')).toEqual({ start: '2024-03-06T18:30:00.000Z', end: '2024-03-07T18:30:00.000Z' });
    // Chile skips 00:00–01:00 on 2024-09-08: that day starts at 01:00 −03 = 04:00 UTC, like the day before (00:00 −04)
    expect(periodBounds('2024-09-07', 'America/Santiago')).toEqual({ start: '2024-09-07T04:00:00.000Z', end: '2024-09-08T04:00:00.000Z' });
  });

  it('keeps every instant of a period inside its bounds', () => {
    for (const at of ['2024-03-10T07:59:59Z', '2024-03-10T08:00:00Z', '2024-03-11T06:59:59Z', '2024-03-11T07:00:00Z']) {
      const { start, end } = periodBounds(periodKey('day', at, 'America/Vancouver'), 'America/Vancouver');
      expect(start <= new Date(at).toISOString() && new Date(at).toISOString() < end).toBe(true);
    }
  });

  it('rejects malformed keys and weeks a year does not have', () => {
    expect(() => periodBounds('2021-W53')).toThrow(/52 weeks/);
    expect(() => periodBounds('2024-13')).toThrow(PeriodError);
    expect(() => periodBounds('2024/03/07')).toThrow(PeriodError);
  });
});

describe('periodsBetween and neighbours', () => {
  it('lists every period from the one holding from to the one holding to', () => {
    expect(periodsBetween('2024-02-27', '2024-03-02', 'day')).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
    expect(periodsBetween('2020-12-28', '2021-01-11', 'week')).toEqual(['2020-W53', '2021-W01', '2021-W02']);
    expect(periodsBetween('2023-11-15T00:00:00Z', '2024-02-01T00:00:00Z', 'month')).toEqual(['2023-11', '2023-12', '2024-01', '2024-02']);
    expect(periodsBetween('2024-03-02', '2024-03-01', 'day')).toEqual([]);
  });

  it('steps to the next and previous period across year ends', () => {
    expect(nextPeriodKey('2020-W53')).toBe('2021-W01');
    expect(previousPeriodKey('2021-W01')).toBe('2020-W53');
    expect(nextPeriodKey('2024-12')).toBe('2025-01');
    expect(previousPeriodKey('2024-03-01')).toBe('2024-02-29');
  });
});
