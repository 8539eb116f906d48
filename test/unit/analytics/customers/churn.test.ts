import { describe, expect, it } from 'vitest';
import { auc, churnExamples, fitLogistic, precisionRecall, predictLogistic } from '../../../../shared/analytics/customers/churn';
import { groupByCustomer, parseDay } from '../../../../shared/analytics/customers/order-lines';
import { line } from './fixtures';

describe('churn', () => {
  it('computes AUC by hand, ties counted half', () => {
    // Positive/negative pairs: 0.9>0.8, 0.9>0.1, 0.3<0.8, 0.3>0.1 → 3 of 4.
    expect(auc([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1])).toBe(0.75);
    expect(auc([1, 0], [0.5, 0.5])).toBe(0.5);
    expect(auc([1, 1], [0.2, 0.3])).toBeNaN();
  });

  it('computes precision and recall at a threshold', () => {
    // Called: 0.9 (churned), 0.8 (stayed) → precision 1/2; churners 0.9 and 0.3 → recall 1/2.
    expect(precisionRecall([1, 0, 1, 0], [0.9, 0.8, 0.3, 0.1])).toEqual({ precision: 0.5, recall: 0.5 });
  });

  it('fits a logistic regression that orders the classes', () => {
    const m = fitLogistic([[0], [1], [2], [3], [4], [5]], [0, 0, 0, 1, 1, 1], { iterations: 2000 });
    const p = [0, 1, 2, 3, 4, 5].map((x) => predictLogistic(m, [x]));
    for (let i = 1; i < p.length; i++) expect(p[i]!).toBeGreaterThan(p[i - 1]!);
    expect(p[0]!).toBeLessThan(0.2);
    expect(p[5]!).toBeGreaterThan(0.8);
    // Symmetric data: the boundary sits at x = 2.5.
    expect(predictLogistic(m, [2.5])).toBeCloseTo(0.5, 6);
  });

  it('labels churn as no purchase in the 90 days after the cut-off', () => {
    const g = groupByCustomer([
      line('stays', '2011-01-10', 1, 5),
      line('stays', '2011-04-01', 1, 5), // 80 days after the cut-off
      line('goes', '2011-01-05', 1, 5),
      line('goes', '2011-02-01', -1, 5, { invoiceNo: 'C1' }), // a cancellation is not a purchase
      line('late', '2011-05-20', 1, 5), // 129 days after: outside the window
      line('late', '2011-01-02', 1, 5),
      line('new', '2011-02-01', 1, 5), // first seen after the cut-off
    ]);
    const e = churnExamples(g, parseDay('2011-01-11')!);
    expect(Object.fromEntries(e.ids.map((id, i) => [id, e.y[i]]))).toEqual({ stays: 0, goes: 1, late: 1 });
  });
});
