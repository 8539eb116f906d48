import { quantile as quantileOf } from 'simple-statistics';
import { kpiUndefined, kpiValue, ratio, type KpiValue } from './kpi-value';

/**
 * The seed formulas on plain inputs, each returning a KpiValue. `computeKpis` (counters.ts)
 * calls these with counter sums; they are exported for callers that have lists in hand.
 * docs/kpis.md is the user-facing definition of each.
 */

/** One rating or outcome score rᵢ with its weight wᵢ (default 1: equal weights). */
export interface WeightedScore {
  score: number;
  weight?: number;
}

/**
 * Σ wᵢ·rᵢ / Σ wᵢ (seed 003: customer satisfaction and service effectiveness). Equal weights
 * unless given. Undefined with no scores or when the weights sum to 0; negative weights are rejected.
 */
export function weightedMean(scores: ReadonlyArray<WeightedScore>): KpiValue {
  let weighted = 0;
  let weights = 0;
  for (const { score, weight = 1 } of scores) {
    if (weight < 0) return kpiUndefined(`negative weight ${weight}`);
    weighted += weight * score;
    weights += weight;
  }
  if (scores.length === 0) return kpiUndefined('no scores in the period');
  return ratio(weighted, weights, 'the weights sum to 0');
}

/** Σwᵢrᵢ / Σwᵢ from the two sums (what counters keep). */
export function weightedMeanFromSums(weightedSum: number, weightSum: number, count: number): KpiValue {
  if (count === 0) return kpiUndefined('no scores in the period');
  return ratio(weightedSum, weightSum, 'the weights sum to 0');
}

/**
 * Recency weight 2^(−age/halfLife) for list-based weighted means. Not for counters: a weight
 * relative to the period's end changes as the period grows, so it cannot be summed as events arrive.
 */
export function recencyWeight(ageDays: number, halfLifeDays: number): number {
  return Math.pow(2, -Math.max(0, ageDays) / halfLifeDays);
}

/**
 * Data quality index M = N / D (seed 004): records checked N over records with anomalies D.
 * Grows as quality improves; undefined when D = 0 (no anomaly found: the index has no finite value).
 */
export function dataQualityIndex(records: number, recordsWithAnomalies: number): KpiValue {
  if (records === 0) return kpiUndefined('no records checked (N = 0)');
  return ratio(records, recordsWithAnomalies, 'no records with anomalies (D = 0): M = N/D has no finite value; see anomalyShare');
}

/** Companion to M: anomaly share D / N, in [0, 1], defined whenever records were checked. */
export function anomalyShare(records: number, recordsWithAnomalies: number): KpiValue {
  return ratio(recordsWithAnomalies, records, 'no records checked (N = 0)');
}

/**
 * Communication efficiency T = C / R (seed 004): communications C per agent-hour of
 * communication time R (given here in seconds, converted to hours).
 */
export function communicationEfficiency(communications: number, communicationSeconds: number): KpiValue {
  return ratio(communications, communicationSeconds, 'no communication time recorded (R = 0)', 3600);
}

/** Service quality S = F / T (seed 004): satisfied feedback F over complaints T; undefined when T = 0. */
export function serviceQuality(satisfied: number, complaints: number): KpiValue {
  return ratio(satisfied, complaints, 'no complaints (T = 0): S = F/T has no finite value');
}

/** Marketing effect M = R / C (seed 004): revenue over cost, both in the same currency; undefined when C = 0. */
export function marketingEffect(revenue: number, cost: number): KpiValue {
  return ratio(revenue, cost, 'no marketing cost (C = 0)');
}

/** Channel satisfaction (seed 001): the plain mean of the scores. */
export function meanScore(sum: number, count: number): KpiValue {
  return ratio(sum, count, 'no scores in the period');
}

/** Channel conversion rate (seed 001): orders / visits. */
export function conversionRate(orders: number, visits: number): KpiValue {
  return ratio(orders, visits, 'no visits (visits = 0)');
}

/**
 * Channel value (seed 001): orders × average order value. With no orders the value is 0
 * (nothing was sold), although the average order value itself is undefined.
 */
export function channelValue(orders: number, averageOrderValue: KpiValue): KpiValue {
  if (orders === 0) return kpiValue(0);
  if (averageOrderValue.value === null) return kpiUndefined(`average order value undefined: ${averageOrderValue.undefinedReason}`);
  return kpiValue(orders * averageOrderValue.value);
}

/**
 * Churn rate, our definition (the seed's (new − lost)/new is a net-growth ratio, not churn):
 * customers active in the previous period with no activity in this one ÷ customers active in the
 * previous period. `retained` = previous-period customers who are active again in this period.
 */
export function churnRate(previousActive: number, retained: number): KpiValue {
  if (retained > previousActive) return kpiUndefined(`retained (${retained}) exceeds previous-period active customers (${previousActive})`);
  return ratio(previousActive - retained, previousActive, 'no customers active in the previous period');
}

/** Churn inputs from the two periods' active customer ids. */
export function churnCounts(previousIds: Iterable<string>, currentIds: Iterable<string>): { previousActive: number; retained: number } {
  const previous = new Set(previousIds);
  const current = new Set(currentIds);
  let retained = 0;
  for (const id of previous) if (current.has(id)) retained++;
  return { previousActive: previous.size, retained };
}

/** SLA attainment met / (met + breached); tickets without an SLA are not counted at all. */
export function slaAttainment(met: number, breached: number): KpiValue {
  return ratio(met, met + breached, 'no SLA outcome decided in the period (tickets without an SLA are not counted)');
}

/** CSAT: the share of ratings of 4 or 5 on the 1–5 scale. */
export function csatShare(satisfied: number, ratings: number): KpiValue {
  return ratio(satisfied, ratings, 'no ratings in the period');
}

/**
 * Exact quantile of a list (linear interpolation between order statistics, "type 7":
 * h = (n − 1)·p), e.g. p = 0.5 median, 0.9 p90. Undefined for an empty list; throws for p outside [0, 1].
 */
export function quantile(values: ReadonlyArray<number>, p: number): KpiValue {
  if (values.length === 0) return kpiUndefined('no durations in the period');
  // Type 7: the definition docs/kpis.md states, and R's and numpy's default.
  return kpiValue(quantileOf(values, p));
}
