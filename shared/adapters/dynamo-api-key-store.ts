import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError, DependencyError, NotFoundError } from '../domain/errors';
import type { ApiKeyRecord, ApiKeyStore } from '../auth/api-key-store';
import { createDocumentClient } from './dynamo-client';

/**
 * API keys in the crm table. Item `APIKEY#<sha256>` / `APIKEY`; gsi1 `APIKEYS` / `<id>`
 * lists them and finds one by id for revocation.
 */
export class DynamoApiKeyStore implements ApiKeyStore {
  private readonly doc: DynamoDBDocumentClient;
  constructor(private readonly opts: { tableName: string; client?: DynamoDBDocumentClient }) {
    this.doc = opts.client ?? createDocumentClient();
  }

  async putKey(record: ApiKeyRecord, hash: string): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.opts.tableName,
          Item: { pk: `APIKEY#${hash}`, sk: 'APIKEY', gsi1pk: 'APIKEYS', gsi1sk: record.id, ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) throw new ConflictError('API key already exists', { cause: err });
      throw new DependencyError('Could not store the API key', { cause: err });
    }
  }

  async findByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.opts.tableName, Key: { pk: `APIKEY#${hash}`, sk: 'APIKEY' } }));
    return out.Item ? toRecord(out.Item) : undefined;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const items: ApiKeyRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.opts.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': 'APIKEYS' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) items.push(toRecord(item));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async revoke(id: string, at: Date): Promise<ApiKeyRecord> {
    const found = await this.doc.send(
      new QueryCommand({
        TableName: this.opts.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p AND gsi1sk = :id',
        ExpressionAttributeValues: { ':p': 'APIKEYS', ':id': id },
      }),
    );
    const item = found.Items?.[0];
    if (!item) throw new NotFoundError(`No API key with id ${id}`);
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.opts.tableName,
        Key: { pk: item.pk, sk: item.sk },
        // Keep the first revocation time if revoked twice.
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at.toISOString() },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toRecord(out.Attributes ?? item);
  }
}

function toRecord(item: Record<string, unknown>): ApiKeyRecord {
  const { id, name, role, createdAt, revokedAt } = item as unknown as ApiKeyRecord;
  return { id, name, role, createdAt, ...(revokedAt ? { revokedAt } : {}) };
}
