import { quantileSorted } from 'simple-statistics';
import { scoreOrigins, summariseScores, weeklyOrigins, type AccuracySummary } from './accuracy';
import { formatDay, type DailySeries } from './dates';
import { DEFAULT_DAILY_OPTIONS, rollingForecasts, type DailyModelOptions } from './model';

/** One forecast day. */
export interface DailyForecastRow {
  date: string;
  forecast: number;
  lower: number;
  upper: number;
}

/** A daily forecast with its own rolling-origin accuracy on the latest history. */
export interface DailyForecast {
  rows: DailyForecastRow[];
  /** Central coverage of [lower, upper]. */
  level: number;
  /** MASE etc. of the same model on the last `backtestOrigins` weekly origins (NaN figures when history is too short). */
  accuracy: AccuracySummary;
  /** Share of backtest actuals inside their interval — in-sample for the intervals, so only a sanity check. */
  backtestCoverage: number;
}

/** Options of {@link forecastDaily}. */
export interface ForecastDailyOptions extends Partial<DailyModelOptions> {
  /** Interval coverage, default 0.8. */
  level?: number;
  /** Weekly origins of the backtest that sets the intervals and the accuracy, default 52. */
  backtestOrigins?: number;
}

/** Fewest observed days the model accepts. */
export const MIN_HISTORY_DAYS = 14;

/**
 * Forecasts `horizon` days after the last day of `series`. Intervals come
 * from the empirical quantiles of the log errors of the same model on the
 * last weekly origins (pooled over neighbouring horizons), so they widen
 * with the horizon as the real errors do.
 */
export function forecastDaily(series: DailySeries, horizon: number, options: ForecastDailyOptions = {}): DailyForecast {
  const { level = 0.8, backtestOrigins = 52, ...model } = options;
  const o: DailyModelOptions = { ...DEFAULT_DAILY_OPTIONS, ...model };
  const n = series.values.length;
  const observed = series.values.reduce((c, v) => (Number.isNaN(v) ? c : c + 1), 0);
  if (observed < MIN_HISTORY_DAYS) throw new RangeError(`need at least ${MIN_HISTORY_DAYS} observed days, got ${observed}`);
  const bh = Math.min(Math.max(horizon, 14), 60);
  // Backtest origins: weekly, ending where the last full horizon still has actuals; each keeps ≥ 4 weeks of history.
  const origins = n - bh >= 28 ? weeklyOrigins(Math.max(28, n - bh - 7 * (backtestOrigins - 1)), n - bh) : [];
  const run = rollingForecasts(series, [...origins, n], Math.max(horizon, bh), o);
  const finalIdx = run.origins.indexOf(n);
  const logF = run.logForecasts[finalIdx]!;
  const back = run.origins.map((origin, k) => ({ origin, k })).filter((x) => x.origin !== n);

  // Log errors per horizon of the backtest.
  const errors: number[][] = Array.from({ length: bh }, () => []);
  for (const { origin, k } of back) {
    for (let h = 0; h < bh; h++) {
      const a = series.values[origin + h];
      if (a === undefined || Number.isNaN(a)) continue;
      errors[h]!.push(Math.log1p(Math.max(0, a)) - run.logForecasts[k]![h]!);
    }
  }
  const bands = horizonBands(errors, level);
  const band = (h: number) => bands[Math.min(h, bh - 1)]!;
  const rows: DailyForecastRow[] = [];
  for (let h = 0; h < horizon; h++) {
    const [lo, hi] = band(h);
    const f = logF[h]!;
    rows.push({
      date: formatDay(series.start + n + h),
      forecast: Math.max(0, Math.expm1(f)),
      lower: Math.max(0, Math.expm1(f + lo)),
      upper: Math.max(0, Math.expm1(f + hi)),
    });
  }
  let inside = 0;
  let total = 0;
  for (const { origin, k } of back) {
    for (let h = 0; h < bh; h++) {
      const a = series.values[origin + h];
      if (a === undefined || Number.isNaN(a)) continue;
      const [lo, hi] = band(h);
      const e = Math.log1p(Math.max(0, a)) - run.logForecasts[k]![h]!;
      total++;
      if (e >= lo && e <= hi) inside++;
    }
  }
  const scores = scoreOrigins(series, back.map((b) => b.origin), back.map((b) => run.forecasts[b.k]!.subarray(0, 14)));
  return { rows, level, accuracy: summariseScores(scores), backtestCoverage: total ? inside / total : Number.NaN };
}

/**
 * Interval offsets on the log(1 + count) scale per horizon (index h-1):
 * the central `level` quantiles of the backtest log errors at horizons
 * h-1, h, h+1 pooled; widened to contain 0 so the interval always holds the
 * point forecast; ±log 2 when fewer than 10 errors are available.
 */
export function horizonBands(errorsByHorizon: ReadonlyArray<readonly number[]>, level: number): Array<[number, number]> {
  const alpha = (1 - level) / 2;
  return errorsByHorizon.map((_, h) => {
    const pool = [...(errorsByHorizon[h - 1] ?? []), ...errorsByHorizon[h]!, ...(errorsByHorizon[h + 1] ?? [])].sort((a, b) => a - b);
    if (pool.length < 10) return [-Math.log(2), Math.log(2)];
    // Type 7 (linear between order statistics), the definition the shipped intervals were tuned with.
    return [Math.min(0, quantileSorted(pool, alpha)), Math.max(0, quantileSorted(pool, 1 - alpha))];
  });
}

