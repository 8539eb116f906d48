import { describe, expect, it } from 'vitest';
import { dayOfWeek, parseDay } from '../../../../shared/analytics/forecast/dates';
import { disaggregateDaily, forecastHourly, hourOfWeekProfile, type HourlyPoint } from '../../../../shared/analytics/forecast/hourly';

// Weekdays: 9–17 busy (10 an hour), 2 an hour otherwise → 9·10 + 15·2 = 120 a day. Weekends: flat 1 an hour.
const weekdayHour = (h: number) => (h >= 9 && h < 18 ? 10 : 2);
function synthetic(startDate: string, days: number): HourlyPoint[] {
  const start = parseDay(startDate)!;
  const out: HourlyPoint[] = [];
  for (let d = start; d < start + days; d++) {
    const weekend = dayOfWeek(d) === 0 || dayOfWeek(d) === 6;
    for (let hour = 0; hour < 24; hour++) out.push({ day: d, hour, value: weekend ? 1 : weekdayHour(hour) });
  }
  return out;
}

describe('hourly', () => {
  it('estimates the hour-of-week profile', () => {
    const profile = hourOfWeekProfile(synthetic('2024-01-01', 28));
    expect(profile[1]![10]).toBeCloseTo(10 / 120, 12); // Monday 10:00
    expect(profile[1]![3]).toBeCloseTo(2 / 120, 12);
    expect(profile[0]![10]).toBeCloseTo(1 / 24, 12); // Sunday
    for (const day of profile) expect(day.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  it('falls back to the pooled profile for a weekday without history, flat without any', () => {
    const onlyMonday = synthetic('2024-01-01', 1);
    expect(hourOfWeekProfile(onlyMonday)[3]![10]).toBeCloseTo(10 / 120, 12);
    expect(hourOfWeekProfile([])[2]![0]).toBeCloseTo(1 / 24, 12);
  });

  it('splits a daily forecast so the hours add up to the day', () => {
    const profile = hourOfWeekProfile(synthetic('2024-01-01', 7));
    const hours = disaggregateDaily([{ date: '2024-01-08', forecast: 240, lower: 120, upper: 360 }], profile);
    expect(hours).toHaveLength(24);
    const h10 = hours[10]!;
    expect([h10.date, h10.hour]).toEqual(['2024-01-08', 10]);
    expect([h10.forecast, h10.lower, h10.upper].map((x) => Math.round(x * 1e9) / 1e9)).toEqual([20, 10, 30]);
    expect(hours.reduce((s, h) => s + h.forecast, 0)).toBeCloseTo(240, 9);
  });

  it('forecasts hours 1–14 days ahead from an hourly history', () => {
    const rows = forecastHourly(synthetic('2024-01-01', 8 * 7), 14);
    expect(rows).toHaveLength(14 * 24);
    expect(rows[0]!.date).toBe('2024-02-26');
    const monday10 = rows[10]!;
    expect(monday10.hour).toBe(10);
    expect(monday10.forecast).toBeCloseTo(10, 0);
    expect(rows[5 * 24 + 10]!.forecast).toBeCloseTo(1, 1); // Saturday
  });
});
