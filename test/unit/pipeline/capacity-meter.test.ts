import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonItem } from '../../../shared/adapters/aws-billing';
import type { ImageSource } from '../../../shared/adapters/billing-images';
import { installBillingMeter } from '../../../shared/adapters/capacity-billing';
import { capacityMeter, resetCapacityMeter, setCapacityMetering } from '../../../shared/adapters/capacity-meter';
import type { Item } from '../../../shared/adapters/item-size';

/**
 * A fake DynamoDB behind the HTTP handler, so requests are really serialised and answers really
 * deserialised and unmarshalled (aws-sdk-client-mock would skip the middleware stack). Its
 * ConsumedCapacity figures play DynamoDB Local's: a transaction reports 2, not AWS's 4.
 */
function fakeDynamo() {
  const store = new Map<string, Item>();
  const requests: Array<Record<string, any>> = [];
  const key = (k: Item) => canonItem({ pk: k.pk! });
  const answer = (status: number, body: object) => ({
    response: { statusCode: status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from(JSON.stringify(body))]) },
  });
  const handle = async (request: { headers: Record<string, string>; body: string | Uint8Array }) => {
    const op = request.headers['x-amz-target']!.split('.')[1]!;
    const input = JSON.parse(typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body));
    requests.push({ op, ...input });
    const consumed = (units: number) => ({ TableName: 'tbl', CapacityUnits: units });
    if (op === 'PutItem') {
      const old = store.get(key(input.Item));
      if (input.ConditionExpression && old) {
        return answer(400, { __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException', message: 'failed', ...(input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' ? { Item: old } : {}) });
      }
      store.set(key(input.Item), input.Item);
      return answer(200, { ...(old && input.ReturnValues === 'ALL_OLD' ? { Attributes: old } : {}), ConsumedCapacity: consumed(1) });
    }
    if (op === 'GetItem') return answer(200, { Item: store.get(key(input.Key)), ConsumedCapacity: consumed(0.5) });
    if (op === 'Query') return answer(200, { Items: [...store.values()].slice(0, 1), Count: 1, ConsumedCapacity: consumed(0.5) });
    for (const t of input.TransactItems) store.set(key(t.Put.Item), t.Put.Item);
    return answer(200, { ConsumedCapacity: [consumed(2)] });
  };
  const images: ImageSource = {
    describe: async (name) => ({ name, keys: ['pk'], indexes: [{ name: 'gix', keys: ['g'], projection: 'KEYS_ONLY' }] }),
    get: async (_table, keys) => new Map(keys.flatMap((k) => (store.has(key(k)) ? [[canonItem(k), store.get(key(k))!] as const] : []))),
    page: async () => [...store.values()],
  };
  const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, requestHandler: { handle } as never });
  const doc = DynamoDBDocumentClient.from(client);
  installBillingMeter(doc, { images });
  return { doc, requests, store };
}

const rows = () =>
  Object.values(capacityMeter().breakdown).map((r) => `${r.command} ${r.index || 'table'} ${r.kind}${r.change ? ` ${r.change}` : ''} ${r.writeUnits || r.readUnits}`);

describe('capacity meter', () => {
  beforeEach(() => setCapacityMetering(true));
  afterEach(() => {
    setCapacityMetering(undefined);
    resetCapacityMeter();
  });

  it('prices writes as AWS bills them and keeps what DynamoDB Local reported apart', async () => {
    const { doc, requests } = fakeDynamo();
    const put = await doc.send(new PutCommand({ TableName: 'tbl', Item: { pk: 'a', g: 'G', text: 'x'.repeat(1500) } }));
    // The meter asked for the old image but the caller, who did not, gets none.
    expect(requests[0]).toMatchObject({ ReturnConsumedCapacity: 'INDEXES', ReturnValues: 'ALL_OLD' });
    expect(put.Attributes).toBeUndefined();
    // Overwritten by a small item without the index key: billed on the larger image, index entry deleted.
    await doc.send(new PutCommand({ TableName: 'tbl', Item: { pk: 'a' } }));
    await doc.send(new TransactWriteCommand({
      TransactItems: [{ Put: { TableName: 'tbl', Item: { pk: 'b', s: 'y'.repeat(600) } } }, { Put: { TableName: 'tbl', Item: { pk: 'c', s: 'y'.repeat(600) } } }],
    }));
    expect(rows()).toEqual(['PutItem table base 4', 'PutItem gix index put 1', 'PutItem gix index delete 1', 'TransactWriteItems.Put table base 4']);
    const m = capacityMeter();
    expect(m.writeUnits).toBe(2 + 1 + 2 + 1 + 4);
    expect(m.local.writeUnits).toBe(1 + 1 + 2);
    expect(m.itemWrites).toBe(4);
    expect(m.transactions).toEqual({ 'Put * + Put *': { count: 1, writeUnits: 4, localWriteUnits: 2 } });
    expect(m.calls).toEqual({ PutItemCommand: 2, TransactWriteItemsCommand: 1 });
  });

  it('bills a failed condition on the existing item and hides the item it asked for', async () => {
    const { doc } = fakeDynamo();
    await doc.send(new PutCommand({ TableName: 'tbl', Item: { pk: 'a', text: 'x'.repeat(2500) } }));
    resetCapacityMeter();
    const err = await doc.send(new PutCommand({ TableName: 'tbl', Item: { pk: 'a' }, ConditionExpression: 'attribute_not_exists(pk)' })).catch((e: unknown) => e);
    expect((err as Error).name).toBe('ConditionalCheckFailedException');
    expect((err as { Item?: unknown }).Item).toBeUndefined();
    expect(rows()).toEqual(['PutItem table failed 3']);
  });

  it('prices reads on whole items and unmarshals the answer as before', async () => {
    const { doc } = fakeDynamo();
    await doc.send(new PutCommand({ TableName: 'tbl', Item: { pk: 'a', text: 'x'.repeat(5000) } }));
    resetCapacityMeter();
    const got = await doc.send(new GetCommand({ TableName: 'tbl', Key: { pk: 'a' } }));
    expect(got.Item?.pk).toBe('a');
    await doc.send(new GetCommand({ TableName: 'tbl', Key: { pk: 'nope' }, ConsistentRead: true }));
    await doc.send(new QueryCommand({ TableName: 'tbl', KeyConditionExpression: 'pk = :p', FilterExpression: 'x = :x', ExpressionAttributeValues: { ':p': 'a', ':x': 1 }, ConsistentRead: true }));
    // 5 KB eventually consistent: 1; a missing item, strongly consistent: 1; the query page before its filter: 2.
    expect(rows()).toEqual(['GetItem table base 2', 'Query table base 2']);
    expect(capacityMeter().readUnits).toBe(4);
  });

  it('does nothing while metering is off', async () => {
    setCapacityMetering(false);
    const { doc, requests } = fakeDynamo();
    await doc.send(new PutCommand({ TableName: 'tbl', Item: { pk: 'a' } }));
    expect(requests[0]!.ReturnValues).toBeUndefined();
    expect(capacityMeter().calls).toEqual({});
  });
});
