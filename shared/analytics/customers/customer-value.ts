/**
 * Customer value regression (seed 002): next-period net spend from the customer's R, F, M
 * profile, shrunk toward the naive "same as the previous period" by a weight fitted on the latest
 * held-out window that is complete by the as-of day. It runs on the demand model's machinery
 * (rolling cut-offs, weighted least squares); docs/customer-models.md §3 has the figures.
 */
import { snapshotCustomers, spendBetween, type CustomerSnapshot } from './customer-features';
import {
  DemandHistoryError,
  fitDemandModel,
  predictDemand,
  type DemandComparison,
  type DemandModel,
  type DemandOptions,
  type FeatureSet,
} from './demand';
import { errorMetrics } from './linear-regression';
import type { OrderLine } from './order-lines';

type LinesByCustomer = ReadonlyMap<string, readonly OrderLine[]>;

/** Days of data a training cut-off needs before it (the demand model's default). */
const MIN_HISTORY_DAYS = 60;
/** A weight window shorter than this says too little about the next period: no shrinkage then. */
export const MIN_WEIGHT_HORIZON_DAYS = 14;

/**
 * R, F and M as one multiplicative profile: M = spend per period (over the covered part of the
 * last 365 days), scaled by recency (active = exp(−R/90)) and frequency (frequent =
 * min(1, invoices per 90 days / 3)), and the market momentum of the demand model.
 * RFM value = M·(β₁ + β₂·active + β₃·frequent + β₄·momentum); an additive log-RFM regression with
 * intercept lost to the naive forecast on both origins we tried.
 */
export function valueFeatures(s: CustomerSnapshot, horizonDays: number): number[] {
  const H = Math.max(1, s.historyDays);
  const m = (Math.max(0, s.windowSpend[3] ?? 0) * horizonDays) / Math.min(365, H);
  const active = Math.exp(-s.recencyDays / 90);
  const frequent = Math.min(1, (s.invoices * 90) / Math.min(365, H) / 3);
  return [m, m * active, m * frequent, m * s.marketMomentum];
}

/** The RFM regression's feature set: through the origin (no spend, no value), weighted like demand. */
export const VALUE_FEATURES: FeatureSet = {
  name: 'value',
  names: ['monetary_rate', 'monetary_rate_x_active', 'monetary_rate_x_frequent', 'monetary_rate_x_market_momentum'],
  row: valueFeatures,
  intercept: false,
  // Same reason as the demand model: big accounts' windows are the noisiest.
  weight: (row) => 1 / (100 + row[0]!),
};

/** The blended model's columns: the RFM row plus the naive forecast (last period's spend, ≥ 0). */
export const BLENDED_VALUE_FEATURES: FeatureSet = {
  name: 'value-blend',
  names: [...VALUE_FEATURES.names, 'naive_last_h'],
  row: (s, h) => [...valueFeatures(s, h), Math.max(0, s.lastHorizonSpend)],
  intercept: false,
};

/**
 * The least-squares weight w in [0, 1] of ŷ = w·model + (1 − w)·naive against `actual`:
 * w = Σ(model − naive)(actual − naive) / Σ(model − naive)², clipped to [0, 1]. 1 (the model
 * alone) when the two forecasts never differ.
 */
export function blendWeight(model: readonly number[], naive: readonly number[], actual: readonly number[]): number {
  if (model.length !== naive.length || model.length !== actual.length) throw new Error('blendWeight needs three arrays of the same length');
  let num = 0;
  let den = 0;
  for (let i = 0; i < model.length; i++) {
    const d = model[i]! - naive[i]!;
    num += d * (actual[i]! - naive[i]!);
    den += d * d;
  }
  return den > 0 ? Math.min(1, Math.max(0, num / den)) : 1;
}

/** Where the shrinkage weight came from. */
export interface ValueBlend {
  /** Weight of the RFM regression; 1 − weight goes to the naive forecast. */
  weight: number;
  /** The held-out window the weight was fitted on: spend in (asOf, asOf + horizonDays]; null = none (weight 1). */
  fittedOn: { asOf: number; horizonDays: number; customers: number } | null;
}

/** First day with a line (any customer). */
function firstDay(linesByCustomer: LinesByCustomer): number {
  let first = Infinity;
  for (const lines of linesByCustomer.values()) if (lines[0]) first = Math.min(first, lines[0].day);
  return first;
}

/**
 * Fits the shrinkage weight using only lines on or before `asOf`: the RFM regression is fitted as
 * of asOf − g and scored on (asOf − g, asOf] against the naive forecast, with g = h when the
 * history allows (2h + 60 days) and otherwise the longest g < h that fits; no window of at least
 * MIN_WEIGHT_HORIZON_DAYS → weight 1.
 */
