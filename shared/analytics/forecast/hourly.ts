import { buildDailySeries, dayOfWeek, parseDay } from './dates';
import { forecastDaily, type DailyForecastRow, type ForecastDailyOptions } from './forecast';

/** One hour of history: local calendar day (day number), hour 0–23 and the count. */
export interface HourlyPoint {
  day: number;
  hour: number;
  value: number;
}

/** One forecast hour. */
export interface HourlyForecastRow {
  date: string;
  hour: number;
  forecast: number;
  lower: number;
  upper: number;
}

/**
 * Hour-of-week profile: profile[dow][hour] is the share of that weekday's
 * volume arriving in that hour (each weekday's 24 shares sum to 1). Recent
 * weeks weigh more (half-life in days); a weekday with no history gets the
 * profile of all days pooled, and a flat 1/24 when there is no history at all.
 */
export function hourOfWeekProfile(history: readonly HourlyPoint[], halfLifeDays = 56): number[][] {
  const last = history.reduce((m, p) => Math.max(m, p.day), -Infinity);
  const sums = Array.from({ length: 7 }, () => new Float64Array(24));
  const pooled = new Float64Array(24);
  for (const p of history) {
    if (!(p.value >= 0) || p.hour < 0 || p.hour > 23) continue;
    const w = Math.pow(0.5, (last - p.day) / halfLifeDays) * p.value;
    sums[dayOfWeek(p.day)]![p.hour]! += w;
    pooled[p.hour]! += w;
  }
  const normalise = (a: Float64Array): number[] | undefined => {
    const t = a.reduce((s, v) => s + v, 0);
    return t > 0 ? Array.from(a, (v) => v / t) : undefined;
  };
  const all = normalise(pooled) ?? new Array<number>(24).fill(1 / 24);
  return sums.map((s) => normalise(s) ?? all);
}

/** Spreads each day's forecast (and its interval, proportionally) over the hours with the profile. */
export function disaggregateDaily(rows: readonly DailyForecastRow[], profile: readonly number[][]): HourlyForecastRow[] {
  const out: HourlyForecastRow[] = [];
  for (const r of rows) {
    const day = parseDay(r.date);
    if (day === undefined) throw new RangeError(`not a date: ${r.date}`);
    const shares = profile[dayOfWeek(day)]!;
    for (let hour = 0; hour < 24; hour++) {
      const s = shares[hour]!;
      out.push({ date: r.date, hour, forecast: r.forecast * s, lower: r.lower * s, upper: r.upper * s });
    }
  }
  return out;
}

/**
 * Hourly forecast for `horizonDays` days after the last day of an hourly
 * history: the hours are summed per day, the daily model forecasts the days,
 * and the hour-of-week profile of the same history splits them.
 */
export function forecastHourly(history: readonly HourlyPoint[], horizonDays: number, options: ForecastDailyOptions = {}): HourlyForecastRow[] {
  const series = buildDailySeries(history.map((p) => ({ day: p.day, value: p.value })));
  const daily = forecastDaily(series, horizonDays, options);
  return disaggregateDaily(daily.rows, hourOfWeekProfile(history));
}
