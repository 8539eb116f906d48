import { dayOfWeek, yearPhase, type DailySeries } from './dates';
import { holidayCalendar, isDayOff, type HolidayCalendar, type HolidayConfig } from './holidays';
import { DecayedNormalEquations } from './linear';

/**
 * The daily volume model: a regression on log(1 + count) with day-of-week
 * effects, yearly Fourier terms (and their interaction with weekends), one
 * effect per special day (holidays, observed days, Christmas window, the
 * first working day after a day off), and a piecewise-linear trend that
 * sets the level — fitted by exponentially weighted least squares so recent
 * data counts more and level shifts wash out, with Huber weights against
 * outage days. The last days' residuals, smoothed, carry into the first
 * horizons with damping (volume runs hot or cold for a while).
 */
export interface DailyModelOptions {
  /** Half-life of the observation weights, in days. */
  halfLifeDays: number;
  /** Yearly Fourier pairs. */
  fourierOrder: number;
  /** Yearly Fourier pairs multiplied by a weekend indicator (the weekend pattern moves differently over the year). */
  weekendFourierOrder: number;
  /** Ridge penalty on special-day effects (per unit of total weight). */
  holidayPenalty: number;
  /** Ridge penalty on the yearly terms: keeps them from extrapolating wildly on short histories. */
  seasonalPenalty: number;
  /** Include a trend (its level at the last training day carries on; its slope only as `trendDamping` allows). */
  trend: boolean;
  /** Knot spacing of a piecewise-linear trend (slope changes every so many days, ridge-penalised); 0 = one straight line. */
  changepointEveryDays: number;
  /** Ridge penalty on the slope changes. */
  changepointPenalty: number;
  /** Years before the first forecast origin that have knots. */
  changepointYears: number;
  /** Per-day damping of the trend beyond the last training day (1 = linear extrapolation, 0 = level only). */
  trendDamping: number;
  /** Exponential smoothing weight of the residual carried forward. */
  residualAlpha: number;
  /** Per-day damping of the carried residual. */
  residualDamping: number;
  /**
   * Days of history before the first origin that are read; older days are
   * ignored (at a one-year half-life, 6 years back weigh 1.6 %; validation
   * is the same with all history, and the CLI is faster). 0 = all.
   */
  maxHistoryDays: number;
  /**
   * Huber down-weighting of outlying days: a day whose residual (against a fit
   * refreshed every 13 weeks) exceeds `robustK` × the running mean absolute
   * residual (floored at 1 %) enters with weight robustK·scale/|r| (special days excepted:
   * they have their own effects). 0 = off.
   */
  robustK: number;
  /** Holidays of a country/region; none when absent. */
  holidays?: HolidayConfig;
}

/** Defaults chosen on rolling weekly origins through 2021–2023 of the Vancouver 3-1-1 series (docs/forecasting.md). */
export const DEFAULT_DAILY_OPTIONS: Omit<DailyModelOptions, 'holidays'> = {
  halfLifeDays: 365,
  fourierOrder: 6,
  weekendFourierOrder: 2,
  holidayPenalty: 0.0001,
  seasonalPenalty: 0.001,
  trend: true,
  changepointEveryDays: 91,
  changepointPenalty: 0.1,
  changepointYears: 4,
  trendDamping: 0,
  residualAlpha: 0.3,
  residualDamping: 0.9,
  maxHistoryDays: 6 * 365,
  robustK: 2,
};

const TWO_PI = 2 * Math.PI;
/** How often (observed days) the fit that judges outliers is refreshed: 28, 56 and 91 validate the same. */
const ROBUST_REFIT_DAYS = 91;

/** Maps days to sparse feature rows; special-day columns are created as the calendar names them. */
class Features {
  readonly names: string[] = ['intercept', 'trend', 'dow1', 'dow2', 'dow3', 'dow4', 'dow5', 'dow6'];
  /** Ridge penalty per column. */
  readonly penalty: number[];
  private readonly special = new Map<string, number>();
  private readonly knots: number[] = [];
  private readonly knotStart: number;
  private readonly specialStart: number;
  private readonly fourierStart: number;
  private readonly weekendStart: number;
  readonly idx: Int32Array;
  readonly val: Float64Array;

