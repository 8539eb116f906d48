import Holidays from 'date-holidays';
import { dayOfWeek, parseDay, yearOf } from './dates';

/**
 * Holiday calendar of a country/region (date-holidays) turned into named
 * "special days" the model learns one effect for each. Beyond the library's
 * public holidays it marks days the library leaves out but contact volume
 * feels: the weekday a weekend holiday is observed on, Easter Monday, the
 * days around Christmas and New Year, and the library's observances (e.g.
 * Truth and Reconciliation Day in BC). Effects are estimated with shrinkage,
 * so a marked day that changes nothing costs little.
 */
export interface HolidayConfig {
  country: string;
  region?: string;
  /** Mark the days around Christmas and New Year (Dec 24, Dec 26–31, Jan 2). Default true. */
  christmasWindow?: boolean;
  /** Give the library's observances their own (shrunk) effect. Default true. */
  observances?: boolean;
}

/** Special days per day number: each holds the names of the effects that apply. */
export type HolidayCalendar = Map<number, string[]>;

/** Throws when the library does not know the country/region. */
export function holidayCalendar(config: HolidayConfig, firstDay: number, lastDay: number): HolidayCalendar {
  const hd = config.region ? new Holidays(config.country, config.region) : new Holidays(config.country);
  if (!hd.getCountries()[config.country.toUpperCase()] || (config.region && !hd.getStates(config.country)?.[config.region.toUpperCase()])) {
    throw new Error(`date-holidays does not know ${config.country}${config.region ? `/${config.region}` : ''}`);
  }
  const cal: HolidayCalendar = new Map();
  const mark = (day: number, name: string) => {
    const list = cal.get(day);
    if (!list) cal.set(day, [name]);
    else if (!list.includes(name)) list.push(name);
  };
  const publicDays = new Set<number>();
  const observances: Array<[number, string]> = [];
  let librarySubstitutes = false;
  for (let y = yearOf(firstDay); y <= yearOf(lastDay); y++) {
    for (const h of hd.getHolidays(y)) {
      const day = parseDay(h.date.slice(0, 10));
      if (day === undefined) continue;
      if (h.substitute) librarySubstitutes = true;
      if (h.type === 'public' || h.type === 'bank') {
        publicDays.add(day);
        mark(day, `holiday:${h.name}`);
        if (/good friday/i.test(h.name)) mark(day + 3, 'holiday:Easter Monday');
      } else if (h.type === 'observance' && config.observances !== false) {
        observances.push([day, h.name]);
      }
    }
    if (config.christmasWindow !== false) {
      for (const d of [24, 26, 27, 28, 29, 30, 31]) mark(parseDay(`${y}-12-${d}`)!, `window:Dec ${d}`);
      mark(parseDay(`${y}-01-02`)!, 'window:Jan 2');
    }
  }
  for (const [day, name] of observances) mark(day, `observance:${name}`);
  // A public holiday on a weekend is usually observed on the next free weekday
  // (unless the library already lists substitute days, as it does for e.g. GB).
  for (const day of librarySubstitutes ? [] : [...publicDays].sort((a, b) => a - b)) {
    const dow = dayOfWeek(day);
    if (dow !== 0 && dow !== 6) continue;
    let d = day + (dow === 6 ? 2 : 1);
    while (publicDays.has(d) || dayOfWeek(d) === 0 || dayOfWeek(d) === 6) d++;
    mark(d, 'observed');
  }
  // Fixed-date observances that may be days off (Truth and Reconciliation) are observed on the
  // Monday when they fall on a weekend: learned, shrunk. Ones always on a weekend (Mother's Day) are skipped.
  const onWeekdays = new Set(observances.filter(([d]) => dayOfWeek(d) !== 0 && dayOfWeek(d) !== 6).map(([, n]) => n));
  for (const [day, name] of observances) {
    if (!onWeekdays.has(name)) continue;
    const dow = dayOfWeek(day);
    if (dow === 6) mark(day + 2, `observance-observed:${name}`);
    if (dow === 0) mark(day + 1, `observance-observed:${name}`);
  }
  return cal;
}

/** Names of the special days on `day`, for people (e.g. "Christmas Day"), without the effect prefixes. */
export function describeSpecialDay(cal: HolidayCalendar, day: number): string[] {
  return (cal.get(day) ?? []).map((n) => n.replace(/^[a-z-]+:/, ''));
}

/** True for days the calendar marks as a public holiday or its observed day (used by "day after" effects). */
export function isDayOff(cal: HolidayCalendar, day: number): boolean {
  const list = cal.get(day);
  return !!list && list.some((n) => n.startsWith('holiday:') || n === 'observed');
}
