import { describe, expect, it } from 'vitest';
import { boughtBetween, snapshotCustomers, spendBetween } from '../../../../shared/analytics/customers/customer-features';
import { demandFeatures } from '../../../../shared/analytics/customers/demand';
import { groupByCustomer, parseDay } from '../../../../shared/analytics/customers/order-lines';
import { line } from './fixtures';

// Five lines, worked by hand below. As of 2011-03-10 (day 68 after 2011-01-01).
const LINES = [
  line('A', '2011-01-01', 2, 5, { invoiceNo: '1' }), // 10, product 10001
  line('A', '2011-01-01', 1, 3, { invoiceNo: '1', stockCode: 'POST' }), // 3, not a product
  line('A', '2011-03-01', 4, 2.5, { invoiceNo: '2', stockCode: '10002' }), // 10
  line('A', '2011-03-05', -2, 2.5, { invoiceNo: 'C3', stockCode: '10002' }), // −5, cancellation
  line('B', '2011-02-15', 1, 20, { invoiceNo: '4', country: 'France' }), // 20
];
const AS_OF = parseDay('2011-03-10')!;

describe('customer features (RFM) on five lines', () => {
  const byCustomer = groupByCustomer(LINES);
  const [a, b] = snapshotCustomers(byCustomer, AS_OF, 30);

  it('computes recency, frequency, monetary, windows and basket by hand', () => {
    expect(a).toEqual({
      customerId: 'A',
      country: 'United Kingdom',
      recencyDays: 9, // last purchase 03-01; the 03-05 cancellation is not a purchase
      tenureDays: 68,
      invoices: 2,
      invoices90: 2,
      monetary: 18, // 10 + 3 + 10 − 5
      windowSpend: [5, 18, 18, 18], // last 30 days: 10 − 5
      previousHorizonSpend: 0, // nothing 30..59 days back
      lastHorizonSpend: 5,
      averageBasket: 11.5, // gross 23 over 2 invoices
      distinctProducts: 2, // POST is not a product
      historyDays: 69,
      // All customers: last 30 days 5 + 20 = 25 against 38 over the 69 covered days → 25 / (38·30/69)
      marketMomentum: 25 / ((38 * 30) / 69),
    });
    expect(b).toMatchObject({ recencyDays: 23, tenureDays: 23, invoices: 1, monetary: 20, windowSpend: [20, 20, 20, 20], lastHorizonSpend: 20, country: 'France' });
  });

  it('ignores lines after the as-of day', () => {
    const early = snapshotCustomers(byCustomer, parseDay('2011-02-20')!, 30);
    expect(early.map((s) => [s.customerId, s.monetary, s.recencyDays])).toEqual([['A', 13, 50], ['B', 20, 5]]);
    expect(snapshotCustomers(byCustomer, parseDay('2010-12-31')!, 30)).toEqual([]);
  });

  it('turns windows into spend per horizon over the covered days', () => {
    const f = demandFeatures(a!, 30);
    // 90- and 365-day windows cover only the 69 days of data: 18 · 30 / 69.
    const r = (18 * 30) / 69;
    const active = Math.exp(-9 / 90);
    const frequent = (2 * 90) / 69 / 3; // 0.87 < 1
    const momentum = 25 / ((38 * 30) / 69);
    const expected = [5, r, r, r * active, r * active, r * frequent, r * momentum];
    expect(f).toHaveLength(7);
    f.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 12));
  });

  it('sums spend in a window and tells who bought', () => {
    const s = spendBetween(byCustomer, parseDay('2011-02-28')!, parseDay('2011-03-31')!);
    expect(Object.fromEntries(s)).toEqual({ A: 5, B: 0 });
    expect(boughtBetween(byCustomer.get('A')!, parseDay('2011-03-01')!, parseDay('2011-03-31')!)).toBe(false); // only the cancellation
    expect(boughtBetween(byCustomer.get('A')!, parseDay('2011-02-28')!, parseDay('2011-03-31')!)).toBe(true);
  });
});
