import { describe, expect, it } from 'vitest';
import { horizonBands } from '../../../../shared/analytics/forecast/forecast';

describe('horizonBands', () => {
  it('takes type-7 quantiles of the errors pooled over h-1, h, h+1', () => {
    // Pooled at h = 1: -5..6 (12 errors); type 7 at 0.1 → -5 + 1.1 = -3.9, at 0.9 → 6 - 1.1 = 4.9.
    const errors = [[-5, -4, -3, -2], [-1, 0, 1, 2], [3, 4, 5, 6]];
    const [lo, hi] = horizonBands(errors, 0.8)[1]!;
    expect(lo).toBeCloseTo(-3.9, 12);
    expect(hi).toBeCloseTo(4.9, 12);
  });

  it('widens to contain 0 and falls back to ±log 2 below 10 errors', () => {
    const bands = horizonBands([[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], []], 0.8);
    expect(bands[0]![0]).toBe(0);
    expect(bands[0]![1]).toBeCloseTo(9.1, 12);
    expect(horizonBands([[1, 2, 3]], 0.8)[0]).toEqual([-Math.log(2), Math.log(2)]);
  });
});