  constructor(
    private readonly o: DailyModelOptions,
    private readonly cal: HolidayCalendar | undefined,
    private readonly refDay: number,
    firstDay: number,
    lastDay: number,
  ) {
    this.knotStart = this.names.length;
    if (o.trend && o.changepointEveryDays > 0) {
      for (let k = firstDay + o.changepointEveryDays; k < lastDay; k += o.changepointEveryDays) {
        this.knots.push(k);
        this.names.push(`knot${k}`);
      }
    }
    this.fourierStart = this.names.length;
    for (let k = 1; k <= o.fourierOrder; k++) this.names.push(`sin${k}`, `cos${k}`);
    this.weekendStart = this.names.length;
    for (let k = 1; k <= o.weekendFourierOrder; k++) this.names.push(`we_sin${k}`, `we_cos${k}`);
    const keys = new Set<string>();
    if (cal) {
      for (const [day, list] of cal) for (const n of list) keys.add(this.key(n, day));
      keys.add('after-day-off');
    }
    for (const k of [...keys].sort()) {
      this.special.set(k, this.names.length);
      this.names.push(k);
    }
    const specialStart = this.weekendStart + 2 * o.weekendFourierOrder;
    this.specialStart = specialStart;
    this.penalty = this.names.map((_, i) => (i >= specialStart ? o.holidayPenalty : i >= this.fourierStart ? o.seasonalPenalty : i >= this.knotStart ? o.changepointPenalty : 1e-7));
    const max = this.names.length;
    this.idx = new Int32Array(max);
    this.val = new Float64Array(max);
  }

  private key(name: string, day: number): string {
    const dow = dayOfWeek(day);
    return dow === 0 || dow === 6 ? `${name}@weekend` : name;
  }

  /** Fills idx/val with the row of `day` (trend columns taken at `trendDay`); returns the number of entries. */
  row(day: number, trendDay = day): number {
    let n = 0;
    const put = (i: number, v: number) => {
      this.idx[n] = i;
      this.val[n] = v;
      n++;
    };
    put(0, 1);
    if (this.o.trend) {
      put(1, (trendDay - this.refDay) / 365.25);
      for (let k = 0; k < this.knots.length && this.knots[k]! < trendDay; k++) put(this.knotStart + k, (trendDay - this.knots[k]!) / 365.25);
    }
    const dow = dayOfWeek(day);
    if (dow > 0) put(1 + dow, 1);
    const phase = yearPhase(day) * TWO_PI;
    for (let k = 1; k <= this.o.fourierOrder; k++) {
      put(this.fourierStart + 2 * k - 2, Math.sin(k * phase));
      put(this.fourierStart + 2 * k - 1, Math.cos(k * phase));
    }
    if (dow === 0 || dow === 6) {
      for (let k = 1; k <= this.o.weekendFourierOrder; k++) {
        put(this.weekendStart + 2 * k - 2, Math.sin(k * phase));
        put(this.weekendStart + 2 * k - 1, Math.cos(k * phase));
      }
    }
    if (this.cal) {
      for (const name of this.cal.get(day) ?? []) {
        const i = this.special.get(this.key(name, day));
        if (i !== undefined) put(i, 1);
      }
      // First weekday after a day off: the backlog rebound.
      if (dow !== 0 && dow !== 6 && !isDayOff(this.cal, day)) {
        let d = day - 1;
        while (dayOfWeek(d) === 0 || dayOfWeek(d) === 6) d--;
        if (isDayOff(this.cal, d)) {
          const i = this.special.get('after-day-off');
          if (i !== undefined) put(i, 1);
        }
      }
    }
    return n;
  }

  /** Whether the last filled row (`k` entries) has a special-day column. */
  rowIsSpecial(k: number): boolean {
    for (let a = 0; a < k; a++) if (this.idx[a]! >= this.specialStart) return true;
    return false;
  }

  /** The trend part (line plus slope changes) on `day`. */
  trendValue(beta: ArrayLike<number>, day: number): number {
    if (!this.o.trend) return 0;
    let s = (beta[1]! * (day - this.refDay)) / 365.25;
    for (let k = 0; k < this.knots.length && this.knots[k]! < day; k++) s += (beta[this.knotStart + k]! * (day - this.knots[k]!)) / 365.25;
    return s;
  }

  dot(beta: ArrayLike<number>, day: number, trendDay = day): number {
    const n = this.row(day, trendDay);
    let s = 0;
    for (let a = 0; a < n; a++) s += beta[this.idx[a]!]! * this.val[a]!;
    return s;
  }
}

/** Point forecasts for `horizon` days after each origin (an origin is the index of the first forecast day). */
export interface RollingForecasts {
  origins: number[];
  /** forecasts[o][h-1]: forecast of day origin+h-1 (count scale). */
  forecasts: Float64Array[];
  /** Same, on the log(1 + count) scale the model works in. */
  logForecasts: Float64Array[];
}

/**
 * Fits the model once per origin on all history before it (one pass over the
 * data: the weighted normal equations are updated day by day) and forecasts
 * the next `horizon` days. Origins are indices in [1, values.length]
 * (values.length = forecast after the last day); others are dropped.
 */
