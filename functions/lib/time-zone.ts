import * as z from 'zod';

/** REPORTING_TIME_ZONE: an IANA zone (default UTC) whose local midnight starts a reporting day. */
export const timeZoneSchema = z
  .string()
  .default('UTC')
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'is not an IANA time zone');
