import { describe, expect, it } from 'vitest';
import { monthsBack, runCustomerModelsJob } from '../../../shared/analytics/customer-models-job';
import { cleanOrderLines, parseOrderLines } from '../../../shared/analytics/customers/order-lines';
import { linesOfOrders, OrderGroupingError, ordersFromLines, type Order, type OrderStore, type OrderWriteResult } from '../../../shared/analytics/customers/order-store';
import type { CustomerModelRecord, CustomerModelStore, CustomerModelSummary } from '../../../shared/customers/customer-model-store';
import { generateOrderLines, type GeneratedLine } from '../../fixtures/generated-orders';

/** In-memory fakes of the two ports (tests only). */
class MemoryOrders implements OrderStore {
  readonly orders = new Map<string, Order>();
  readonly monthsRead: string[] = [];
  async putOrders(orders: readonly Order[]): Promise<OrderWriteResult> {
    let replaced = 0;
    for (const o of orders) {
      if (this.orders.has(o.invoiceNo)) replaced += 1;
      this.orders.set(o.invoiceNo, structuredClone(o));
    }
    return { orders: orders.length, created: orders.length - replaced, replaced };
  }
  async listOrdersOfMonth(month: string): Promise<Order[]> {
    this.monthsRead.push(month);
    return [...this.orders.values()].filter((o) => o.invoiceDate.startsWith(month)).map((o) => structuredClone(o));
  }
}

class MemoryResults implements CustomerModelStore {
  readonly summaries = new Map<string, CustomerModelSummary>();
  readonly customers = new Map<string, CustomerModelRecord>();
  async putCustomerModels(records: readonly CustomerModelRecord[]) {
    for (const r of records) this.customers.set(r.customerId, structuredClone(r));
  }
  async putSummary(s: CustomerModelSummary) {
    this.summaries.set(s.runDay, structuredClone(s));
    this.summaries.set('LATEST', structuredClone(s));
  }
  async getLatestSummary() {
    return this.summaries.get('LATEST');
  }
  async getSummary(runDay: string) {
    return this.summaries.get(runDay);
  }
  async getCustomerModel(id: string) {
    return this.customers.get(id);
  }
}

const line = (o: Partial<GeneratedLine> & Pick<GeneratedLine, 'InvoiceNo' | 'InvoiceDate' | 'CustomerID'>): GeneratedLine => ({
  StockCode: '30001',
  Description: 'HAND MADE',
  Quantity: '1',
  UnitPrice: '5.00',
  Country: 'United Kingdom',
  ...o,
});

async function importLines(store: MemoryOrders, lines: GeneratedLine[]) {
  return store.putOrders(ordersFromLines(cleanOrderLines(parseOrderLines(lines as unknown as Array<Record<string, string>>)).lines));
}

describe('orders from lines and back', () => {
  it('groups lines by invoice, keeps the earliest date and a differing line date, and round-trips', () => {
    const parsed = parseOrderLines([
      line({ InvoiceNo: '1', InvoiceDate: '2024-01-05 10:01:00', CustomerID: 'a', Quantity: '2' }),
      line({ InvoiceNo: '1', InvoiceDate: '2024-01-05 10:00:00', CustomerID: 'a', StockCode: 'POST', UnitPrice: '3' }),
      line({ InvoiceNo: 'C2', InvoiceDate: '2024-01-06 09:00:00', CustomerID: 'a', Quantity: '-1' }),
    ] as unknown as Array<Record<string, string>>);
    const orders = ordersFromLines(parsed);
    expect(orders.map((o) => [o.invoiceNo, o.invoiceDate, o.lines.length])).toEqual([
      ['1', '2024-01-05 10:00:00', 2],
      ['C2', '2024-01-06 09:00:00', 1],
    ]);
    expect(orders[0]!.lines[0]!.at).toBe('2024-01-05 10:01:00');
    expect(orders[0]!.lines[1]!.at).toBeUndefined();
    const back = linesOfOrders(orders);
    expect(back.map((l) => [l.invoiceDate, l.amount, l.cancelled, l.isProduct])).toEqual([
      ['2024-01-05 10:01:00', 10, false, true],
      ['2024-01-05 10:00:00', 3, false, false],
      ['2024-01-06 09:00:00', -5, true, true],
    ]);
  });

  it('refuses an invoice with lines of two customers', () => {
    const parsed = parseOrderLines([line({ InvoiceNo: '1', InvoiceDate: '2024-01-05', CustomerID: 'a' }), line({ InvoiceNo: '1', InvoiceDate: '2024-01-05', CustomerID: 'b' })] as never);
    expect(() => ordersFromLines(parsed)).toThrow(OrderGroupingError);
  });
});

describe('monthsBack', () => {
  it('lists the current month and the ones before it, oldest first, across a year end', () => {
    expect(monthsBack(new Date('2024-02-29T12:00:00Z'), 3)).toEqual(['2023-12', '2024-01', '2024-02']);
    expect(monthsBack(new Date('2024-03-31T23:59:00Z'), 13)).toHaveLength(13);
    expect(monthsBack(new Date('2024-03-31T23:59:00Z'), 13)[0]).toBe('2023-03');
  });
});