export function rollingForecasts(series: DailySeries, origins: readonly number[], horizon: number, options: DailyModelOptions): RollingForecasts {
  const sorted = origins.filter((o) => o >= 1 && o <= series.values.length).sort((a, b) => a - b);
  const n = series.values.length;
  const lastDay = series.start + Math.max(n, (sorted.at(-1) ?? 0) + horizon);
  const from = options.maxHistoryDays > 0 ? Math.max(0, (sorted[0] ?? 0) - options.maxHistoryDays) : 0;
  const cal = options.holidays ? holidayCalendar(options.holidays, series.start + from, lastDay) : undefined;
  // Knots only in the years before the first origin: older slope changes carry little weight and would make every row dense.
  const knotFrom = Math.max(from, (sorted[0] ?? n) - Math.round(options.changepointYears * 365));
  const f = new Features(options, cal, series.start + n, series.start + knotFrom, series.start + (sorted.at(-1) ?? n));
  const p = f.names.length;
  const ne = new DecayedNormalEquations(p, Math.pow(0.5, 1 / options.halfLifeDays));
  const penalty = f.penalty;
  const y = series.values;
  const out: RollingForecasts = { origins: sorted, forecasts: [], logForecasts: [] };
  let next = 0;
  let robustBeta: Float64Array | undefined;
  let scale = Number.NaN;
  let sinceSolve = 0;
  for (let i = from; i <= n && next < sorted.length; i++) {
    while (next < sorted.length && sorted[next] === i) {
      const beta = ne.solve(penalty);
      const carry = carriedResidual(f, beta, series, i, options.residualAlpha, options.robustK);
      const logF = new Float64Array(horizon);
      const fc = new Float64Array(horizon);
      // The trend stops at the last training day and runs on at its final slope, damped.
      const endDay = series.start + i - 1;
      const slope = f.trendValue(beta, endDay) - f.trendValue(beta, endDay - 1);
      let damp = 1;
      let trendDamp = 1;
      let trendSteps = 0;
      for (let h = 1; h <= horizon; h++) {
        damp *= options.residualDamping;
        trendDamp *= options.trendDamping;
        trendSteps += trendDamp;
        logF[h - 1] = f.dot(beta, endDay + h, endDay) + slope * trendSteps + carry * damp;
        fc[h - 1] = Math.max(0, Math.expm1(logF[h - 1]!));
      }
      out.logForecasts.push(logF);
      out.forecasts.push(fc);
      next++;
    }
    if (i === n) break;
    ne.step();
    const v = y[i]!;
    if (!Number.isNaN(v)) {
      const target = Math.log1p(Math.max(0, v));
      const k = f.row(series.start + i);
      let w = 1;
      if (options.robustK > 0) {
        if (robustBeta) {
          let pred = 0;
          for (let a = 0; a < k; a++) pred += robustBeta[f.idx[a]!]! * f.val[a]!;
          const r = Math.abs(target - pred);
          // Special days have their own effects to learn: never down-weighted. The scale floor (1 %) keeps noise-free data sane.
          const limit = options.robustK * Math.max(scale, 0.01);
          if (r > limit && !f.rowIsSpecial(k)) w = limit / r;
          scale = Number.isNaN(scale) ? r : scale + 0.02 * (Math.min(r, 3 * scale) - scale);
        }
        if (++sinceSolve >= ROBUST_REFIT_DAYS) {
          ne.add(f.idx, f.val, k, target, w);
          robustBeta = ne.solve(penalty);
          sinceSolve = 0;
          continue;
        }
      }
      ne.add(f.idx, f.val, k, target, w);
    }
  }
  return out;
}

/**
 * Exponentially smoothed residual of the last ~8 weeks before `origin`
 * (missing days skipped). With `clipK` > 0 each residual is first clipped at
 * ±clipK × 1.5 × the window's median absolute residual, so an outage
 * yesterday does not drag the next two weeks down.
 */
function carriedResidual(f: Features, beta: Float64Array, series: DailySeries, origin: number, alpha: number, clipK: number): number {
  if (alpha <= 0) return 0;
  const residuals: number[] = [];
  for (let i = Math.max(0, origin - 56); i < origin; i++) {
    const v = series.values[i]!;
    if (!Number.isNaN(v)) residuals.push(Math.log1p(Math.max(0, v)) - f.dot(beta, series.start + i));
  }
  let limit = Infinity;
  if (clipK > 0 && residuals.length > 0) {
    const abs = residuals.map(Math.abs).sort((a, b) => a - b);
    limit = clipK * 1.5 * abs[Math.floor(abs.length / 2)]!;
  }
  let level = 0;
  for (const r of residuals) level += alpha * (Math.max(-limit, Math.min(limit, r)) - level);
  return level;
}
