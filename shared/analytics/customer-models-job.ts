/**
 * The scheduled customer-models job (issue 3, "Customer models"; docs/customer-models.md):
 * reads the orders of the last N months month by month, runs every customer model as of the
 * latest order day and stores one summary (metrics next to their baselines) plus one small item
 * per customer. The models themselves live in ./customers; this module only wires them.
 */
import type { CustomerModelRecord, CustomerModelStore, CustomerModelSummary, ModelOutcome } from '../customers/customer-model-store';
import { linesOfOrders, type Order, type OrderStore } from './customers/order-store';
import { CHURN_WINDOW_DAYS, churnFeatures, evaluateChurn, fitChurnModel, predictLogistic } from './customers/churn';
import { snapshotCustomers, type CustomerSnapshot } from './customers/customer-features';
import { trainValueModel } from './customers/customer-value';
import { predictDemand, trainDemandModel, type DemandModel } from './customers/demand';
import { cleanOrderLines, formatDay, groupByCustomer, type OrderLine } from './customers/order-lines';
import { fitItemModel, hitRate, ratingsFromLines, recommend, recommendPopular, scoreItem } from './customers/recommendations';
import { segmentCustomers } from './customers/segmentation';
import { applyModelTiers, type ModelTierResult, type ModelTierStore } from '../customers/model-tier';

export interface CustomerModelsOptions {
  /** Months of orders read, the current one included (default 13: a year plus the month to date). */
  months?: number;
  /** Demand forecast horizon (default 60 days). */
  horizonDays?: number;
  /** Horizon of the customer value regression (default 90 days, as in the docs). */
  valueHorizonDays?: number;
  /** Recommendations kept per customer (default 5). */
  topN?: number;
}

export interface CustomerModelsJobResult {
  runDay: string;
  asOf: string | null;
  status: CustomerModelSummary['status'];
  reason?: string;
  orders: number;
  customers: number;
  skipped: string[];
  /** Derived tiers written for linked customers (when the job was given the crm side). */
  tiers?: ModelTierResult;
}

const DAY_MS = 86_400_000;
/** Months read at once: parallel Queries, bounded so a long window does not burst. */
const READ_CONCURRENCY = 4;
/** Below this many customers no model is worth storing (segmentation alone needs more than k). */
export const MIN_CUSTOMERS = 10;
/** The demand model's first training cut-off needs 60 days of history before asOf − h. */
const MIN_HISTORY_BEYOND_HORIZON = 60;

const round = (v: number, d = 2) => Math.round(v * 10 ** d) / 10 ** d;

/** `YYYY-MM` of the `count` UTC months ending with the month of `now`, oldest first. */
export function monthsBack(now: Date, count: number): string[] {
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) out.push(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1)).toISOString().slice(0, 7));
  return out;
}

/** Runs one model; an error (too little history for it) becomes a skipped outcome with the reason. */
function attempt<T extends Record<string, unknown>>(run: () => T): ModelOutcome<T> {
  try {
    return { status: 'ok', ...run() };
  } catch (err) {
    return { status: 'skipped', reason: (err as Error).message };
  }
}

function regressionSummary(model: DemandModel) {
  const c = model.comparison;
  const metrics = (e: { mse: number; mae: number; rmse: number }) => ({ mse: round(e.mse), mae: round(e.mae), rmse: round(e.rmse) });
  return {
    horizonDays: model.horizonDays,
    trainingRows: model.trainingRows,
    cutoffs: model.cutoffs.length,
    coefficients: Object.fromEntries(model.features.names.map((n, i) => [n, model.regression.coefficients[i] ?? 0])),
    comparison: c
      ? {
          validationAsOf: formatDay(c.validationAsOf),
          customers: c.customers,
          model: metrics(c.model),
          naive: metrics(c.naive),
          beatsNaive: { mse: c.model.mse < c.naive.mse, mae: c.model.mae < c.naive.mae },
        }
      : null,
    ...(c ? {} : { comparisonReason: `fewer than ${2 * model.horizonDays + MIN_HISTORY_BEYOND_HORIZON} days of history: no held-out window` }),
  };
}

/** What `modelCustomers` computes: the summary's model part and one record per customer. */
export interface CustomerModelsOutcome {
  asOf: string | null;
  status: CustomerModelSummary['status'];
  reason?: string;
  customers: number;
  products: number;
  models: CustomerModelSummary['models'];
  records: CustomerModelRecord[];
}

/**
 * Runs every customer model on cleaned order lines, as of the last line's day. Pure. With too few
 * customers or too short a history it models nothing and says why.
 */
