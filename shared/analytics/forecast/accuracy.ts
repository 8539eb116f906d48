import type { DailySeries } from './dates';

/**
 * Accuracy against the seasonal-naive (lag 7) benchmark.
 *
 * MASE of one forecast origin = mean |actual − forecast| over the horizons
 * that have an actual, divided by the in-sample MAE of the seasonal-naive
 * forecast on the training history (mean |y_t − y_{t−7}| over all t before
 * the origin where both days are observed). Over several origins the MASE is
 * the mean of the per-origin values. The relative MAE is Σ|error| of the
 * model over Σ|error| of seasonal naive on exactly the same origins and days.
 */

/** In-sample MAE of the lag-`m` seasonal-naive forecast on values[0 .. end). NaN when no pair exists. */
export function seasonalNaiveScale(values: ArrayLike<number>, end: number, m = 7): number {
  let sum = 0;
  let count = 0;
  for (let t = m; t < end; t++) {
    const a = values[t]!;
    const b = values[t - m]!;
    if (Number.isNaN(a) || Number.isNaN(b)) continue;
    sum += Math.abs(a - b);
    count++;
  }
  return count === 0 ? Number.NaN : sum / count;
}

/**
 * Seasonal-naive forecast from `origin`: the value of the same weekday in the
 * last observed week (going back further weeks when that day is missing).
 */
export function seasonalNaiveForecast(values: ArrayLike<number>, origin: number, horizon: number, m = 7): Float64Array {
  const out = new Float64Array(horizon);
  for (let h = 1; h <= horizon; h++) {
    let t = origin + h - 1 - m * Math.ceil(h / m);
    while (t >= 0 && Number.isNaN(values[t]!)) t -= m;
    out[h - 1] = t >= 0 ? values[t]! : Number.NaN;
  }
  return out;
}

/** Per-origin errors against actuals. */
export interface OriginScore {
  origin: number;
  mae: number;
  naiveMae: number;
  scale: number;
  mase: number;
  /** Days with an actual. */
  days: number;
}

/** Scores forecasts (forecasts[k] starts at origins[k]) against the series; origins with no actual are skipped. */
export function scoreOrigins(series: DailySeries, origins: readonly number[], forecasts: ReadonlyArray<ArrayLike<number>>): OriginScore[] {
  const y = series.values;
  const scores: OriginScore[] = [];
  origins.forEach((origin, k) => {
    const fc = forecasts[k]!;
    const naive = seasonalNaiveForecast(y, origin, fc.length);
    let e = 0;
    let en = 0;
    let days = 0;
    for (let h = 0; h < fc.length; h++) {
      const a = y[origin + h];
      if (a === undefined || Number.isNaN(a) || Number.isNaN(naive[h]!)) continue;
      e += Math.abs(a - fc[h]!);
      en += Math.abs(a - naive[h]!);
      days++;
    }
    const scale = seasonalNaiveScale(y, origin);
    if (days === 0 || !(scale > 0)) return;
    scores.push({ origin, mae: e / days, naiveMae: en / days, scale, mase: e / days / scale, days });
  });
  return scores;
}

/** Summary of scored origins: mean MASE, the benchmark's MASE and the MAE ratio to seasonal naive. */
export interface AccuracySummary {
  origins: number;
  mase: number;
  naiveMase: number;
  /** Σ model |error| / Σ seasonal-naive |error| on the same days. */
  relativeMae: number;
}

/** Aggregates per-origin scores (NaN figures when there are none). */
export function summariseScores(scores: readonly OriginScore[]): AccuracySummary {
  let mase = 0;
  let naiveMase = 0;
  let e = 0;
  let en = 0;
  for (const s of scores) {
    mase += s.mase;
    naiveMase += s.naiveMae / s.scale;
    e += s.mae * s.days;
    en += s.naiveMae * s.days;
  }
  const n = scores.length;
  return { origins: n, mase: n ? mase / n : Number.NaN, naiveMase: n ? naiveMase / n : Number.NaN, relativeMae: en > 0 ? e / en : Number.NaN };
}

/** Indices of weekly origins: every 7th index counting back from `last` (inclusive) while ≥ `first`, ascending. */
export function weeklyOrigins(first: number, last: number): number[] {
  const out: number[] = [];
  for (let o = last; o >= first; o -= 7) out.push(o);
  return out.reverse();
}
