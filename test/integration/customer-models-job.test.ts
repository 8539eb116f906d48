import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoCustomerModelStore, DynamoOrderStore } from '../../shared/adapters/dynamo-order-store';
import { runCustomerModelsJob } from '../../shared/analytics/customer-models-job';
import { cleanOrderLines, parseOrderLines } from '../../shared/analytics/customers/order-lines';
import { ordersFromLines } from '../../shared/analytics/customers/order-store';
import { generateOrderLines } from '../fixtures/generated-orders';
import { localDocumentClient } from './local-clients';

let orders: DynamoOrderStore;
let results: DynamoCustomerModelStore;

beforeAll(() => {
  const env = inject('localEnv');
  const doc = localDocumentClient(env);
  orders = new DynamoOrderStore({ tableName: env.CRM_TABLE!, client: doc });
  results = new DynamoCustomerModelStore({ tableName: env.REPORTING_TABLE!, client: doc });
});

describe('customer-models job on the local emulators', () => {
  // Months of their own far in the future and ids of their own, so other tests' orders never mix in.
  const year = 2300 + Math.floor(Math.random() * 600);
  const tag = `cm${randomUUID().slice(0, 8)}`;
  const lastDay = `${year}-08-20`;

  it('imports orders idempotently, reads them month by month, and stores the summary and customer items', async () => {
    const generated = generateOrderLines({ lastDay, days: 300, customers: 30, prefix: tag });
    const parsed = ordersFromLines(cleanOrderLines(parseOrderLines(generated as never)).lines);
    const first = await orders.putOrders(parsed);
    expect(first).toEqual({ orders: parsed.length, created: parsed.length, replaced: 0 });
    // The same file again: same keys, same items.
    expect(await orders.putOrders(parsed)).toEqual({ orders: parsed.length, created: 0, replaced: parsed.length });

    const june = await orders.listOrdersOfMonth(`${year}-06`);
    expect(june.length).toBe(parsed.filter((o) => o.invoiceDate.startsWith(`${year}-06`)).length);
    expect(june.map((o) => o.invoiceDate)).toEqual([...june.map((o) => o.invoiceDate)].sort());
    expect(june[0]).toEqual(parsed.find((o) => o.invoiceNo === june[0]!.invoiceNo));

    const now = new Date(`${lastDay}T23:00:00.000Z`);
    const result = await runCustomerModelsJob(orders, results, now);
    expect(result).toMatchObject({ status: 'ok', runDay: lastDay, orders: parsed.length, customers: 30, skipped: [] });

    const summary = await results.getSummary(lastDay);
    expect(summary).toMatchObject({ runDay: lastDay, status: 'ok', customers: 30 });
    expect(summary!.window.orders).toBe(parsed.length);
    expect(summary!.window.lines).toBe(generated.length);
    const demand = summary!.models.demand as Record<string, any>;
    expect(demand.status).toBe('ok');
    expect(demand.comparison.model.mse).toEqual(expect.any(Number));
    expect(demand.comparison.naive.mse).toEqual(expect.any(Number));
    expect((summary!.models.segmentation as Record<string, any>).segments.length).toBeGreaterThanOrEqual(3);

    const c0 = await results.getCustomerModel(`${tag}c0`);
    expect(c0).toMatchObject({ customerId: `${tag}c0`, runDay: lastDay, asOf: result.asOf });
    expect(c0!.recommendations).toHaveLength(5);
    expect(c0!.predictedSpend60d).toEqual(expect.any(Number));
    expect(c0!.churnRisk).toBeGreaterThanOrEqual(0);

    // A re-run the same day overwrites with the same results.
    await runCustomerModelsJob(orders, results, now);
    expect(await results.getCustomerModel(`${tag}c0`)).toEqual(c0);
  });
});
