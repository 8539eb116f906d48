import { describe, expect, it } from 'vitest';
import { snapshotCustomers } from '../../../../shared/analytics/customers/customer-features';
import { trainValueModel, valueFeatures } from '../../../../shared/analytics/customers/customer-value';
import { forecastDemand, predictDemand, trainingCutoffs, trainDemandModel } from '../../../../shared/analytics/customers/demand';
import { formatDay, groupByCustomer, parseDay, type OrderLine } from '../../../../shared/analytics/customers/order-lines';
import { line } from './fixtures';

/** Customers who each spend the same amount every Monday from 2011-01-03 to 2011-09-26. */
function weeklyShoppers(amounts: Record<string, number>): OrderLine[] {
  const lines: OrderLine[] = [];
  for (let d = parseDay('2011-01-03')!; d <= parseDay('2011-09-26')!; d += 7) {
    for (const [id, amount] of Object.entries(amounts)) lines.push(line(id, formatDay(d), 1, amount));
  }
  return lines;
}

describe('demand forecast', () => {
  it('places training cut-offs so every target window ends by the as-of day', () => {
    // first day 0, as of 200, h 60: T = 140, 133, ..., 63 (T − 0 ≥ 60) → 12 cut-offs
    const cutoffs = trainingCutoffs(0, 200, 60);
    expect(cutoffs[0]).toBe(140);
    expect(cutoffs.at(-1)).toBe(63);
    expect(cutoffs).toHaveLength(12);
    expect(trainingCutoffs(0, 100, 60)).toEqual([]);
  });

  it('learns that steady weekly shoppers keep their pace', () => {
    const amounts = { '1': 10, '2': 50, '3': 200 };
    const asOf = parseDay('2011-08-01')!; // a Monday
    const byCustomer = groupByCustomer(weeklyShoppers(amounts).filter((l) => l.day <= asOf));
    const model = trainDemandModel(byCustomer, asOf, 28);
    const { predictions } = forecastDemand([...byCustomer.values()].flat(), asOf, 28);
    // 28 days after a Monday hold exactly 4 Mondays.
    expect(predictions.map((p) => p.customerId)).toEqual(['1', '2', '3']);
    // Within 2%: the small ridge and the weights pull a little.
    predictions.forEach((p) => expect(Math.abs(p.predictedSpend / (4 * amounts[p.customerId as '1']!) - 1)).toBeLessThan(0.02));
    // The held-out window is the last complete one: as of 2011-07-04, targets to 2011-08-01.
    expect(formatDay(model.comparison!.validationAsOf)).toBe('2011-07-04');
    expect(model.comparison!.customers).toBe(3);
    expect(model.comparison!.naive.mse).toBe(0); // the naive forecast is exact for them
    // Mean target 4 · (10 + 50 + 200) / 3 ≈ 347: the model's RMSE stays under 2% of it.
    expect(model.comparison!.model.rmse).toBeLessThan(7);
  });

  it('never predicts below zero and only uses lines up to the as-of day', () => {
    const lines = [
      ...weeklyShoppers({ '7': 30 }),
      line('8', '2011-05-02', 1, 40),
      line('8', '2011-07-25', -1, 400, { invoiceNo: 'C9' }), // a big refund: net spend negative
      line('9', '2011-09-05', 1, 99), // first seen after the as-of day
    ];
    const { predictions, model } = forecastDemand(lines, parseDay('2011-08-01')!, 28);
    expect(model).toBeDefined();
    expect(predictions.map((p) => p.customerId)).toEqual(['7', '8']);
    for (const p of predictions) expect(p.predictedSpend).toBeGreaterThanOrEqual(0);
    expect(predictions[1]!.predictedSpend).toBe(0);
  });

  it('falls back to the naive forecast when the history is too short', () => {
    const lines = [line('1', '2011-01-03', 1, 10), line('1', '2011-01-20', 2, 10), line('2', '2011-01-10', 1, 5)];
    const { predictions, model } = forecastDemand(lines, parseDay('2011-01-31')!, 14);
    expect(model).toBeUndefined();
    // Naive: spend in the 14 days up to 01-31 → customer 1's 20, customer 2's 0.
    expect(predictions).toEqual([{ customerId: '1', predictedSpend: 20 }, { customerId: '2', predictedSpend: 0 }]);
  });

  it('the value model (RFM profile) also recovers steady shoppers', () => {
    const asOf = parseDay('2011-08-01')!;
    const byCustomer = groupByCustomer(weeklyShoppers({ '1': 10, '2': 100 }).filter((l) => l.day <= asOf));
    const model = trainValueModel(byCustomer, asOf, 28);
    // The RFM columns plus the naive column of the shrinkage toward naive (customer-value.test.ts).
    expect(model.features.names).toHaveLength(valueFeatures(snapshotCustomers(byCustomer, asOf, 28)[0]!, 28).length + 1);
    const [p1, p2] = predictDemand(model, snapshotCustomers(byCustomer, asOf, 28));
    expect(Math.abs(p1! / 40 - 1)).toBeLessThan(0.05);
    expect(Math.abs(p2! / 400 - 1)).toBeLessThan(0.05);
    expect(model.comparison).toBeDefined();
  });
});
