import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiEvent, handlerEnv, lambdaContext } from '../fixtures/api-event';

const ddb = mockClient(DynamoDBDocumentClient);
let handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv);
  ({ handler } = (await import('../../functions/api/customer-reports')) as never);
});
beforeEach(() => ddb.reset());

const auth = { keyId: 'k1', role: 'manager' };
const call = (opts: Parameters<typeof apiEvent>[0]) => handler(apiEvent({ auth, ...opts }), lambdaContext('customerReports'));

const summary = { runDay: '2026-03-08', asOf: '2026-03-07', status: 'ok', models: { segmentation: { status: 'ok', k: 3 } } };
const customer = { customerId: '17850', runDay: '2026-03-08', segment: { id: 1, name: 'champions' }, churnRisk: 0.07, recommendations: [] };

describe('customer reports', () => {
  it('serves the latest summary, and 404 with a hint before the job has run', async () => {
    ddb.on(GetCommand).resolvesOnce({});
    const missing = await call({ routeKey: 'GET /v1/reports/customers' });
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body).detail).toMatch(/No customer models yet/);

    ddb.on(GetCommand, { Key: { pk: 'MODEL#customers', sk: 'LATEST' } }).resolves({ Item: { pk: 'MODEL#customers', sk: 'LATEST', type: 'customer-models', ...summary } });
    const found = await call({ routeKey: 'GET /v1/reports/customers' });
    expect(found.statusCode).toBe(200);
    expect(JSON.parse(found.body)).toEqual({ summary });
  });

  it("serves one customer's item, flagged current when it is from the latest run, and 404 for an unknown customer", async () => {
    ddb.on(GetCommand, { Key: { pk: 'MODEL#customers', sk: 'LATEST' } }).resolves({ Item: { pk: 'MODEL#customers', sk: 'LATEST', ...summary } });
    ddb.on(GetCommand, { Key: { pk: 'CUSTOMER#17850', sk: 'MODEL' } }).resolves({ Item: { pk: 'CUSTOMER#17850', sk: 'MODEL', type: 'customer-model', ...customer } });
    ddb.on(GetCommand, { Key: { pk: 'CUSTOMER#999', sk: 'MODEL' } }).resolves({});
    const found = await call({ routeKey: 'GET /v1/reports/customers/{customerId}', pathParameters: { customerId: '17850' } });
    expect(found.statusCode).toBe(200);
    expect(JSON.parse(found.body)).toEqual({ customer, current: true });

    const missing = await call({ routeKey: 'GET /v1/reports/customers/{customerId}', pathParameters: { customerId: '999' } });
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body).detail).toBe("No model results for customer 999: no order of theirs in the job's window.");
  });

  const channels = [
    { channel: 'email', valuePerContact: 2, costPerContact: 0.5, capacity: 1000 },
    { channel: 'sms', valuePerContact: 3, costPerContact: 1, capacity: 300 },
    { channel: 'phone', valuePerContact: 10, costPerContact: 5, capacity: 50 },
  ];

  it('allocates a budget across channels with the binding constraints (the worked example of docs/customer-models.md §6)', async () => {
    const res = await call({ routeKey: 'POST /v1/reports/channel-allocation', body: { budget: 700, channels } });
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.allocation.map((a: { channel: string; contacts: number }) => [a.channel, Math.round(a.contacts)])).toEqual([
      ['email', 1000],
      ['sms', 200],
      ['phone', 0],
    ]);
    expect(body.totalValue).toBeCloseTo(2600, 6);
    expect(body.totalCost).toBeCloseTo(700, 6);
    expect(body.binding).toEqual(['budget', 'capacity:email']);

    // No capacity = no limit: the best value per cost takes the whole budget (phone: 10/5 = 2 per £, email 4 per £).
    const open = await call({ routeKey: 'POST /v1/reports/channel-allocation', body: { budget: 100, channels: [{ channel: 'email', valuePerContact: 2, costPerContact: 0.5 }, { channel: 'phone', valuePerContact: 10, costPerContact: 5, capacity: null }] } });
    expect(JSON.parse(open.body).allocation.map((a: { contacts: number }) => Math.round(a.contacts))).toEqual([200, 0]);
  });

  it('answers 422 with the reason when the minimum shares cannot all be met, 400 for a malformed problem', async () => {
    const infeasible = await call({
      routeKey: 'POST /v1/reports/channel-allocation',
      body: { budget: 700, channels: channels.map((c) => ({ ...c, minShare: 0.4 })) },
    });
    expect(infeasible.statusCode).toBe(422);
    expect(JSON.parse(infeasible.body).detail).toBe('The minimum shares add up to 1.2, more than 1: no allocation can meet them all.');

    const bad = await call({ routeKey: 'POST /v1/reports/channel-allocation', body: { budget: -1, channels: [{ ...channels[0], costPerContact: 0 }, channels[0]] } });
    expect(bad.statusCode).toBe(400);
    const paths = JSON.parse(bad.body).details.map((d: { path: string; message: string }) => `${d.path}: ${d.message}`);
    expect(paths).toEqual(expect.arrayContaining(['budget: must be 0 or more', 'channels.0.costPerContact: must be more than 0']));
  });
});
