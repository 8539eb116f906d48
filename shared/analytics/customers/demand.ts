/**
 * Customer demand forecast (seed 000: linear regression, held-out MSE): each customer's net
 * spend over the next `horizonDays` from features as of a day, by ridge least squares trained
 * on rolling historical cut-offs. docs/customer-models.md §2 explains the choices.
 */
import { snapshotCustomers, spendBetween, type CustomerSnapshot } from './customer-features';
import { errorMetrics, fitLinearRegression, predictLinear, type ErrorMetrics, type LinearModel } from './linear-regression';
import { groupByCustomer, type OrderLine } from './order-lines';

/** Tunable choices of the demand model; the defaults are the ones the bench validated. */
export interface DemandOptions {
  /** Days between training cut-offs (default 7). */
  cutoffStepDays?: number;
  /** A cut-off needs this many days of data before it (default 60). */
  minHistoryDays?: number;
  /** Ridge penalty on standardised coefficients (default 1e-4: only keeps the system solvable). */
  lambda?: number;
  /** The feature columns (default DEMAND_FEATURES; the value model passes its RFM set). */
  features?: FeatureSet;
}

/** A set of feature columns computed from a snapshot, and how the regression treats them. */
export interface FeatureSet {
  name: string;
  names: readonly string[];
  row(s: CustomerSnapshot, horizonDays: number): number[];
  intercept: boolean;
  /** Weight of a training row from its feature row (default 1). */
  weight?(row: readonly number[]): number;
}

const DEFAULTS = { cutoffStepDays: 7, minHistoryDays: 60, lambda: 1e-4 };

/** Names of the feature columns, in `demandFeatures` order. Money is "GBP per horizon". */
export const DEMAND_FEATURE_NAMES = [
  'spend_last_h',
  'rate_90',
  'rate_365',
  'rate_365_x_active',
  'rate_90_x_active',
  'rate_365_x_frequent',
  'rate_365_x_market_momentum',
] as const;

/** rate_365 column: the weights use it. */
const RATE_365 = 2;
/** GBP added to rate_365 in the weight 1 / (100 + rate_365). */
const WEIGHT_OFFSET = 100;

/**
 * The feature row of one snapshot (windows must be DEFAULT_WINDOWS: 30, 90, 180, 365).
 * Window spends become "spend per horizon" over the part of the window the data covers, so that
 * a 365-day window means the same at an early cut-off (two months of data) as at a late one.
 * The interactions let recency and frequency scale a customer's rate: active = exp(−recency/90),
 * frequent = min(1, invoices per 90 days / 3), and by the market's momentum (the whole file's last
 * h days against its 365-day pace): a rise shared by all customers has persisted on this data, a
 * single customer's burst has not. No intercept: no spend, no forecast.
 */
export function demandFeatures(s: CustomerSnapshot, horizonDays: number): number[] {
  const h = horizonDays;
  const H = Math.max(1, s.historyDays);
  // Net refunds (a window with more cancelled than bought) count as no spend: a negative
  // input would otherwise flip the sign of a coefficient's contribution.
  const rate = (spend: number, w: number) => (Math.max(0, spend) * h) / Math.min(w, H);
  const w90 = s.windowSpend[1] ?? 0;
  const w365 = s.windowSpend[3] ?? 0;
  const r90 = rate(w90, 90);
  const r365 = rate(w365, 365);
  const active = Math.exp(-s.recencyDays / 90);
  const frequent = Math.min(1, (s.invoices * 90) / Math.min(365, H) / 3);
  return [Math.max(0, s.lastHorizonSpend), r90, r365, r365 * active, r90 * active, r365 * frequent, r365 * s.marketMomentum];
}

/** Baseline and model errors on the held-out window, plus what was held out. */
export interface DemandComparison {
  /** The validation as-of day (YYYY-MM-DD is in the CLI / bench); targets are spend in (asOf, asOf + h]. */
  validationAsOf: number;
  customers: number;
  model: ErrorMetrics;
  naive: ErrorMetrics;
}

/** A trained demand model: the regression, what it was trained on and its held-out comparison. */
export interface DemandModel {
  horizonDays: number;
  asOf: number;
  regression: LinearModel;
  features: FeatureSet;
  cutoffs: number[];
  trainingRows: number;
  comparison?: DemandComparison;
}

/**
 * The demand model's features: no intercept, and weighted least squares with weight
 * 1 / (100 + rate_365) so that the few customers with five-figure windows (and order/cancel
 * pairs) do not set the slope alone: their windows are the noisiest.
 */
export const DEMAND_FEATURES: FeatureSet = {
  name: 'demand',
  names: DEMAND_FEATURE_NAMES,
  row: demandFeatures,
  intercept: false,
  weight: (row) => 1 / (WEIGHT_OFFSET + Math.max(0, row[RATE_365]!)),
};

/** Thrown when the data before the as-of day is too short for any training cut-off. */
export class DemandHistoryError extends Error {}

/** Training cut-offs T (latest first) whose target windows (T, T + h] end on or before `asOf`. */
export function trainingCutoffs(
  firstDay: number,
  asOf: number,
  horizonDays: number,
  options: Pick<DemandOptions, 'cutoffStepDays' | 'minHistoryDays'> = {},
): number[] {
  const o = { ...DEFAULTS, ...options };
  const cutoffs: number[] = [];
  for (let t = asOf - horizonDays; t - firstDay >= o.minHistoryDays; t -= o.cutoffStepDays) cutoffs.push(t);
  return cutoffs;
}

