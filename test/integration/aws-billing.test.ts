import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
// Loads the billing model, so the document clients made below are priced.
import '../../shared/adapters/capacity-billing';
import { capacityMeter, resetCapacityMeter, setCapacityMetering } from '../../shared/adapters/capacity-meter';
import { localDocumentClient } from './local-clients';

/**
 * The AWS billing model against DynamoDB Local, on a table with an ALL, a KEYS_ONLY and an
 * INCLUDE index. Expected figures are AWS's rules worked by hand (item sizes are a few bytes
 * under 1.5 KB, index entries of the narrow indexes far under 1 KB).
 */
const env = inject('localEnv');
const TableName = `switchboard-billing-test-${process.pid}`;
const raw = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region: env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const doc = localDocumentClient(env);

/** Model units by "command index kind" (index '-' for the table arm), summed. */
function units(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of Object.values(capacityMeter().breakdown)) {
    const k = `${r.command} ${r.index || '-'} ${r.kind}`;
    out[k] = (out[k] ?? 0) + r.writeUnits + r.readUnits;
  }
  return out;
}

const big = (pk: string) => ({ pk, sk: 'A', apk: 'A', ask: '1', kpk: 'K', ipk: 'I', isk: '1', status: 'open', text: 'x'.repeat(1400) });

beforeAll(async () => {
  const S = (AttributeName: string) => ({ AttributeName, AttributeType: 'S' as const });
  const keys = (h: string, r?: string) => [{ AttributeName: h, KeyType: 'HASH' as const }, ...(r ? [{ AttributeName: r, KeyType: 'RANGE' as const }] : [])];
  await raw.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'sk', 'apk', 'ask', 'kpk', 'ipk', 'isk'].map(S),
      KeySchema: keys('pk', 'sk'),
      GlobalSecondaryIndexes: [
        { IndexName: 'all', KeySchema: keys('apk', 'ask'), Projection: { ProjectionType: 'ALL' } },
        { IndexName: 'keys', KeySchema: keys('kpk'), Projection: { ProjectionType: 'KEYS_ONLY' } },
        { IndexName: 'inc', KeySchema: keys('ipk', 'isk'), Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['status'] } },
      ],
    }),
  );
  setCapacityMetering(true);
});

afterAll(async () => {
  setCapacityMetering(undefined);
  await raw.send(new DeleteTableCommand({ TableName }));
  raw.destroy();
});

beforeEach(() => resetCapacityMeter());