describe('customer-models job', () => {
  it('stores a summary saying why nothing was modelled when there are too few customers', async () => {
    const orders = new MemoryOrders();
    const results = new MemoryResults();
    await importLines(orders, [line({ InvoiceNo: '1', InvoiceDate: '2024-03-01 10:00', CustomerID: 'a' }), line({ InvoiceNo: '2', InvoiceDate: '2024-03-02 10:00', CustomerID: 'b' })]);
    const result = await runCustomerModelsJob(orders, results, new Date('2024-03-10T03:00:00Z'));
    expect(result).toMatchObject({ status: 'insufficient-data', asOf: '2024-03-02', customers: 0 });
    const summary = await results.getLatestSummary();
    expect(summary?.reason).toBe('2 customers; the models need at least 10');
    expect(summary?.window.orders).toBe(2);
    expect(results.customers.size).toBe(0);

    const none = await runCustomerModelsJob(new MemoryOrders(), results, new Date('2024-03-11T03:00:00Z'));
    expect(none).toMatchObject({ status: 'insufficient-data', asOf: null, reason: 'no orders in the window' });
  });

  it('runs every model as of the last order day, with comparisons, and a re-run the same day gives the same items', async () => {
    const orders = new MemoryOrders();
    const results = new MemoryResults();
    await importLines(orders, generateOrderLines({ lastDay: '2024-06-20', days: 330, customers: 40, prefix: 'g' }));
    // A hand-made customer: £10 on 06-10, £20 on 05-11, a £5 cancellation on 06-15 (net 25, 2 invoices, recency 10 days).
    await importLines(orders, [
      line({ InvoiceNo: 'h1', InvoiceDate: '2024-05-11 09:00', CustomerID: 'hand', UnitPrice: '20' }),
      line({ InvoiceNo: 'h2', InvoiceDate: '2024-06-10 09:00', CustomerID: 'hand', Quantity: '2' }),
      line({ InvoiceNo: 'Ch3', InvoiceDate: '2024-06-15 09:00', CustomerID: 'hand', Quantity: '-1' }),
      // Dated after the run: ignored. Older than 13 months: never read.
      line({ InvoiceNo: 'future', InvoiceDate: '2024-06-30 09:00', CustomerID: 'hand' }),
      // The last order day of the file.
      line({ InvoiceNo: 'last', InvoiceDate: '2024-06-20 17:00', CustomerID: 'hand2' }),
      line({ InvoiceNo: 'old', InvoiceDate: '2023-05-30 09:00', CustomerID: 'hand' }),
    ]);
    const now = new Date('2024-06-29T02:00:00Z');
    const result = await runCustomerModelsJob(orders, results, now);
    expect(result).toMatchObject({ status: 'ok', runDay: '2024-06-29', asOf: '2024-06-20', customers: 42, skipped: [] });
    expect(orders.monthsRead[0]).toBe('2023-06');
    expect(orders.monthsRead).toHaveLength(13);

    const summary = (await results.getSummary('2024-06-29'))!;
    expect(summary.window.dropped.afterNow).toBe(1);
    expect(Object.keys(summary.models).sort()).toEqual(['churn', 'customerValue', 'demand', 'recommendations', 'segmentation']);
    for (const m of Object.values(summary.models)) expect(m.status).toBe('ok');
    const demand = summary.models.demand as Record<string, any>;
    expect(demand.comparison.validationAsOf).toBe('2024-04-21');
    expect(demand.comparison.naive.mse).toBeGreaterThanOrEqual(0);
    const seg = summary.models.segmentation as Record<string, any>;
    expect(seg.segments.reduce((s: number, x: { size: number }) => s + x.size, 0)).toBe(42);
    expect(seg.silhouette).toBe(seg.silhouetteByK[seg.k]);
    const churn = summary.models.churn as Record<string, any>;
    expect(churn.evaluation.status).toBe('ok');
    expect(churn.evaluation.validationAsOf).toBe('2024-03-22');
    // Its AUC on this synthetic file is not meaningful (the churners stop after the training windows); its shape is.
    expect(churn.evaluation.model.auc).toBeGreaterThanOrEqual(0);
    expect(churn.evaluation.recencyBaseline.auc).toBeLessThanOrEqual(1);
    const recs = summary.models.recommendations as Record<string, any>;
    expect(recs.evaluation).toMatchObject({ status: 'ok', trainedThrough: '2024-04-21', testedThrough: '2024-06-20' });

    const hand = (await results.getCustomerModel('hand'))!;
    expect(hand.profile).toEqual({ recencyDays: 10, invoices: 2, netSpend: 25 });
    expect(hand.asOf).toBe('2024-06-20');
    expect(hand.segment?.name).toEqual(expect.any(String));
    expect(hand.churnRisk).toBeGreaterThanOrEqual(0);
    expect(hand.churnRisk).toBeLessThanOrEqual(1);
    expect(hand.recommendations).toHaveLength(5);
    expect(hand.recommendations.map((r) => r.stockCode)).not.toContain('30001'); // already bought
    // Group 0 buys products 0..3 (codes 20000..20003); a regular group-0 buyer is offered none of them again.
    const g0 = (await results.getCustomerModel('gc0'))!;
    expect(g0.recommendations.every((r) => !['20000', '20001', '20002', '20003'].includes(r.stockCode))).toBe(true);
    expect(g0.predictedSpend60d).toBeGreaterThan(0);
    // A churner (stopped 120 days before the end) is riskier than the most regular buyer.
    expect((await results.getCustomerModel('gc35'))!.churnRisk!).toBeGreaterThan(g0.churnRisk!);

    const before = structuredClone([...results.customers.values()]);
    await runCustomerModelsJob(orders, results, now);
    expect([...results.customers.values()]).toEqual(before);
    expect([...results.summaries.keys()].sort()).toEqual(['2024-06-29', 'LATEST']);
  });
});
