/**
 * Customer value regression (seed 002): next-period net spend from the customer's R, F, M
 * profile, by weighted least squares. It runs on the demand model's machinery
 * (rolling cut-offs, held-out comparison against the naive "same as the previous period"); the
 * difference is the features: only R, F and M (the ones a segment describes) and the market's momentum.
 */
import type { CustomerSnapshot } from './customer-features';
import { trainDemandModel, type DemandModel, type DemandOptions, type FeatureSet } from './demand';

/**
 * R, F and M as one multiplicative profile: M = spend per period (over the covered part of the
 * last 365 days), scaled by recency (active = exp(−R/90)) and frequency (frequent =
 * min(1, invoices per 90 days / 3)), and the market momentum of the demand model.
 * Value = M·(β₁ + β₂·active + β₃·frequent + β₄·momentum); an additive log-RFM regression with
 * intercept lost to the naive forecast on both origins we tried.
 */
export function valueFeatures(s: CustomerSnapshot, horizonDays: number): number[] {
  const H = Math.max(1, s.historyDays);
  const m = (Math.max(0, s.windowSpend[3] ?? 0) * horizonDays) / Math.min(365, H);
  const active = Math.exp(-s.recencyDays / 90);
  const frequent = Math.min(1, (s.invoices * 90) / Math.min(365, H) / 3);
  return [m, m * active, m * frequent, m * s.marketMomentum];
}

/** The value model's feature set: through the origin (no spend, no value), weighted like demand. */
export const VALUE_FEATURES: FeatureSet = {
  name: 'value',
  names: ['monetary_rate', 'monetary_rate_x_active', 'monetary_rate_x_frequent', 'monetary_rate_x_market_momentum'],
  row: valueFeatures,
  intercept: false,
  // Same reason as the demand model: big accounts' windows are the noisiest.
  weight: (row) => 1 / (100 + row[0]!),
};

/** Trains the value model for next `horizonDays` (default 90) with its held-out comparison. */
export function trainValueModel(
  linesByCustomer: Parameters<typeof trainDemandModel>[0],
  asOf: number,
  horizonDays = 90,
  options: Omit<DemandOptions, 'features'> = {},
): DemandModel {
  return trainDemandModel(linesByCustomer, asOf, horizonDays, { ...options, features: VALUE_FEATURES });
}