export function fitValueBlend(linesByCustomer: LinesByCustomer, asOf: number, horizonDays: number, options: Omit<DemandOptions, 'features'> = {}): ValueBlend {
  const minHistory = options.minHistoryDays ?? MIN_HISTORY_DAYS;
  const g = Math.min(horizonDays, Math.floor((asOf - firstDay(linesByCustomer) - minHistory) / 2));
  if (!(g >= MIN_WEIGHT_HORIZON_DAYS)) return { weight: 1, fittedOn: null };
  const at = asOf - g;
  const inner = fitDemandModel(linesByCustomer, at, g, { ...options, features: VALUE_FEATURES });
  const snapshots = snapshotCustomers(linesByCustomer, at, g);
  const actualBy = spendBetween(linesByCustomer, at, asOf);
  const weight = blendWeight(
    predictDemand(inner, snapshots),
    snapshots.map((s) => Math.max(0, s.lastHorizonSpend)),
    snapshots.map((s) => actualBy.get(s.customerId) ?? 0),
  );
  return { weight, fittedOn: { asOf: at, horizonDays: g, customers: snapshots.length } };
}

/** The value model: a DemandModel over BLENDED_VALUE_FEATURES (so `predictDemand` applies it) and its blend. */
export interface ValueModel extends DemandModel {
  blend: ValueBlend;
  /** The RFM regression before shrinkage (coefficients of VALUE_FEATURES). */
  rfm: DemandModel;
}

/**
 * Fits the value model as of `asOf` (reads only lines on or before it): the RFM regression on every
 * cut-off whose target ends by asOf, and its shrinkage weight (`fitValueBlend`). The result is one
 * linear model: coefficients w·β on the RFM columns and 1 − w on the naive column; a prediction
 * is max(0, w·RFM + (1 − w)·naive).
 */
export function fitValueModel(linesByCustomer: LinesByCustomer, asOf: number, horizonDays = 90, options: Omit<DemandOptions, 'features'> = {}): ValueModel {
  const rfm = fitDemandModel(linesByCustomer, asOf, horizonDays, { ...options, features: VALUE_FEATURES });
  const blend = fitValueBlend(linesByCustomer, asOf, horizonDays, options);
  const w = blend.weight;
  return {
    ...rfm,
    features: BLENDED_VALUE_FEATURES,
    regression: { intercept: 0, coefficients: [...rfm.regression.coefficients.map((c) => w * c), 1 - w] },
    blend,
    rfm,
  };
}

/** Held-out comparison of the value model, plus the RFM regression alone and the weight it used. */
export interface ValueComparison extends DemandComparison {
  rfmOnly: DemandComparison['model'];
  blend: ValueBlend;
}

/**
 * Fits on data up to `validationAsOf` only and scores spend in (validationAsOf, validationAsOf + h]
 * for every customer seen by then: the value model, the RFM regression alone and the naive
 * forecast (clipped at 0). The caller makes sure the window is inside the data.
 */
export function compareValue(linesByCustomer: LinesByCustomer, validationAsOf: number, horizonDays = 90, options: Omit<DemandOptions, 'features'> = {}): ValueComparison {
  const model = fitValueModel(linesByCustomer, validationAsOf, horizonDays, options);
  const snapshots = snapshotCustomers(linesByCustomer, validationAsOf, horizonDays);
  const actualBy = spendBetween(linesByCustomer, validationAsOf, validationAsOf + horizonDays);
  const actual = snapshots.map((s) => actualBy.get(s.customerId) ?? 0);
  return {
    validationAsOf,
    customers: snapshots.length,
    model: errorMetrics(actual, predictDemand(model, snapshots)),
    naive: errorMetrics(actual, snapshots.map((s) => Math.max(0, s.lastHorizonSpend))),
    rfmOnly: errorMetrics(actual, predictDemand(model.rfm, snapshots)),
    blend: model.blend,
  };
}

/**
 * The value model to ship for `asOf` (default horizon 90 days): the held-out comparison at
 * asOf − h (fitted without that window, weight included), then the final fit up to asOf.
 */
export function trainValueModel(linesByCustomer: LinesByCustomer, asOf: number, horizonDays = 90, options: Omit<DemandOptions, 'features'> = {}): ValueModel {
  const model = fitValueModel(linesByCustomer, asOf, horizonDays, options);
  try {
    model.comparison = compareValue(linesByCustomer, asOf - horizonDays, horizonDays, options);
  } catch (err) {
    // Too little history for a held-out window: the model ships without a comparison.
    if (!(err instanceof DemandHistoryError)) throw err;
  }
  return model;
}
