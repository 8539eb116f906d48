import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { ensureTable, StaleLocalDataError } from '../../infra/local/resources';
import { tables } from '../../infra/topology';

describe('a persistent data folder from an older table layout', () => {
  it('is refused with a message that names the index and what to do, not used with old index keys', async () => {
    const env = inject('localEnv');
    const dynamo = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region: env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const TableName = `old-layout-${randomUUID()}`;
    const spec = tables.crm;
    try {
      // The layout before the received-day and work indexes: every index projected ALL.
      await dynamo.send(
        new CreateTableCommand({
          TableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [...new Set([spec.partitionKey, spec.sortKey, ...spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey])])].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
          KeySchema: [
            { AttributeName: spec.partitionKey, KeyType: 'HASH' },
            { AttributeName: spec.sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: spec.indexes.map((i) => ({
            IndexName: i.name,
            KeySchema: [
              { AttributeName: i.partitionKey, KeyType: 'HASH' },
              { AttributeName: i.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
        }),
      );
      const refused = ensureTable(dynamo, TableName, spec);
      await expect(refused).rejects.toBeInstanceOf(StaleLocalDataError);
      await expect(ensureTable(dynamo, TableName, spec)).rejects.toThrow(/index gsi2: .*ALL; this version needs .*KEYS_ONLY.*--data-dir/);
      // The current layout passes, on a second run too.
      const fresh = `new-layout-${randomUUID()}`;
      const streamArn = await ensureTable(dynamo, fresh, spec);
      await expect(ensureTable(dynamo, fresh, spec)).resolves.toBe(streamArn);
    } finally {
      dynamo.destroy();
    }
  });

  it('gets the crm stream switched on when it was made before the stream', async () => {
    const env = inject('localEnv');
    const dynamo = new DynamoDBClient({ endpoint: env.AWS_ENDPOINT_URL_DYNAMODB, region: env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const TableName = `no-stream-${randomUUID()}`;
    try {
      const { stream, ...before } = tables.crm;
      expect(stream).toBeDefined();
      await expect(ensureTable(dynamo, TableName, before)).resolves.toBeUndefined();
      const streamArn = await ensureTable(dynamo, TableName, tables.crm);
      expect(streamArn).toMatch(/stream/);
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName }));
      expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    } finally {
      dynamo.destroy();
    }
  });
});
