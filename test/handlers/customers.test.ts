import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiEvent, handlerEnv, lambdaContext } from '../fixtures/api-event';

const ddb = mockClient(DynamoDBDocumentClient);
let handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv);
  ({ handler } = (await import('../../functions/api/customers')) as never);
});

const id = `cus_${'a'.repeat(32)}`;
const other = `cus_${'b'.repeat(32)}`;
const profile = (over: Record<string, unknown> = {}) => ({
  pk: `CUST#${id}`,
  sk: 'PROFILE',
  type: 'customer',
  customerId: id,
  name: 'Ana',
  email: 'ana@example.com',
  identities: [{ channel: 'email', address: 'ana@example.com' }],
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  ...over,
});
const model = { customerId: '17850', runDay: '2026-03-08', asOf: '2026-03-07', segment: { id: 1, name: 'champions' }, predictedValue90d: 2500, churnRisk: 0.07, recommendations: [] };
const modelTier = { tier: 'vip', runDay: '2026-03-08', reason: 'predicted 90-day value £2500.00 is in the top 10 % of 1463 modelled customers (cut £900.00)' };

/** The items GetCommand answers, by pk (crm and reporting tables alike; their keys differ). */
let items: Map<string, Record<string, unknown>>;
beforeEach(() => {
  ddb.reset();
  items = new Map();
  ddb.on(GetCommand).callsFake((input: { Key: { pk: string } }) => ({ Item: items.get(input.Key.pk) }));
});

const manager = { keyId: 'key_mgr', role: 'manager' };
const call = (routeKey: string, opts: Omit<Parameters<typeof apiEvent>[0], 'routeKey'> = {}) =>
  handler(apiEvent({ routeKey, auth: manager, pathParameters: { id }, ...opts }), lambdaContext('customers'));
const GET = 'GET /v1/customers/{id}';
const PATCH = 'PATCH /v1/customers/{id}';
const transactItems = (n = 0) => ddb.commandCalls(TransactWriteCommand)[n]!.args[0].input.TransactItems as Array<Record<string, any>>;
const canceled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

describe('GET /v1/customers/{id}', () => {
  it('answers the profile with its derived tier, the linked shop id and its latest model facts', async () => {
    items.set(`CUST#${id}`, profile({ shopCustomerId: '17850', modelTier }));
    items.set('CUSTOMER#17850', { pk: 'CUSTOMER#17850', sk: 'MODEL', type: 'customer-model', ...model });
    const res = await call(GET);
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.customer).toMatchObject({ customerId: id, name: 'Ana', tier: 'vip', tierSource: 'model', shopCustomerId: '17850', modelTier });
    expect(body.customer.tierReason).toBe(`${modelTier.reason} (customer models of 2026-03-08)`);
    expect(body.customer).not.toHaveProperty('pk');
    expect(body.model).toEqual(model);
  });

  it("says standard by default, with no model facts when unlinked (and reads no reporting item)", async () => {
    items.set(`CUST#${id}`, profile());
    const body = JSON.parse((await call(GET)).body);
    expect(body.customer).toMatchObject({ tier: 'standard', tierSource: 'default', tierReason: 'no tier set and no linked shop customer' });
    expect(body.model).toBeNull();
    expect(ddb.commandCalls(GetCommand)).toHaveLength(1);
  });

  it('answers 404 for an unknown customer and 400 for a malformed id', async () => {
    const missing = await call(GET);
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body).detail).toBe(`No customer ${id}.`);
    const bad = await call(GET, { pathParameters: { id: 'nope' } });
    expect(bad.statusCode).toBe(400);
    expect(JSON.parse(bad.body).details).toEqual([{ path: 'id', message: 'is not a customer id' }]);
  });
});