export function modelCustomers(lines: readonly OrderLine[], runDay: string, options: CustomerModelsOptions = {}): CustomerModelsOutcome {
  const h = options.horizonDays ?? 60;
  const hv = options.valueHorizonDays ?? 90;
  const topN = options.topN ?? 5;
  const byCustomer = groupByCustomer(lines);
  const products = new Set(lines.filter((l) => l.isProduct).map((l) => l.stockCode)).size;
  const empty = (reason: string, asOf: string | null): CustomerModelsOutcome => ({ asOf, status: 'insufficient-data', reason, customers: byCustomer.size, products, models: {}, records: [] });
  if (lines.length === 0) return empty('no orders in the window', null);
  let first = Infinity;
  let last = -Infinity;
  for (const l of lines) {
    if (l.day < first) first = l.day;
    if (l.day > last) last = l.day;
  }
  const asOf = last;
  const historyDays = asOf - first;
  if (byCustomer.size < MIN_CUSTOMERS) return empty(`${byCustomer.size} customers; the models need at least ${MIN_CUSTOMERS}`, formatDay(asOf));
  if (historyDays < h + MIN_HISTORY_BEYOND_HORIZON) {
    return empty(`${historyDays} days of order history; the demand model needs at least ${h + MIN_HISTORY_BEYOND_HORIZON} (horizon ${h} + 60)`, formatDay(asOf));
  }

  const snapshots = snapshotCustomers(byCustomer, asOf, h);
  const models: CustomerModelSummary['models'] = {};
  const spend = new Map<string, number>();
  const value = new Map<string, number>();
  const risk = new Map<string, number>();
  const segmentOf = new Map<string, { id: number; name: string }>();
  const recs = new Map<string, CustomerModelRecord['recommendations']>();

  models.demand = attempt(() => {
    const model = trainDemandModel(byCustomer, asOf, h);
    predictDemand(model, snapshots).forEach((p, i) => spend.set(snapshots[i]!.customerId, round(p)));
    return { baseline: `naive: the same net spend as the previous ${h} days`, ...regressionSummary(model) };
  });

  models.customerValue = attempt(() => {
    const model = trainValueModel(byCustomer, asOf, hv);
    const snaps = snapshotCustomers(byCustomer, asOf, hv);
    predictDemand(model, snaps).forEach((p, i) => value.set(snaps[i]!.customerId, round(p)));
    return { baseline: `naive: the same net spend as the previous ${hv} days`, ...regressionSummary(model) };
  });

  models.segmentation = attempt(() => {
    const seg = segmentCustomers(snapshots);
    const byId = new Map(seg.segments.map((s) => [s.id, s]));
    for (const a of seg.assignments) {
      const s = byId.get(a.segment);
      if (s) segmentOf.set(a.customerId, { id: s.id, name: a.label });
    }
    return {
      criterion: 'k in 3..8 with the highest mean silhouette on standardised log-RFM; k-means++ seed 42',
      k: seg.k,
      silhouette: seg.silhouetteByK[seg.k] ?? null,
      silhouetteByK: seg.silhouetteByK,
      segments: seg.segments.map((s) => ({ id: s.id, name: s.name, size: s.size, recencyDays: round(s.recencyDays, 1), invoices: round(s.invoices, 2), netSpend: round(s.monetary) })),
    };
  });

  models.churn = attempt(() => {
    const model = fitChurnModel(byCustomer, asOf);
    const snaps = snapshotCustomers(byCustomer, asOf, CHURN_WINDOW_DAYS);
    let atRisk = 0;
    for (const s of snaps) {
      if (s.invoices === 0) continue; // only cancellations: nothing to churn from
      const p = predictLogistic(model, churnFeatures(s));
      risk.set(s.customerId, round(p, 4));
      if (p >= 0.5) atRisk += 1;
    }
    const evaluation = attempt(() => ({ validationAsOf: formatDay(asOf - CHURN_WINDOW_DAYS), ...evaluateChurn(byCustomer, asOf - CHURN_WINDOW_DAYS) }));
    return {
      definition: `no purchase (non-cancelled line) in the ${CHURN_WINDOW_DAYS} days after the as-of day`,
      baseline: 'logistic regression on log recency only (ranks like recency)',
      customersScored: risk.size,
      atRiskAtHalf: atRisk,
      evaluation,
    };
  });

  models.recommendations = attempt(() => {
    const descriptions = new Map<string, string>();
    for (const l of lines) if (l.isProduct && l.description) descriptions.set(l.stockCode, l.description);
    const model = fitItemModel(ratingsFromLines(lines));
    if (model.items.length === 0) throw new Error('no products bought: nothing to recommend');
    for (const s of snapshots) {
      const rated = model.ratings.get(s.customerId) ?? new Map<string, number>();
      recs.set(
        s.customerId,
        recommend(model, rated, topN).map((item) => ({ stockCode: item, description: descriptions.get(item) ?? '', score: round(scoreItem(model, rated, item), 4) })),
      );
    }
    return { topN, products: model.items.length, evaluation: attempt(() => evaluateRecommendations(lines, asOf - h, asOf, topN)) };
  });

  const records: CustomerModelRecord[] = snapshots.map((s: CustomerSnapshot) => ({
    customerId: s.customerId,
    runDay,
    asOf: formatDay(asOf),
    country: s.country,
    profile: { recencyDays: s.recencyDays, invoices: s.invoices, netSpend: round(s.monetary) },
    segment: segmentOf.get(s.customerId) ?? null,
    predictedSpend60d: spend.get(s.customerId) ?? null,
    predictedValue90d: value.get(s.customerId) ?? null,
    churnRisk: risk.get(s.customerId) ?? null,
    recommendations: recs.get(s.customerId) ?? [],
  }));
  return { asOf: formatDay(asOf), status: 'ok', customers: snapshots.length, products, models, records };
}

