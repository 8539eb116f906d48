import { describe, expect, it } from 'vitest';
import { parseDay as customersParseDay } from '../../../shared/analytics/customers/order-lines';
import { parseDay as forecastParseDay } from '../../../shared/analytics/forecast/dates';
import { formatDay, MS_PER_DAY, parseDay } from '../../../shared/lib/days';

describe('parseDay / formatDay', () => {
  it('counts whole UTC days from 1970-01-01 and formats them back', () => {
    expect(parseDay('1970-01-01')).toBe(0);
    expect(parseDay('1969-12-31')).toBe(-1);
    expect(parseDay('2024-02-29')).toBe(Date.UTC(2024, 1, 29) / MS_PER_DAY);
    expect(formatDay(parseDay('2011-09-30')!)).toBe('2011-09-30');
    expect(formatDay(-1)).toBe('1969-12-31');
  });

  it('rejects dates that are not on the calendar or not YYYY-MM-DD', () => {
    for (const bad of ['2011-02-29', '2011-02-30', '2011-13-01', '2011-00-10', '01/03/2011', '2011-3-1', '']) expect(parseDay(bad)).toBeUndefined();
  });

  it('is strict by default: no time, no surrounding space', () => {
    expect(parseDay('2011-03-01 10:00:00')).toBeUndefined();
    expect(parseDay(' 2011-03-01')).toBeUndefined();
    expect(parseDay(' 2011-03-01 ', { trim: true })).toBe(parseDay('2011-03-01'));
  });

  it('with allowTime ignores HH:MM[:SS] after a space or T', () => {
    const day = parseDay('2011-03-01')!;
    for (const t of ['2011-03-01 10:00', '2011-03-01 23:59:59', '2011-03-01T08:26:00']) expect(parseDay(t, { allowTime: true })).toBe(day);
    expect(parseDay('2011-03-01 10', { allowTime: true })).toBeUndefined();
    expect(parseDay('2011-03-01 10:00:00Z', { allowTime: true })).toBeUndefined();
  });

  it('keeps each module its own leniency: order lines take times and spaces, forecast dates do not', () => {
    expect(customersParseDay(' 2010-12-01 08:26:00 ')).toBe(parseDay('2010-12-01'));
    expect(forecastParseDay('2010-12-01 08:26:00')).toBeUndefined();
    expect(forecastParseDay(' 2010-12-01')).toBeUndefined();
  });
});
