/**
 * Churn risk. Definition: a customer with at least one purchase on or before day T has churned
 * at T when they make no purchase (no non-cancelled line) in (T, T + 90]. Score: logistic
 * regression on standardised log-RFM features by batch gradient descent, trained on rolling
 * cut-offs whose 90-day windows end by the as-of day; baseline: the same regression on recency only.
 */
import { boughtBetween, snapshotCustomers, type CustomerSnapshot } from './customer-features';
import { trainingCutoffs } from './demand';
import type { OrderLine } from './order-lines';
import { standardise } from './segmentation';

/** Days without a purchase that count as churn (the window after the cut-off). */
export const CHURN_WINDOW_DAYS = 90;

/** A fitted logistic regression on standardised features: p = σ(b + w·z), z = (x − mean)/sd. */
export interface LogisticModel {
  bias: number;
  weights: number[];
  mean: number[];
  sd: number[];
}

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));

/**
 * Fits p(y = 1 | x) by batch gradient descent on the mean log-loss plus (l2/2)·|w|²
 * (features standardised first, so one learning rate suits all). Deterministic.
 */
export function fitLogistic(
  x: readonly (readonly number[])[],
  y: readonly number[],
  options: { iterations?: number; learningRate?: number; l2?: number } = {},
): LogisticModel {
  const { iterations = 500, learningRate = 0.5, l2 = 1e-3 } = options;
  const { rows, mean, sd } = standardise(x);
  const p = mean.length;
  const w = new Array<number>(p).fill(0);
  let b = 0;
  const n = rows.length;
  for (let it = 0; it < iterations; it++) {
    const gw = new Array<number>(p).fill(0);
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const z = rows[i]!;
      let t = b;
      for (let j = 0; j < p; j++) t += w[j]! * z[j]!;
      const e = sigmoid(t) - y[i]!;
      gb += e;
      for (let j = 0; j < p; j++) gw[j]! += e * z[j]!;
    }
    b -= (learningRate * gb) / n;
    for (let j = 0; j < p; j++) w[j]! -= learningRate * (gw[j]! / n + l2 * w[j]!);
  }
  return { bias: b, weights: w, mean, sd };
}

/** p(y = 1) for one raw feature row. */
export function predictLogistic(m: LogisticModel, row: readonly number[]): number {
  let t = m.bias;
  for (let j = 0; j < m.weights.length; j++) t += m.weights[j]! * ((row[j]! - m.mean[j]!) / m.sd[j]!);
  return sigmoid(t);
}

/** Area under the ROC curve (Mann–Whitney, ties counted half); NaN without both classes. */
export function auc(labels: readonly number[], scores: readonly number[]): number {
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(scores.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = (i + j) / 2 + 1; // average 1-based rank
    i = j + 1;
  }
  let pos = 0;
  let rankSum = 0;
  labels.forEach((l, i) => {
    if (l === 1) {
      pos += 1;
      rankSum += ranks[i]!;
    }
  });
  const neg = labels.length - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Precision and recall of "score ≥ threshold" as the churn call. */
export function precisionRecall(labels: readonly number[], scores: readonly number[], threshold = 0.5): { precision: number; recall: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  labels.forEach((l, i) => {
    const called = scores[i]! >= threshold;
    if (called && l === 1) tp++;
    else if (called) fp++;
    else if (l === 1) fn++;
  });
  return { precision: tp + fp > 0 ? tp / (tp + fp) : 0, recall: tp + fn > 0 ? tp / (tp + fn) : 0 };
}

/** Churn features: log(1 + recency), log(1 + invoices), log(1 + net spend), log(1 + tenure), log(1 + invoices in 90 days). */
export function churnFeatures(s: CustomerSnapshot): number[] {
  return [Math.log1p(s.recencyDays), Math.log1p(s.invoices), Math.log1p(Math.max(0, s.monetary)), Math.log1p(s.tenureDays), Math.log1p(s.invoices90)];
}

/** Recency-only features of the baseline. */
export const recencyOnly = (s: CustomerSnapshot): number[] => [Math.log1p(s.recencyDays)];

/** Labelled churn examples as of T: every customer with a purchase by T; label 1 = no purchase in (T, T + 90]. */
export function churnExamples(
  linesByCustomer: ReadonlyMap<string, readonly OrderLine[]>,
  t: number,
  features: (s: CustomerSnapshot) => number[] = churnFeatures,
): { ids: string[]; x: number[][]; y: number[] } {
  const ids: string[] = [];
  const x: number[][] = [];
  const y: number[] = [];
  for (const s of snapshotCustomers(linesByCustomer, t, CHURN_WINDOW_DAYS)) {
    if (s.invoices === 0) continue; // only cancellations so far: nothing to churn from
    ids.push(s.customerId);
    x.push(features(s));
    y.push(boughtBetween(linesByCustomer.get(s.customerId)!, t, t + CHURN_WINDOW_DAYS) ? 0 : 1);
  }
  return { ids, x, y };
}

/** Trains on every cut-off whose churn window ends by `asOf` (weekly, 60 days of history at least). */
export function fitChurnModel(
  linesByCustomer: ReadonlyMap<string, readonly OrderLine[]>,
  asOf: number,
  features: (s: CustomerSnapshot) => number[] = churnFeatures,
): LogisticModel {
  let firstDay = Infinity;
  for (const lines of linesByCustomer.values()) if (lines[0]) firstDay = Math.min(firstDay, lines[0].day);
  const x: number[][] = [];
  const y: number[] = [];
  for (const t of trainingCutoffs(firstDay, asOf, CHURN_WINDOW_DAYS)) {
    const e = churnExamples(linesByCustomer, t, features);
    x.push(...e.x);
    y.push(...e.y);
  }
  if (x.length === 0) throw new Error('not enough history for a churn model');
  return fitLogistic(x, y);
}

/** Held-out churn evaluation at `validationAsOf` (its 90-day window must be inside the data). */
export interface ChurnEvaluation {
  customers: number;
  churnRate: number;
  model: { auc: number; precision: number; recall: number };
  recencyBaseline: { auc: number; precision: number; recall: number };
}

/** Fits both the model and the recency-only baseline on earlier cut-offs and scores them at `validationAsOf`. */
export function evaluateChurn(linesByCustomer: ReadonlyMap<string, readonly OrderLine[]>, validationAsOf: number): ChurnEvaluation {
  const score = (features: (s: CustomerSnapshot) => number[]) => {
    const m = fitChurnModel(linesByCustomer, validationAsOf, features);
    const e = churnExamples(linesByCustomer, validationAsOf, features);
    const p = e.x.map((r) => predictLogistic(m, r));
    return { y: e.y, result: { auc: auc(e.y, p), ...precisionRecall(e.y, p) } };
  };
  const full = score(churnFeatures);
  const base = score(recencyOnly);
  return {
    customers: full.y.length,
    churnRate: full.y.reduce((s, v) => s + v, 0) / full.y.length,
    model: full.result,
    recencyBaseline: base.result,
  };
}