/** Hit rate @N on (cut, end]: the recommender trained on lines up to `cut` against popularity. */
function evaluateRecommendations(lines: readonly OrderLine[], cut: number, end: number, topN: number) {
  const model = fitItemModel(ratingsFromLines(lines.filter((l) => l.day <= cut)));
  if (model.items.length === 0) throw new Error(`no products bought by ${formatDay(cut)}: no held-out window`);
  const test = ratingsFromLines(lines.filter((l) => l.day > cut && l.day <= end));
  const cf = hitRate(model, test, (u) => recommend(model, u, topN));
  const pop = hitRate(model, test, (u) => recommendPopular(model, u, topN));
  if (cf.users === 0) throw new Error(`no customer bought a new product after ${formatDay(cut)}: nothing to evaluate`);
  return {
    trainedThrough: formatDay(cut),
    testedThrough: formatDay(end),
    users: cf.users,
    model: { hitRate: round(cf.hitRate, 4), precision: round(cf.precision, 4) },
    popularity: { hitRate: round(pop.hitRate, 4), precision: round(pop.precision, 4) },
  };
}

/** Reads the orders of the given months, a few Queries at a time. */
async function readOrders(store: OrderStore, months: readonly string[]): Promise<Order[]> {
  const orders: Order[] = [];
  for (let i = 0; i < months.length; i += READ_CONCURRENCY) {
    const parts = await Promise.all(months.slice(i, i + READ_CONCURRENCY).map((m) => store.listOrdersOfMonth(m)));
    for (const p of parts) orders.push(...p);
  }
  return orders;
}

/**
 * The job: orders of the last `months` months (lines dated after `now` ignored), every model as
 * of the latest order day, customer items first and then the summary (so LATEST never points at
 * a half-written run). Keys carry the run day only, so a re-run the same day overwrites.
 * With `tiers` (the crm side), linked customers then get their derived tier (shared/customers).
 */
export async function runCustomerModelsJob(
  orders: OrderStore,
  results: CustomerModelStore,
  now: Date,
  options: CustomerModelsOptions = {},
  tiers?: ModelTierStore,
): Promise<CustomerModelsJobResult> {
  const runDay = now.toISOString().slice(0, 10);
  const months = monthsBack(now, options.months ?? 13);
  const stored = await readOrders(orders, months);
  const today = Math.floor(now.getTime() / DAY_MS);
  const all = linesOfOrders(stored);
  const current = all.filter((l) => l.day <= today);
  const { lines, report } = cleanOrderLines(current);
  const outcome = modelCustomers(lines, runDay, options);

  if (outcome.records.length) await results.putCustomerModels(outcome.records);
  const summary: CustomerModelSummary = {
    runDay,
    generatedAt: now.toISOString(),
    asOf: outcome.asOf,
    status: outcome.status,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    window: {
      months,
      orders: stored.length,
      lines: all.length,
      linesKept: lines.length,
      dropped: { afterNow: all.length - current.length, noCustomer: report.noCustomer, zeroOrNegativePrice: report.zeroOrNegativePrice, zeroQuantity: report.zeroQuantity },
    },
    customers: outcome.customers,
    products: outcome.products,
    models: outcome.models,
  };
  await results.putSummary(summary);
  // After the summary: a failure here is retried with the run, and never hides the run's models.
  const tierResult = tiers && outcome.records.length ? await applyModelTiers(tiers, outcome.records, runDay) : undefined;
  return {
    runDay,
    asOf: outcome.asOf,
    status: outcome.status,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    orders: stored.length,
    customers: outcome.records.length,
    skipped: Object.entries(outcome.models).flatMap(([name, m]) => (m.status === 'skipped' ? [`${name}: ${m.reason}`] : [])),
    ...(tierResult ? { tiers: tierResult } : {}),
  };
}