describe('PATCH /v1/customers/{id}', () => {
  it("sets the manager's tier in one conditional update, and answers the profile as read back", async () => {
    items.set(`CUST#${id}`, profile({ modelTier: { ...modelTier, tier: 'standard' } }));
    ddb.on(TransactWriteCommand).callsFake(() => {
      items.set(`CUST#${id}`, profile({ tier: 'vip', tierSetAt: '2026-03-09T10:00:00.000Z', tierSetBy: 'key_mgr', modelTier: { ...modelTier, tier: 'standard' } }));
      return {};
    });
    const res = await call(PATCH, { body: { tier: 'vip' } });
    expect(res.statusCode).toBe(200);
    const [update, ...rest] = transactItems();
    expect(rest).toEqual([]);
    expect(update!.Update).toMatchObject({
      Key: { pk: `CUST#${id}`, sk: 'PROFILE' },
      UpdateExpression: 'SET #u = :u, #t = :t, tierSetAt = :ta, tierSetBy = :tb',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#u': 'updatedAt', '#t': 'tier' },
    });
    expect(update!.Update.ExpressionAttributeValues).toMatchObject({ ':t': 'vip', ':tb': 'key_mgr' });
    const { customer } = JSON.parse(res.body);
    // The manager's tier wins over the models' standard.
    expect(customer).toMatchObject({ tier: 'vip', tierSource: 'manager', managerTier: { tier: 'vip', setBy: 'key_mgr' } });
  });

  it('links a shop customer with a link item created only if free, and removes the old link and the derived tier', async () => {
    items.set(`CUST#${id}`, profile({ shopCustomerId: '12346', modelTier }));
    ddb.on(TransactWriteCommand).resolves({});
    expect((await call(PATCH, { body: { shopCustomerId: ' 17850 ' } })).statusCode).toBe(200);
    const [update, put, del] = transactItems();
    expect(update!.Update.UpdateExpression).toBe('SET #u = :u, shopCustomerId = :s REMOVE modelTier');
    expect(update!.Update.ConditionExpression).toBe('attribute_exists(pk) AND shopCustomerId = :prev');
    expect(update!.Update.ExpressionAttributeValues).toMatchObject({ ':s': '17850', ':prev': '12346' });
    expect(put!.Put).toMatchObject({
      Item: { pk: 'SHOPCUST#17850', sk: 'LINK', customerId: id, shopCustomerId: '17850', gsi1pk: 'SHOPCUSTS', gsi1sk: '17850' },
      ConditionExpression: 'attribute_not_exists(pk) OR customerId = :me',
    });
    expect(del!.Delete).toMatchObject({ Key: { pk: 'SHOPCUST#12346', sk: 'LINK' }, ConditionExpression: 'attribute_not_exists(pk) OR customerId = :me' });

    // null unlinks: the link item goes, the profile must still hold the link it was read with.
    items.set(`CUST#${id}`, profile({ shopCustomerId: '17850' }));
    expect((await call(PATCH, { body: { shopCustomerId: null, tier: null } })).statusCode).toBe(200);
    const [unlink, drop] = transactItems(1);
    expect(unlink!.Update.UpdateExpression).toBe('SET #u = :u REMOVE #t, tierSetAt, tierSetBy, modelTier, shopCustomerId');
    expect(drop!.Delete.Key).toEqual({ pk: 'SHOPCUST#17850', sk: 'LINK' });
  });

  it('answers 409 naming the owner when the shop id is linked to another customer', async () => {
    items.set(`CUST#${id}`, profile());
    items.set('SHOPCUST#17850', { pk: 'SHOPCUST#17850', sk: 'LINK', customerId: other, shopCustomerId: '17850' });
    ddb.on(TransactWriteCommand).rejects(canceled('None', 'ConditionalCheckFailed'));
    const res = await call(PATCH, { body: { shopCustomerId: '17850' } });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(res.body).detail).toBe(`Shop customer 17850 is already linked to customer ${other}; unlink it there first.`);
  });

  it('answers 409 when the link changed since it was read, 404 for an unknown customer', async () => {
    items.set(`CUST#${id}`, profile());
    ddb.on(TransactWriteCommand).rejects(canceled('ConditionalCheckFailed', 'None'));
    const raced = await call(PATCH, { body: { shopCustomerId: '17850' } });
    expect(raced.statusCode).toBe(409);
    expect(JSON.parse(raced.body).detail).toMatch(/changed since it was read/);

    items.clear();
    const missing = await call(PATCH, { body: { tier: 'vip' } });
    expect(missing.statusCode).toBe(404);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('answers 400 with readable details for a bad body, before writing anything', async () => {
    items.set(`CUST#${id}`, profile());
    const bad = await call(PATCH, { body: { tier: 'gold', shopCustomerId: 'a b', extra: 1 } });
    expect(bad.statusCode).toBe(400);
    const details = JSON.parse(bad.body).details as Array<{ path: string; message: string }>;
    expect(details).toContainEqual({ path: 'tier', message: 'must be "vip", "standard" or null (null clears it)' });
    expect(details).toContainEqual({ path: 'shopCustomerId', message: "must be the shop's customer id (1–64 of A-Za-z0-9_.:-) or null to unlink" });
    expect(details.map((d) => d.path)).toContain('(body)');
    const empty = await call(PATCH, { body: {} });
    expect(empty.statusCode).toBe(400);
    expect(JSON.parse(empty.body).detail).toBe('Give at least one of `tier` and `shopCustomerId`.');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
