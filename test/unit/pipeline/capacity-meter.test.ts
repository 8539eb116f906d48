import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { capacityMeter, meterCapacity, resetCapacityMeter } from '../../../shared/adapters/capacity-meter';

describe('capacity meter', () => {
  afterEach(() => resetCapacityMeter());

  it('asks for consumed capacity and sums write units, read units and items written', async () => {
    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    );
    meterCapacity(doc, { SWITCHBOARD_CAPACITY_METER: '1' });
    // Answers in place of DynamoDB, after serialisation (aws-sdk-client-mock would skip the middleware stack).
    const asked: string[] = [];
    doc.middlewareStack.add(
      () => async (args) => {
        const body = JSON.parse(String((args.request as { body: string }).body)) as { ReturnConsumedCapacity?: string; TransactItems?: unknown[] };
        asked.push(body.ReturnConsumedCapacity ?? 'none');
        const ConsumedCapacity = body.TransactItems ? [{ CapacityUnits: 4 }, { CapacityUnits: 2 }] : { CapacityUnits: 1 };
        return { output: { ConsumedCapacity, $metadata: {} }, response: {} } as never;
      },
      { step: 'build', name: 'fakeDynamo' },
    );
    await doc.send(new PutCommand({ TableName: 't', Item: { pk: 'a' } }));
    await doc.send(new GetCommand({ TableName: 't', Key: { pk: 'a' } }));
    await doc.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: 't', Item: { pk: 'b' } } }, { Put: { TableName: 't', Item: { pk: 'c' } } }],
      }),
    );
    const m = capacityMeter();
    expect(m.writeUnits).toBe(7);
    expect(m.readUnits).toBe(1);
    expect(m.itemWrites).toBe(3);
    expect(asked).toEqual(['TOTAL', 'TOTAL', 'TOTAL']);
  });
});
