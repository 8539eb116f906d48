import { describe, expect, it } from 'vitest';
import {
  errorMetrics,
  fitLinearRegression,
  predictLinear,
  quantile,
  solveLinearSystem,
} from '../../../../shared/analytics/customers/linear-regression';

describe('linear regression', () => {
  it('solves a 2×2 system worked by hand', () => {
    // 2a + b = 3, a + 3b = 5  →  a = 4/5, b = 7/5
    const [a, b] = solveLinearSystem([[2, 1], [1, 3]], [3, 5]);
    expect(a).toBeCloseTo(0.8, 12);
    expect(b).toBeCloseTo(1.4, 12);
    expect(() => solveLinearSystem([[1, 2], [2, 4]], [1, 2])).toThrow(/singular/);
  });

  it('recovers a known linear relation exactly', () => {
    const x = [[0, 0], [1, 0], [0, 1], [2, 3], [5, 1], [3, 7]];
    const y = x.map(([a, b]) => 2 + 3 * a! - b!);
    const m = fitLinearRegression(x, y);
    expect(m.intercept).toBeCloseTo(2, 9);
    expect(m.coefficients[0]).toBeCloseTo(3, 9);
    expect(m.coefficients[1]).toBeCloseTo(-1, 9);
    expect(predictLinear(m, [10, 10])).toBeCloseTo(22, 8);
  });

  it('fits least squares through noisy points like the textbook formula', () => {
    // x = 1..4, y = 2, 3, 5, 4: Sxy = 2.25 + 0.25 + 0.75 + 0.75 = 4, Sxx = 5,
    // slope = 4/5 = 0.8, intercept = 3.5 − 0.8·2.5 = 1.5
    const m = fitLinearRegression([[1], [2], [3], [4]], [2, 3, 5, 4]);
    expect(m.coefficients[0]).toBeCloseTo(0.8, 12);
    expect(m.intercept).toBeCloseTo(1.5, 12);
  });

  it('fits through the origin, honours weights and shrinks with ridge', () => {
    // Through the origin: slope = Σxy/Σx² = (1·1 + 2·3 + 3·2)/(1 + 4 + 9) = 13/14.
    const origin = fitLinearRegression([[1], [2], [3]], [1, 3, 2], { intercept: false });
    expect(origin.intercept).toBe(0);
    expect(origin.coefficients[0]).toBeCloseTo(13 / 14, 12);
    // A zero weight removes the third point: the other two lie on y = x.
    const weighted = fitLinearRegression([[1], [2], [3]], [1, 2, 100], { weights: [1, 1, 0] });
    expect(weighted.coefficients[0]).toBeCloseTo(1, 9);
    expect(weighted.intercept).toBeCloseTo(0, 9);
    // Ridge on standardised x (sd = √(5/4) for 1..4): slope = Sxy/(Sxx + λ·n·sd²) with λ = 1 → 4/(5 + 5) = 0.4.
    const ridge = fitLinearRegression([[1], [2], [3], [4]], [2, 3, 5, 4], { lambda: 1 });
    expect(ridge.coefficients[0]).toBeCloseTo(0.4, 12);
  });

  it('gives a constant column no weight', () => {
    const m = fitLinearRegression([[1, 7], [2, 7], [3, 7]], [2, 4, 6]);
    expect(m.coefficients).toEqual([expect.closeTo(2, 9), 0]);
  });

  it('computes MSE, MAE and RMSE by hand', () => {
    // errors 1, 0, 2 → MSE 5/3, MAE 1
    const e = errorMetrics([1, 2, 3], [2, 2, 5]);
    expect(e).toEqual({ n: 3, mse: 5 / 3, mae: 1, rmse: Math.sqrt(5 / 3) });
    expect(() => errorMetrics([1], [])).toThrow();
  });

  it('takes type-7 quantiles (linear between order statistics)', () => {
    expect(quantile([5, 1, 4, 2, 3], 0.5)).toBe(3);
    expect(quantile([5, 1, 4, 2, 3], 1)).toBe(5);
    expect(quantile([5, 1, 4, 2, 3], 0)).toBe(1);
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5); // nearest rank would give 2
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
