import { describe, expect, it } from 'vitest';
import { snapshotCustomers } from '../../../../shared/analytics/customers/customer-features';
import { blendWeight, compareValue, fitValueBlend, fitValueModel, trainValueModel, valueFeatures } from '../../../../shared/analytics/customers/customer-value';
import { predictDemand } from '../../../../shared/analytics/customers/demand';
import { predictLinear } from '../../../../shared/analytics/customers/linear-regression';
import { formatDay, groupByCustomer, parseDay, type OrderLine } from '../../../../shared/analytics/customers/order-lines';
import { line } from './fixtures';

/** Customers who each spend the same amount every Monday from 2011-01-03 to `last`. */
function weeklyShoppers(amounts: Record<string, number>, last = '2011-09-26'): OrderLine[] {
  const lines: OrderLine[] = [];
  for (let d = parseDay('2011-01-03')!; d <= parseDay(last)!; d += 7) {
    for (const [id, amount] of Object.entries(amounts)) lines.push(line(id, formatDay(d), 1, amount));
  }
  return lines;
}

describe('customer value: shrinkage toward the naive forecast', () => {
  it('computes the least-squares blend weight by hand, clipped to [0, 1]', () => {
    // model − naive = (2, 4), actual − naive = (1, 2): w = (2·1 + 4·2) / (2² + 4²) = 10 / 20.
    expect(blendWeight([2, 4], [0, 0], [1, 2])).toBe(0.5);
    // naive 1, model 3, actual 2.5: w = (2 · 1.5) / 2² = 0.75.
    expect(blendWeight([3], [1], [2.5])).toBe(0.75);
    expect(blendWeight([2, 4], [0, 0], [4, 8])).toBe(1); // raw 2: clipped
    expect(blendWeight([2, 4], [1, 1], [0, 0])).toBe(0); // raw < 0: clipped
    expect(blendWeight([5, 5], [5, 5], [1, 9])).toBe(1); // the two forecasts agree: the model alone
    expect(() => blendWeight([1], [1, 2], [1])).toThrow();
  });

  it('fits the weight on the latest window complete by the as-of day (g = min(h, (days − 60) / 2))', () => {
    const asOf = parseDay('2011-08-01')!; // 210 days after 2011-01-03
    const byCustomer = groupByCustomer(weeklyShoppers({ '1': 10, '2': 100 }).filter((l) => l.day <= asOf));
    // h = 28 fits; h = 90 does not: g = floor((210 − 60) / 2) = 75.
    expect(fitValueBlend(byCustomer, asOf, 28).fittedOn).toMatchObject({ asOf: asOf - 28, horizonDays: 28, customers: 2 });
    expect(fitValueBlend(byCustomer, asOf, 90).fittedOn).toMatchObject({ asOf: asOf - 75, horizonDays: 75 });
    // 80 days of data: g = 10 < 14, no window: the RFM regression alone (weight 1).
    const early = parseDay('2011-03-24')!;
    const short = groupByCustomer(weeklyShoppers({ '1': 10, '2': 100 }).filter((l) => l.day <= early));
    expect(fitValueBlend(short, early, 28)).toEqual({ weight: 1, fittedOn: null });
  });

  it('shrinks all the way to naive when naive was exact on the weight window, and the model applies the blend', () => {
    // Steady Monday shoppers (naive exact: every 28-day window holds 4 Mondays) and a one-off
    // £5,000 buyer in February whom the RFM regression still credits with some value.
    const asOf = parseDay('2011-08-01')!;
    const lines = [...weeklyShoppers({ '1': 10, '2': 100, '3': 40 }), line('9', '2011-02-07', 1, 5000)].filter((l) => l.day <= asOf);
    const byCustomer = groupByCustomer(lines);
    const model = fitValueModel(byCustomer, asOf, 28);
    // actual − naive = 0 for everyone on (07-04, 08-01]: w = 0 whatever the model says.
    expect(model.blend.weight).toBe(0);
    expect(model.features.names.at(-1)).toBe('naive_last_h');
    expect(model.regression.coefficients.map((c) => c + 0)).toEqual([0, 0, 0, 0, 1]); // + 0: −0 → 0
    const snaps = snapshotCustomers(byCustomer, asOf, 28);
    const rfm = predictDemand(model.rfm, snaps);
    const blended = predictDemand(model, snaps);
    // Blended = naive exactly; the RFM regression alone differs (it is not exact for anyone here).
    expect(blended).toEqual(snaps.map((s) => Math.max(0, s.lastHorizonSpend)));
    expect(rfm.some((p, i) => Math.abs(p - blended[i]!) > 0.01)).toBe(true);
  });

  it('a partial weight mixes the RFM regression and naive: coefficients w·β and 1 − w', () => {
    // Steady Monday shoppers, plus one whose £2,000 burst fell in the naive window (06-20) and who
    // buys a smaller £1,000 extra in the weight window (07-18): naive is £1,000 too high for them
    // and the RFM regression misses them by a different amount, so the weight is strictly inside (0, 1).
    const lines: OrderLine[] = [line('9', '2011-06-20', 1, 2000), line('9', '2011-07-18', 1, 1000)];
    for (let d = parseDay('2011-01-03')!; d <= parseDay('2011-09-26')!; d += 7) {
      for (const [id, amount] of Object.entries({ '1': 500, '2': 1000, '3': 2000, '4': 4000, '5': 2500, '9': 20 })) lines.push(line(id, formatDay(d), 1, amount));
    }
    const asOf = parseDay('2011-08-01')!;
    const byCustomer = groupByCustomer(lines.filter((l) => l.day <= asOf));
    const model = fitValueModel(byCustomer, asOf, 28);
    const w = model.blend.weight;
    expect(w).toBeGreaterThan(0.1);
    expect(w).toBeLessThan(0.9);
    model.rfm.regression.coefficients.forEach((c, j) => expect(model.regression.coefficients[j]).toBeCloseTo(w * c, 12));
    expect(model.regression.coefficients[4]).toBeCloseTo(1 - w, 12);
    for (const s of snapshotCustomers(byCustomer, asOf, 28)) {
      const rfm = predictLinear(model.rfm.regression, valueFeatures(s, 28));
      expect(predictDemand(model, [s])[0]).toBeCloseTo(Math.max(0, w * rfm + (1 - w) * Math.max(0, s.lastHorizonSpend)), 9);
    }
  });

  it('compares on a held-out window fitted without it, and ships with that comparison', () => {
    const lines = [...weeklyShoppers({ '1': 10, '2': 100, '3': 40 }), line('9', '2011-02-07', 1, 5000)];
    const byCustomer = groupByCustomer(lines);
    const c = compareValue(byCustomer, parseDay('2011-08-01')!, 28);
    // Weight 0 (as in the one-off buyer test above): the value model is the naive forecast, exact for the steady shoppers.
    expect(c.blend.weight).toBe(0);
    expect(c.model.mse).toBe(c.naive.mse);
    expect(c.model.mse).toBe(0);
    expect(c.rfmOnly.mse).toBeGreaterThan(0);
    const shipped = trainValueModel(byCustomer, parseDay('2011-09-26')!, 28);
    expect(formatDay(shipped.comparison!.validationAsOf)).toBe('2011-08-29');
    expect(shipped.blend.fittedOn!.horizonDays).toBe(28);
  });
});
