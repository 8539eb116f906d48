import { randomUUID } from 'node:crypto';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { keys } from '../../shared/adapters/crm-keys';
import { crmStores, type CrmStores } from '../../shared/adapters/crm-stores';
import { applyModelTiers } from '../../shared/customers/model-tier';
import { planCustomerUpdate, type CustomerPatch } from '../../shared/customers/update-customer';
import { ConflictError } from '../../shared/domain/errors';
import type { Classification } from '../../shared/domain/message';
import type { CustomerModelRecord } from '../../shared/customers/customer-model-store';
import { routeMessage } from '../../shared/routing/route-message';
import { inboundMessage } from '../fixtures/inbound-message';
import { localDocumentClient } from './local-clients';

let store: CrmStores;
let doc: DynamoDBDocumentClient;
let table: string;

beforeAll(() => {
  const env = inject('localEnv');
  doc = localDocumentClient(env);
  table = env.CRM_TABLE!;
  store = crmStores({ tableName: table, reportingTableName: env.REPORTING_TABLE!, client: doc });
});

const classification: Classification = {
  language: { code: 'en', confidence: 0.9 },
  sentiment: { score: 0, comparative: 0, label: 'neutral' },
  urgency: { score: 20, reasons: [] },
};

/** Stores and routes one chat message of the session; the routed message's priority and customer. */
async function send(session: string, text: string, at: string) {
  const m = inboundMessage({ thread: session, text, at });
  await store.putInboundMessage(m);
  const out = await routeMessage(store, { message: m, classification }, new Date());
  if (out.outcome === 'already-routed') throw new Error('unexpected redelivery');
  // The message's own priority (the ticket keeps the highest so far).
  const item = (await doc.send(new GetCommand({ TableName: table, Key: keys.message(m.messageId) }))).Item!;
  return { customerId: out.customerId, priority: item.priority as { score: number; reasons: string[] } };
}

/** What PATCH /v1/customers/{id} does: read, plan, apply. */
async function patch(customerId: string, body: CustomerPatch) {
  const found = await store.getCustomerWithTier(customerId);
  await store.updateCustomerTier(planCustomerUpdate(customerId, found!.tier, body, { now: new Date(), by: 'key_it' }));
  return (await store.getCustomerWithTier(customerId))!.tier;
}

const session = () => `it_${randomUUID().replaceAll('-', '')}`;

describe('customer tier on DynamoDB Local', () => {
  it("puts the manager's vip tier into the priority of the customer's next message", async () => {
    const s = session();
    const first = await send(s, 'Where is my parcel?', '2026-11-22T10:00:00.000Z');
    expect(first.priority).toEqual({ score: 20, reasons: [] });
    expect(await store.getCustomerTier(first.customerId)).toBe('standard');

    expect(await patch(first.customerId, { tier: 'vip' })).toMatchObject({ tier: 'vip', tierSetBy: 'key_it' });
    const next = await send(s, 'Any news?', '2026-11-22T10:05:00.000Z');
    expect(next.customerId).toBe(first.customerId);
    expect(next.priority).toEqual({ score: 35, reasons: ['VIP customer (+15)'] });

    // Cleared: back to standard.
    await patch(first.customerId, { tier: null });
    expect((await send(s, 'Hello?', '2026-11-22T10:10:00.000Z')).priority.reasons).toEqual([]);
  });

  it('keeps one customer per shop id (409 naming the owner), and frees it on unlink', async () => {
    const shopId = `it${randomUUID().slice(0, 8)}`;
    const a = (await send(session(), 'hi', '2026-11-22T11:00:00.000Z')).customerId;
    const b = (await send(session(), 'hi', '2026-11-22T11:00:00.000Z')).customerId;
    expect(await patch(a, { shopCustomerId: shopId })).toEqual({ shopCustomerId: shopId });

    const taken = patch(b, { shopCustomerId: shopId });
    await expect(taken).rejects.toBeInstanceOf(ConflictError);
    await expect(taken).rejects.toThrow(`Shop customer ${shopId} is already linked to customer ${a}`);
    expect((await store.getCustomerWithTier(b))!.tier).toEqual({});

    // Two managers racing for one free shop id: exactly one wins.
    const free = `${shopId}x`;
    const race = await Promise.allSettled([patch(a, { shopCustomerId: free }), patch(b, { shopCustomerId: free })]);
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const winner = (await store.getCustomerWithTier(a))!.tier.shopCustomerId === free ? a : b;
    const loser = winner === a ? b : a;
    await patch(winner, { shopCustomerId: null });
    expect(await patch(loser, { shopCustomerId: free })).toEqual({ shopCustomerId: free });
  });

  it("derives the linked customer's tier in the models job's step, which routing then uses", async () => {
    const shopId = `it${randomUUID().slice(0, 8)}`;
    const s = session();
    const c = (await send(s, 'hi', '2026-11-22T12:00:00.000Z')).customerId;
    await patch(c, { shopCustomerId: shopId });
    const rec = (id: string, v: number): CustomerModelRecord => ({
      customerId: id, runDay: '2026-11-22', asOf: '2026-11-21', country: 'UK', profile: { recencyDays: 1, invoices: 3, netSpend: v },
      segment: null, predictedSpend60d: null, predictedValue90d: v, churnRisk: null, recommendations: [],
    });
    // Ten modelled customers: the top 10 % is the single best, our shop customer.
    const records = [rec(shopId, 5000), ...Array.from({ length: 9 }, (_, i) => rec(`other${i}`, 100 * (i + 1)))];
    const result = await applyModelTiers(store, records, '2026-11-22');
    expect(result.vip).toBeGreaterThanOrEqual(1);
    expect((await store.getCustomerWithTier(c))!.tier.modelTier).toMatchObject({ tier: 'vip', runDay: '2026-11-22' });
    expect((await send(s, 'again', '2026-11-22T12:05:00.000Z')).priority.reasons).toEqual(['VIP customer (+15)']);
    // Linking another shop customer drops the derived tier: it was the old shop customer's.
    await patch(c, { shopCustomerId: `${shopId}b` });
    expect((await store.getCustomerWithTier(c))!.tier).not.toHaveProperty('modelTier');
    expect((await store.getCustomerWithTier(c))!.tier.shopCustomerId).toBe(`${shopId}b`);
  });
});