describe('AWS billing model on DynamoDB Local', () => {
  it('bills a 1.5 KB put 2 WCU plus one write per index entry', async () => {
    await doc.send(new PutCommand({ TableName, Item: big('PUT#1') }));
    expect(units()).toEqual({ 'PutItem - base': 2, 'PutItem all index': 2, 'PutItem keys index': 1, 'PutItem inc index': 1 });
    expect(capacityMeter().writeUnits).toBe(6);
  });

  it('bills a transaction of two 0.6 KB items 4 WCU, each item rounded on its own', async () => {
    const item = (pk: string) => ({ pk, sk: 'A', text: 'y'.repeat(600) });
    await doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName, Item: item('TX#1') } }, { Put: { TableName, Item: item('TX#2') } }] }));
    expect(units()).toEqual({ 'TransactWriteItems.Put - base': 4 });
    expect(capacityMeter().transactions).toEqual({ 'Put TX + Put TX': { count: 1, writeUnits: 4, localWriteUnits: expect.any(Number) } });
  });

  it('bills an index key change as a delete plus a put on that index only', async () => {
    await doc.send(new PutCommand({ TableName, Item: big('MOVE#1') }));
    resetCapacityMeter();
    await doc.send(new UpdateCommand({ TableName, Key: { pk: 'MOVE#1', sk: 'A' }, UpdateExpression: 'SET ask = :v', ExpressionAttributeValues: { ':v': '2' } }));
    expect(units()).toEqual({ 'UpdateItem - base': 2, 'UpdateItem all index': 4 });
    expect(Object.values(capacityMeter().breakdown).filter((r) => r.index === 'all').map((r) => `${r.change} ${r.writeUnits}`)).toEqual(['delete 2', 'put 2']);
  });

  it('writes nothing to KEYS_ONLY and INCLUDE indexes when no projected attribute changes', async () => {
    await doc.send(new PutCommand({ TableName, Item: big('NOTE#1') }));
    resetCapacityMeter();
    const key = { pk: 'NOTE#1', sk: 'A' };
    await doc.send(new UpdateCommand({ TableName, Key: key, UpdateExpression: 'SET note = :v', ExpressionAttributeValues: { ':v': 'n' } }));
    expect(units()).toEqual({ 'UpdateItem - base': 2, 'UpdateItem all index': 2 });
    resetCapacityMeter();
    // An included attribute: one write to the INCLUDE index; the caller's own ReturnValues is honoured.
    const out = await doc.send(new UpdateCommand({ TableName, Key: key, UpdateExpression: 'SET #s = :v', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':v': 'closed' }, ReturnValues: 'ALL_NEW' }));
    expect(out.Attributes?.status).toBe('closed');
    expect(units()).toEqual({ 'UpdateItem - base': 2, 'UpdateItem all index': 2, 'UpdateItem inc index': 1 });
  });

  it('bills a failed condition on the existing item, and a delete on the deleted item and its entries', async () => {
    await doc.send(new PutCommand({ TableName, Item: big('DEL#1') }));
    resetCapacityMeter();
    const failed = doc.send(new PutCommand({ TableName, Item: { pk: 'DEL#1', sk: 'A' }, ConditionExpression: 'attribute_not_exists(pk)' }));
    await expect(failed).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    await doc.send(new DeleteCommand({ TableName, Key: { pk: 'DEL#1', sk: 'A' } }));
    expect(units()).toEqual({ 'PutItem - failed': 2, 'DeleteItem - base': 2, 'DeleteItem all index': 2, 'DeleteItem keys index': 1, 'DeleteItem inc index': 1 });
  });

  it('bills a cancelled transaction as its prepare phase: one standard write per item, on its current image', async () => {
    await doc.send(new PutCommand({ TableName, Item: big('CANCEL#1') }));
    resetCapacityMeter();
    const cancelled = doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName, Item: { pk: 'CANCEL#1', sk: 'A' }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName, Item: { pk: 'CANCEL#2', sk: 'A' } } },
        ],
      }),
    );
    await expect(cancelled).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    expect(units()).toEqual({ 'TransactWriteItems.Put - cancelled': 3 });
    expect(Object.keys(capacityMeter().transactions)).toEqual(['cancelled (ConditionalCheckFailed): Put CANCEL + Put CANCEL']);
    expect(capacityMeter().itemWrites).toBe(0);
  });

  it("bills a Query on the page's items before the filter, index entries for an index", async () => {
    for (let i = 0; i < 6; i++) {
      await doc.send(new PutCommand({ TableName, Item: { pk: 'QUERY', sk: String(i), apk: 'QA', ask: String(i), kpk: 'QK', text: 'z'.repeat(1000) } }));
    }
    resetCapacityMeter();
    const query = (extra: Record<string, unknown>) =>
      doc.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'QUERY' }, ConsistentRead: true, ...extra }));
    // Six items of about 1.03 KB: 6.2 KB, two 4 KB steps, strongly consistent.
    await query({});
    expect(units()).toEqual({ 'Query - base': 2 });
    resetCapacityMeter();
    const filtered = await query({ FilterExpression: 'attribute_exists(nothing)', ProjectionExpression: 'sk' });
    expect(filtered.Items).toEqual([]);
    expect(units()).toEqual({ 'Query - base': 2 });
    resetCapacityMeter();
    // GSI queries are eventually consistent: ALL entries are whole items (1 RCU), KEYS_ONLY entries are tiny (0.5).
    await doc.send(new QueryCommand({ TableName, IndexName: 'all', KeyConditionExpression: 'apk = :a', ExpressionAttributeValues: { ':a': 'QA' } }));
    await doc.send(new QueryCommand({ TableName, IndexName: 'keys', KeyConditionExpression: 'kpk = :k', ExpressionAttributeValues: { ':k': 'QK' } }));
    expect(units()).toEqual({ 'Query all index': 1, 'Query keys index': 0.5 });
  });

  it('bills a GetItem on the whole item, and the minimum for a missing one', async () => {
    await doc.send(new PutCommand({ TableName, Item: { pk: 'GET#1', sk: 'A', text: 'g'.repeat(5000) } }));
    resetCapacityMeter();
    await doc.send(new GetCommand({ TableName, Key: { pk: 'GET#1', sk: 'A' }, ProjectionExpression: 'pk', ConsistentRead: true }));
    await doc.send(new GetCommand({ TableName, Key: { pk: 'GET#2', sk: 'A' } }));
    expect(units()).toEqual({ 'GetItem - base': 2.5 });
    expect(capacityMeter().unpriced).toBe(0);
  });
});
