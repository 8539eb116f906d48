/**
 * Calendar days as whole numbers (days since 1970-01-01, UTC), so that series
 * arithmetic never meets time zones or daylight saving.
 */

import { MS_PER_DAY } from '../../lib/days';

// Strict `YYYY-MM-DD` parsing: dates here come from period keys and config, never with a time.
export { formatDay, parseDay } from '../../lib/days';

/** Day of week of a day number: 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function dayOfWeek(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Calendar year of a day number. */
export function yearOf(day: number): number {
  return new Date(day * MS_PER_DAY).getUTCFullYear();
}

/** Month (1–12) and day of month of a day number. */
export function monthDay(day: number): { month: number; date: number } {
  const d = new Date(day * MS_PER_DAY);
  return { month: d.getUTCMonth() + 1, date: d.getUTCDate() };
}

/** Fraction of the (tropical) year elapsed at a day number, in [0, 1): the phase of yearly Fourier terms. */
export function yearPhase(day: number): number {
  const p = (day % 365.2425) / 365.2425;
  return p < 0 ? p + 1 : p;
}

/**
 * A daily series: `values[i]` is the value of day `start + i`; `NaN` marks a
 * missing day (unknown, not zero).
 */
export interface DailySeries {
  start: number;
  values: Float64Array;
}

/** Builds a gap-aware daily series from (day, value) points; values of the same day are summed. */
export function buildDailySeries(points: ReadonlyArray<{ day: number; value: number }>): DailySeries {
  if (points.length === 0) return { start: 0, values: new Float64Array(0) };
  let first = Infinity;
  let last = -Infinity;
  for (const p of points) {
    if (p.day < first) first = p.day;
    if (p.day > last) last = p.day;
  }
  const values = new Float64Array(last - first + 1).fill(Number.NaN);
  for (const p of points) {
    const i = p.day - first;
    values[i] = Number.isNaN(values[i]!) ? p.value : values[i]! + p.value;
  }
  return { start: first, values };
}
