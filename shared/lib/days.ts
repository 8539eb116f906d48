/**
 * Calendar days as whole numbers (days since 1970-01-01, UTC), so day arithmetic never
 * meets time zones or daylight saving.
 */

/** Milliseconds in one UTC day. */
export const MS_PER_DAY = 86_400_000;

/** How lenient {@link parseDay} is. Both default to false: exactly `YYYY-MM-DD`. */
export interface ParseDayOptions {
  /** Ignore surrounding whitespace. */
  trim?: boolean;
  /** Accept and ignore a time of day after the date (`YYYY-MM-DD HH:MM[:SS]`, space or `T`). */
  allowTime?: boolean;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$/;

/** Day number of a `YYYY-MM-DD` date, or undefined when the text is not a real calendar date. */
export function parseDay(text: string, options: ParseDayOptions = {}): number | undefined {
  const m = (options.allowTime ? DATE_TIME : DATE_ONLY).exec(options.trim ? text.trim() : text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Reject 2011-02-30 and the like, which Date.UTC silently rolls over.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / MS_PER_DAY;
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The days (`YYYY-MM-DD`, UTC) from `from` to `to` inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += MS_PER_DAY) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}