/**
 * Fits the regression on (features as of T, spend in (T, T + h]) over every cut-off T whose target
 * window ends on or before `asOf`; only lines on or before `asOf` are read. Throws when no cut-off fits.
 */
export function fitDemandModel(
  linesByCustomer: ReadonlyMap<string, readonly OrderLine[]>,
  asOf: number,
  horizonDays: number,
  options: DemandOptions = {},
): DemandModel {
  const o = { ...DEFAULTS, ...options };
  const features = options.features ?? DEMAND_FEATURES;
  let firstDay = Infinity;
  for (const lines of linesByCustomer.values()) if (lines[0]) firstDay = Math.min(firstDay, lines[0].day);
  const cutoffs = trainingCutoffs(firstDay, asOf, horizonDays, o);
  if (cutoffs.length === 0) throw new DemandHistoryError(`not enough history before the as-of day for a ${horizonDays}-day horizon`);
  const x: number[][] = [];
  const y: number[] = [];
  for (const t of cutoffs) {
    const target = spendBetween(linesByCustomer, t, t + horizonDays);
    for (const s of snapshotCustomers(linesByCustomer, t, horizonDays)) {
      x.push(features.row(s, horizonDays));
      y.push(target.get(s.customerId) ?? 0);
    }
  }
  const weights = features.weight ? x.map((r) => features.weight!(r)) : undefined;
  const regression = fitLinearRegression(x, y, { lambda: o.lambda, intercept: features.intercept, ...(weights ? { weights } : {}) });
  return { horizonDays, asOf, regression, features, cutoffs, trainingRows: x.length };
}

/** Predicted spend (≥ 0) for each snapshot, same order. */
export function predictDemand(model: DemandModel, snapshots: readonly CustomerSnapshot[]): number[] {
  return snapshots.map((s) => Math.max(0, predictLinear(model.regression, model.features.row(s, model.horizonDays))));
}

/**
 * Held-out comparison at `validationAsOf`: fits on cut-offs whose targets end by then, predicts
 * spend in (validationAsOf, validationAsOf + h] for every customer seen by then (0 when they buy
 * nothing), against the naive "same as the previous h days" (clipped at 0 like the model).
 * The caller must make sure validationAsOf + h is inside the data.
 */
export function compareDemand(
  linesByCustomer: ReadonlyMap<string, readonly OrderLine[]>,
  validationAsOf: number,
  horizonDays: number,
  options: DemandOptions = {},
): DemandComparison {
  const model = fitDemandModel(linesByCustomer, validationAsOf, horizonDays, options);
  const snapshots = snapshotCustomers(linesByCustomer, validationAsOf, horizonDays);
  const actualBy = spendBetween(linesByCustomer, validationAsOf, validationAsOf + horizonDays);
  const actual = snapshots.map((s) => actualBy.get(s.customerId) ?? 0);
  const predicted = predictDemand(model, snapshots);
  const naive = snapshots.map((s) => Math.max(0, s.lastHorizonSpend));
  return { validationAsOf, customers: snapshots.length, model: errorMetrics(actual, predicted), naive: errorMetrics(actual, naive) };
}

/**
 * The model to ship for `asOf`: first the held-out comparison on the latest complete window
 * (validation as-of = asOf − h, trained without it), then the final fit on every cut-off up to
 * asOf. Lines after `asOf` are never read: every target window ends by asOf.
 */
export function trainDemandModel(
  linesByCustomer: ReadonlyMap<string, readonly OrderLine[]>,
  asOf: number,
  horizonDays: number,
  options: DemandOptions = {},
): DemandModel {
  const model = fitDemandModel(linesByCustomer, asOf, horizonDays, options);
  try {
    model.comparison = compareDemand(linesByCustomer, asOf - horizonDays, horizonDays, options);
  } catch (err) {
    // Too little history for a held-out window: the model ships without a comparison.
    if (!(err instanceof DemandHistoryError)) throw err;
  }
  return model;
}

/** One customer's forecast. */
export interface DemandPrediction {
  customerId: string;
  predictedSpend: number;
}

/**
 * Forecasts every customer seen on or before `asOf`: spend in (asOf, asOf + h], ≥ 0, sorted by
 * customer id (numerically when ids are numbers). Lines after `asOf` are dropped first, so nothing
 * later can leak in. With too little history for the regression it falls back to the naive
 * forecast and says so (`model` is then undefined).
 */
export function forecastDemand(
  lines: readonly OrderLine[],
  asOf: number,
  horizonDays: number,
  options: DemandOptions = {},
): { predictions: DemandPrediction[]; model?: DemandModel } {
  const byCustomer = groupByCustomer(lines.filter((l) => l.day <= asOf));
  const snapshots = snapshotCustomers(byCustomer, asOf, horizonDays);
  let model: DemandModel | undefined;
  try {
    model = trainDemandModel(byCustomer, asOf, horizonDays, options);
  } catch (err) {
    if (!(err instanceof DemandHistoryError)) throw err;
  }
  const spend = model ? predictDemand(model, snapshots) : snapshots.map((s) => Math.max(0, s.lastHorizonSpend));
  const predictions = snapshots.map((s, i) => ({ customerId: s.customerId, predictedSpend: spend[i]! }));
  predictions.sort((a, b) => compareIds(a.customerId, b.customerId));
  return model ? { predictions, model } : { predictions };
}

function compareIds(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
