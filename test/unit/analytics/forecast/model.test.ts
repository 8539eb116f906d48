import { describe, expect, it } from 'vitest';
import { buildDailySeries, dayOfWeek, formatDay, parseDay } from '../../../../shared/analytics/forecast/dates';
import { forecastDaily } from '../../../../shared/analytics/forecast/forecast';
import { holidayCalendar } from '../../../../shared/analytics/forecast/holidays';
import { rollingForecasts, DEFAULT_DAILY_OPTIONS } from '../../../../shared/analytics/forecast/model';

// Sunday … Saturday.
const WEEK = [50, 100, 200, 300, 400, 500, 60];

function weeklySeries(startDate: string, days: number, value: (day: number) => number) {
  const start = parseDay(startDate)!;
  return buildDailySeries(Array.from({ length: days }, (_, i) => ({ day: start + i, value: value(start + i) })));
}

describe('daily model', () => {
  it('recovers a pure weekly pattern', () => {
    const series = weeklySeries('2023-01-02', 10 * 7, (d) => WEEK[dayOfWeek(d)]!);
    const f = forecastDaily(series, 14);
    expect(f.rows).toHaveLength(14);
    expect(f.rows[0]!.date).toBe('2023-03-13');
    for (const r of f.rows) {
      const expected = WEEK[dayOfWeek(parseDay(r.date)!)]!;
      expect(Math.abs(r.forecast - expected) / expected).toBeLessThan(0.01);
      expect(r.lower).toBeLessThanOrEqual(r.forecast + 1e-9);
      expect(r.upper).toBeGreaterThanOrEqual(r.forecast - 1e-9);
    }
  });

  it('recovers a weekly pattern over several years despite missing days and a level shift', () => {
    // Level doubles halfway; two days missing near the end.
    const start = parseDay('2018-01-01')!;
    const points = [];
    for (let i = 0; i < 5 * 365; i++) {
      if (i === 5 * 365 - 10 || i === 5 * 365 - 40) continue;
      points.push({ day: start + i, value: WEEK[dayOfWeek(start + i)]! * (i < 900 ? 1 : 2) });
    }
    const f = forecastDaily(buildDailySeries(points), 14);
    for (const r of f.rows) {
      const expected = 2 * WEEK[dayOfWeek(parseDay(r.date)!)]!;
      // The piecewise-linear trend follows the step; within 2 %, not exact.
      expect(Math.abs(r.forecast - expected) / expected).toBeLessThan(0.02);
    }
  });

  it('is not dragged down by outage days with zero volume, even yesterday', () => {
    const start = parseDay('2019-01-01')!;
    const n = 4 * 365;
    const outages = new Set([n - 1, n - 20, n - 50, n - 300, 800]);
    const points = Array.from({ length: n }, (_, i) => ({ day: start + i, value: outages.has(i) ? 0 : WEEK[dayOfWeek(start + i)]! }));
    const f = forecastDaily(buildDailySeries(points), 14);
    for (const r of f.rows) {
      const expected = WEEK[dayOfWeek(parseDay(r.date)!)]!;
      expect(Math.abs(r.forecast - expected) / expected).toBeLessThan(0.04);
    }
    // Without the Huber weights and the clipped carry, the zeros pull the forecast far down.
    const plain = forecastDaily(buildDailySeries(points), 14, { robustK: 0 });
    expect(plain.rows[0]!.forecast / WEEK[dayOfWeek(parseDay(plain.rows[0]!.date)!)]!).toBeLessThan(0.8);
  });

  it('learns a holiday dip (Labour Day) when a country is configured, and not without', () => {
    const cal = holidayCalendar({ country: 'CA', region: 'BC', christmasWindow: false, observances: false }, parseDay('2019-01-01')!, parseDay('2023-12-31')!);
    const isHoliday = (d: number) => (cal.get(d) ?? []).some((n) => n.startsWith('holiday:') || n === 'observed');
    const value = (d: number) => {
      const dow = dayOfWeek(d);
      const weekend = dow === 0 || dow === 6;
      return weekend ? 400 : isHoliday(d) ? 300 : 1000;
    };
    const series = weeklySeries('2019-01-01', parseDay('2023-08-28')! - parseDay('2019-01-01')!, value); // ends Sunday 2023-08-27
    const labourDay = '2023-09-04';
    const withHolidays = forecastDaily(series, 14, { holidays: { country: 'CA', region: 'BC' } });
    const without = forecastDaily(series, 14);
    const at = (rows: typeof without.rows) => rows.find((r) => r.date === labourDay)!.forecast;
    expect(at(withHolidays.rows)).toBeGreaterThan(270);
    expect(at(withHolidays.rows)).toBeLessThan(330);
    expect(at(without.rows)).toBeGreaterThan(800);
    // The ordinary Wednesday after it stays a weekday.
    expect(withHolidays.rows.find((r) => r.date === '2023-09-06')!.forecast).toBeGreaterThan(950);
  });

  it('marks weekend holidays on the weekday they are observed', () => {
    const cal = holidayCalendar({ country: 'CA', region: 'BC' }, parseDay('2023-01-01')!, parseDay('2023-12-31')!);
    expect(cal.get(parseDay('2023-07-01')!)).toContain('holiday:Canada Day'); // a Saturday
    expect(cal.get(parseDay('2023-07-03')!)).toContain('observed');
    expect(cal.get(parseDay('2023-04-10')!)).toContain('holiday:Easter Monday');
    expect(cal.get(parseDay('2023-12-27')!)).toContain('window:Dec 27');
  });

  it('forecasts every origin of a rolling run from the history before it only', () => {
    const series = weeklySeries('2023-01-02', 70, (d) => WEEK[dayOfWeek(d)]!);
    const run = rollingForecasts(series, [35, 28], 7, { ...DEFAULT_DAILY_OPTIONS });
    expect(run.origins).toEqual([28, 35]);
    expect(run.forecasts[0]![0]).toBeCloseTo(WEEK[dayOfWeek(series.start + 28)]!, 0);
    expect(formatDay(series.start + 28)).toBe('2023-01-30');
  });
});
