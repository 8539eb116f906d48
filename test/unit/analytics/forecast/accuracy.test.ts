import { describe, expect, it } from 'vitest';
import { scoreOrigins, seasonalNaiveForecast, seasonalNaiveScale, summariseScores, weeklyOrigins } from '../../../../shared/analytics/forecast/accuracy';

const series = (values: number[]) => ({ start: 0, values: Float64Array.from(values) });

describe('MASE against seasonal naive', () => {
  // Two training weeks, each day 2 above the same day a week earlier, then a test week.
  const train = [10, 20, 30, 40, 50, 60, 70, 12, 22, 32, 42, 52, 62, 72];
  const test = [14, 24, 34, 44, 54, 64, 74];
  const s = series([...train, ...test]);

  it('scales by the in-sample seasonal-naive MAE', () => {
    expect(seasonalNaiveScale(s.values, 14)).toBe(2); // |12-10| … |72-70| = 2 each
  });

  it('computes MASE and the MAE ratio by hand', () => {
    const forecast = [15, 25, 33, 44, 54, 64, 74]; // errors 1,1,1,0,0,0,0 → MAE 3/7
    const [score] = scoreOrigins(s, [14], [forecast]);
    expect(score!.mae).toBeCloseTo(3 / 7, 12);
    expect(score!.naiveMae).toBe(2); // seasonal naive repeats week 2: errors 2 each
    expect(score!.mase).toBeCloseTo(3 / 7 / 2, 12);
    const summary = summariseScores([score!]);
    expect(summary.naiveMase).toBe(1);
    expect(summary.relativeMae).toBeCloseTo(3 / 14, 12);
  });

  it('skips missing days in the scale and in the errors, and falls back a week for the naive forecast', () => {
    const values = [...train, ...test];
    values[8] = Number.NaN; // kills the pair (8,1); the naive forecast of day 15 falls back to day 1
    const withGap = series(values);
    expect(seasonalNaiveScale(withGap.values, 14)).toBe(2);
    expect(Array.from(seasonalNaiveForecast(withGap.values, 14, 7))).toEqual([12, 20, 32, 42, 52, 62, 72]);
    const [score] = scoreOrigins(withGap, [14], [test]);
    expect(score!.mae).toBe(0);
    expect(score!.days).toBe(7);
  });

  it('lists weekly origins ending at the last one', () => {
    expect(weeklyOrigins(3, 24)).toEqual([3, 10, 17, 24]);
  });
});
