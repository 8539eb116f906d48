/**
 * Ordinary / ridge least squares by the normal equations, small enough to read: features are
 * standardised, (ZᵀZ + λI)β = Zᵀ(y − ȳ) is solved by Gaussian elimination with partial
 * pivoting, and the intercept is ȳ (not penalised). Also the error metrics the models report.
 */

import { quantile as quantileOf } from 'simple-statistics';

/** A fitted linear model on the original feature scale: ŷ = intercept + Σ coefficients[j]·x[j]. */
export interface LinearModel {
  intercept: number;
  coefficients: number[];
}

/** Solves A·x = b for a square A (copied, not modified); throws on a singular system. */
export function solveLinearSystem(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < 1e-12) throw new Error('singular system: a feature is constant or a linear combination of others');
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const pr = m[col]!;
    for (let r = col + 1; r < n; r++) {
      const row = m[r]!;
      const f = row[col]! / pr[col]!;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) row[c]! -= f * pr[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r]!;
    let s = row[n]!;
    for (let c = r + 1; c < n; c++) s -= row[c]! * x[c]!;
    x[r] = s / row[r]!;
  }
  return x;
}

/**
 * Least squares fit of y on the columns of x (rows = samples). `lambda` is the ridge penalty on the
 * standardised coefficients (0 = ordinary least squares); `weights` optionally weight the samples;
 * `intercept: false` fits through the origin. Constant columns (all-zero ones without intercept)
 * get coefficient 0.
 */
export function fitLinearRegression(
  x: readonly (readonly number[])[],
  y: readonly number[],
  options: { lambda?: number; weights?: readonly number[]; intercept?: boolean } = {},
): LinearModel {
  const withIntercept = options.intercept ?? true;
  const n = x.length;
  if (n === 0 || n !== y.length) throw new Error('fitLinearRegression needs as many targets as rows, and at least one');
  const p = x[0]!.length;
  const w = options.weights ?? new Array<number>(n).fill(1);
  const sw = w.reduce((s, v) => s + v, 0);
  const mean = new Array<number>(p).fill(0);
  let yMean = 0;
  for (let i = 0; i < n; i++) {
    yMean += w[i]! * y[i]!;
    for (let j = 0; j < p; j++) mean[j]! += w[i]! * x[i]![j]!;
  }
  yMean /= sw;
  for (let j = 0; j < p; j++) mean[j]! /= sw;
  // Through the origin: no centring, columns scaled by their root mean square instead.
  if (!withIntercept) {
    yMean = 0;
    mean.fill(0);
  }
  const sd = new Array<number>(p).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) sd[j]! += w[i]! * (x[i]![j]! - mean[j]!) ** 2;
  for (let j = 0; j < p; j++) sd[j] = Math.sqrt(sd[j]! / sw);
  const active = [...Array(p).keys()].filter((j) => sd[j]! > 1e-12);
  const k = active.length;
  const ata = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const atb = new Array<number>(k).fill(0);
  const z = new Array<number>(k);
  for (let i = 0; i < n; i++) {
    const row = x[i]!;
    for (let a = 0; a < k; a++) z[a] = (row[active[a]!]! - mean[active[a]!]!) / sd[active[a]!]!;
    const wi = w[i]!;
    const yi = y[i]! - yMean;
    for (let a = 0; a < k; a++) {
      const za = wi * z[a]!;
      atb[a]! += za * yi;
      const ra = ata[a]!;
      for (let b = a; b < k; b++) ra[b]! += za * z[b]!;
    }
  }
  // Penalty scaled by the total weight so λ means the same at any sample size.
  const lambda = (options.lambda ?? 0) * sw;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < a; b++) ata[a]![b] = ata[b]![a]!;
    ata[a]![a]! += lambda;
  }
  const beta = k > 0 ? solveLinearSystem(ata, atb) : [];
  const coefficients = new Array<number>(p).fill(0);
  let intercept = yMean;
  active.forEach((j, a) => {
    coefficients[j] = beta[a]! / sd[j]!;
    intercept -= coefficients[j] * mean[j]!;
  });
  return { intercept, coefficients };
}

/** ŷ for one feature row. */
export function predictLinear(model: LinearModel, row: readonly number[]): number {
  let s = model.intercept;
  for (let j = 0; j < model.coefficients.length; j++) s += model.coefficients[j]! * row[j]!;
  return s;
}

/** Mean squared, mean absolute and root mean squared error of predictions against actuals. */
export interface ErrorMetrics {
  n: number;
  mse: number;
  mae: number;
  rmse: number;
}

/** MSE, MAE and RMSE; throws when the arrays differ in length or are empty. */
export function errorMetrics(actual: readonly number[], predicted: readonly number[]): ErrorMetrics {
  if (actual.length !== predicted.length || actual.length === 0) throw new Error('errorMetrics needs two arrays of the same, non-zero length');
  let se = 0;
  let ae = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = predicted[i]! - actual[i]!;
    se += e * e;
    ae += Math.abs(e);
  }
  const mse = se / actual.length;
  return { n: actual.length, mse, mae: ae / actual.length, rmse: Math.sqrt(mse) };
}

/**
 * The q-quantile of `values` (q in [0, 1]) by linear interpolation between order statistics
 * (type 7, h = (n − 1)·q, as the KPI and forecast quantiles); NaN for no values.
 */
export function quantile(values: readonly number[], q: number): number {
  // Was nearest rank; nothing here relied on that, and one definition across modules avoids surprises.
  return values.length === 0 ? Number.NaN : quantileOf(values, q);
}
