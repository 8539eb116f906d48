/**
 * Reporting periods: a day, an ISO week or a calendar month, in a configurable IANA time zone.
 *
 * Keys are `2024-03-07` (day), `2024-W10` (ISO 8601 week: weeks start on Monday, week 1 holds
 * the year's first Thursday, so 2021-01-03 is in 2020-W53) and `2024-03` (month). A period's
 * bounds are the instants of local midnight at its start and at the start of the next period, so
 * a day in a zone with daylight saving lasts 23 or 25 hours on the switch days.
 */

export type Granularity = 'day' | 'week' | 'month';

export const GRANULARITIES: readonly Granularity[] = ['day', 'week', 'month'];

/** Thrown for a malformed period key, date, granularity or time zone. */
export class PeriodError extends Error {}

/** A calendar date with no zone (month 1–12). */
interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_KEY = DATE_ONLY;
const WEEK_KEY = /^(\d{4})-W(\d{2})$/;
const MONTH_KEY = /^(\d{4})-(\d{2})$/;

// Creating an Intl.DateTimeFormat is costly; periodKey runs once per event, so keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      });
    } catch (err) {
      throw new PeriodError(`Unknown time zone "${timeZone}"`, { cause: err });
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Local wall-clock fields of an instant in a zone, as one comparable number YYYYMMDDhhmmss. */
function localStamp(ms: number, timeZone: string): { date: CivilDate; stamp: number } {
  const parts = formatterFor(timeZone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  const date = { year: get('year'), month: get('month'), day: get('day') };
  const stamp = ((date.year * 100 + date.month) * 100 + date.day) * 1e6 + get('hour') * 1e4 + get('minute') * 100 + get('second');
  return { date, stamp };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function formatDate(d: CivilDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** Days since 1970-01-01 of a civil date (proleptic Gregorian), via Date.UTC. */
function dayNumber(d: CivilDate): number {
  return Date.UTC(d.year, d.month - 1, d.day) / 86_400_000;
}

function fromDayNumber(n: number): CivilDate {
  const dt = new Date(n * 86_400_000);
  return { year: dt.getUTCFullYear(), month: dt.getUTCMonth() + 1, day: dt.getUTCDate() };
}

function parseDateOnly(s: string): CivilDate | undefined {
  const m = DATE_ONLY.exec(s);
  if (!m) return undefined;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (formatDate(fromDayNumber(dayNumber(d))) !== s) throw new PeriodError(`Invalid date "${s}"`);
  return d;
}

/**
 * The local calendar date of `at` in `timeZone`. A date-only string (`2024-03-07`) is taken as
 * that calendar date as it is, not as UTC midnight (which would fall on the previous day west of UTC).
 */
function localDateOf(at: Date | string, timeZone: string): CivilDate {
  if (typeof at === 'string') {
    const civil = parseDateOnly(at);
    if (civil) return civil;
    // Date.parse would read a date-time without an offset in the process's own zone.
    if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(at)) throw new PeriodError(`Instant "${at}" has no UTC offset (add Z or ±hh:mm)`);
  }
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (!Number.isFinite(ms)) throw new PeriodError(`Invalid date or instant "${String(at)}"`);
  return localStamp(ms, timeZone).date;
}

/** ISO 8601 week-year and week number of a civil date. */
function isoWeek(d: CivilDate): { year: number; week: number } {
  const n = dayNumber(d);
  const weekday = (((n + 3) % 7) + 7) % 7; // 0 = Monday (1970-01-01 was a Thursday)
  const thursday = fromDayNumber(n - weekday + 3); // the week belongs to its Thursday's year
  const jan1 = dayNumber({ year: thursday.year, month: 1, day: 1 });
  return { year: thursday.year, week: Math.floor((n - weekday + 3 - jan1) / 7) + 1 };
}

/** The Monday of ISO week `week` of ISO year `year`. */
function isoWeekMonday(year: number, week: number): number {
  const jan4 = dayNumber({ year, month: 1, day: 4 });
  const jan4Weekday = (((jan4 + 3) % 7) + 7) % 7;
  return jan4 - jan4Weekday + (week - 1) * 7;
}

/**
 * The period key of an instant (or a date-only string) in a time zone:
 * `2024-03-07`, `2024-W10` or `2024-03`.
 */
export function periodKey(granularity: Granularity, at: Date | string, timeZone = 'UTC'): string {
  const d = localDateOf(at, timeZone);
  switch (granularity) {
    case 'day':
      return formatDate(d);
    case 'week': {
      const w = isoWeek(d);
      return `${pad(w.year, 4)}-W${pad(w.week)}`;
    }
    case 'month':
      return `${pad(d.year, 4)}-${pad(d.month)}`;
    default:
      throw new PeriodError(`Unknown granularity "${String(granularity)}"`);
  }
}

/** The granularity a key is written in; throws PeriodError for anything else. */
export function granularityOf(key: string): Granularity {
  if (DAY_KEY.test(key)) return 'day';
  if (WEEK_KEY.test(key)) return 'week';
  if (MONTH_KEY.test(key)) return 'month';
  throw new PeriodError(`Invalid period key "${key}" (expected YYYY-MM-DD, YYYY-Www or YYYY-MM)`);
}

/** First and one-past-last local dates, as day numbers, of a period key. */
function periodDays(key: string): { first: number; next: number } {
  const granularity = granularityOf(key);
  if (granularity === 'day') {
    const first = dayNumber(parseDateOnly(key) as CivilDate);
    return { first, next: first + 1 };
  }
  if (granularity === 'week') {
    const m = WEEK_KEY.exec(key) as RegExpExecArray;
    const year = Number(m[1]);
    const week = Number(m[2]);
    const weeksInYear = isoWeek({ year, month: 12, day: 28 }).week; // Dec 28 is always in the last week
    if (week < 1 || week > weeksInYear) throw new PeriodError(`Invalid ISO week "${key}" (${year} has ${weeksInYear} weeks)`);
    const first = isoWeekMonday(year, week);
    return { first, next: first + 7 };
  }
  const m = MONTH_KEY.exec(key) as RegExpExecArray;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw new PeriodError(`Invalid month "${key}"`);
  return { first: dayNumber({ year, month, day: 1 }), next: dayNumber({ year: month === 12 ? year + 1 : year, month: (month % 12) + 1, day: 1 }) };
}

/**
 * The first instant whose local date in `timeZone` is `day` or later: local midnight, or the
 * first instant after a daylight-saving gap where midnight does not exist. A binary search on
 * the zone's wall clock, so it needs no offset arithmetic and holds for any zone.
 */
function startOfLocalDay(day: number, timeZone: string): number {
  const target = formatDate(fromDayNumber(day)).replaceAll('-', '');
  const targetStamp = Number(target) * 1e6;
  // UTC offsets lie within −12h..+14h, so local midnight is within 15 h of UTC midnight.
  let lo = day * 86_400 - 15 * 3600; // seconds; local time here is surely before the target
  let hi = day * 86_400 + 15 * 3600; // and here surely at or after it
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localStamp(mid * 1000, timeZone).stamp >= targetStamp) hi = mid;
    else lo = mid;
  }
  return hi * 1000;
}

/** A period's bounds: `start` inclusive, `end` exclusive, as ISO 8601 UTC instants. */
export interface PeriodBounds {
  start: string;
  end: string;
}

/** The [start, end) instants of a period key, with day boundaries at local midnight in `timeZone`. */
export function periodBounds(key: string, timeZone = 'UTC'): PeriodBounds {
  const { first, next } = periodDays(key);
  return {
    start: new Date(startOfLocalDay(first, timeZone)).toISOString(),
    end: new Date(startOfLocalDay(next, timeZone)).toISOString(),
  };
}

/** The key of the period right after `key` (same granularity). */
export function nextPeriodKey(key: string): string {
  const { next } = periodDays(key);
  return periodKey(granularityOf(key), formatDate(fromDayNumber(next)));
}

/** The key of the period right before `key` (same granularity). */
export function previousPeriodKey(key: string): string {
  const { first } = periodDays(key);
  return periodKey(granularityOf(key), formatDate(fromDayNumber(first - 1)));
}

/**
 * Every period key from the one holding `from` to the one holding `to`, both included, in order.
 * Empty when `to` is before `from`. `from`/`to` are instants or date-only strings (local dates).
 */
export function periodsBetween(from: Date | string, to: Date | string, granularity: Granularity, timeZone = 'UTC'): string[] {
  const last = periodKey(granularity, to, timeZone);
  const keys: string[] = [];
  let key = periodKey(granularity, from, timeZone);
  if (periodDays(key).first > periodDays(last).first) return keys;
  for (;;) {
    keys.push(key);
    if (key === last) return keys;
    key = nextPeriodKey(key);
  }
}
