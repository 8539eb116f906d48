import {
  BatchGetItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  QueryCommand,
  ScanCommand,
  type KeySchemaElement,
  type Projection as DynamoProjection,
} from '@aws-sdk/client-dynamodb';
import { canonItem, type Projection, type TableInfo } from './aws-billing';
import type { Item } from './item-size';

/**
 * What the capacity meter reads on its own to price a call: table layouts and full item
 * images. Through a client of its own, which is not metered, so these reads cost nothing
 * in the figures.
 */
export interface ImageSource {
  describe(table: string): Promise<TableInfo>;
  /** Strongly consistent reads of whole items, by `canonItem(key)`; missing items are absent. */
  get(table: string, keys: readonly Item[]): Promise<Map<string, Item>>;
  /** The items one Query/Scan page evaluates: the same page without its filter and projection. */
  page(op: 'Query' | 'Scan', input: Record<string, unknown>): Promise<Item[]>;
}

const keyNames = (schema: KeySchemaElement[] = []): string[] =>
  [...schema.filter((k) => k.KeyType === 'HASH'), ...schema.filter((k) => k.KeyType !== 'HASH')].map((k) => k.AttributeName!);

const projection = (p: DynamoProjection | undefined): Projection =>
  p?.ProjectionType === 'INCLUDE' ? (p.NonKeyAttributes ?? []) : p?.ProjectionType === 'KEYS_ONLY' ? 'KEYS_ONLY' : 'ALL';

/** Expression attribute names/values the key condition uses; DynamoDB rejects unused ones. */
function keyConditionOnly(input: Record<string, unknown>): Record<string, unknown> {
  const tokens = new Set(String(input.KeyConditionExpression ?? '').match(/[#:][A-Za-z0-9_]+/g));
  const used = (m: unknown) => (m ? Object.fromEntries(Object.entries(m).filter(([k]) => tokens.has(k))) : undefined);
  const names = used(input.ExpressionAttributeNames);
  const values = used(input.ExpressionAttributeValues);
  return { ExpressionAttributeNames: names && Object.keys(names).length ? names : undefined, ExpressionAttributeValues: values && Object.keys(values).length ? values : undefined };
}

const PAGE_INPUT = ['TableName', 'IndexName', 'KeyConditionExpression', 'KeyConditions', 'ExclusiveStartKey', 'Limit', 'ScanIndexForward', 'ConsistentRead', 'Segment', 'TotalSegments'];

export function dynamoImages(client: DynamoDBClient): ImageSource {
  const tables = new Map<string, Promise<TableInfo>>();
  const describe = async (name: string): Promise<TableInfo> => {
    const { Table: t } = await client.send(new DescribeTableCommand({ TableName: name }));
    const indexes = [...(t?.GlobalSecondaryIndexes ?? []), ...(t?.LocalSecondaryIndexes ?? [])].map((i) => ({
      name: i.IndexName!,
      keys: keyNames(i.KeySchema),
      projection: projection(i.Projection),
    }));
    return { name, keys: keyNames(t?.KeySchema), indexes };
  };
  return {
    describe(name) {
      let info = tables.get(name);
      if (!info) tables.set(name, (info = describe(name).catch((err) => (tables.delete(name), Promise.reject(err)))));
      return info;
    },
    async get(table, keys) {
      const found = new Map<string, Item>();
      const { keys: names } = await this.describe(table);
      const unique = [...new Map(keys.map((k) => [canonItem(k), k])).values()];
      for (let i = 0; i < unique.length; i += 100) {
        let request: Record<string, { Keys: Item[]; ConsistentRead: boolean }> | undefined = { [table]: { Keys: unique.slice(i, i + 100), ConsistentRead: true } };
        while (request && Object.keys(request).length) {
          const out = await client.send(new BatchGetItemCommand({ RequestItems: request }));
          for (const item of out.Responses?.[table] ?? []) found.set(canonItem(Object.fromEntries(names.map((n) => [n, item[n]!]))), item);
          request = out.UnprocessedKeys as typeof request;
        }
      }
      return found;
    },
    async page(op, input) {
      const shadow = { ...Object.fromEntries(PAGE_INPUT.map((k) => [k, input[k]])), ...keyConditionOnly(input) };
      const out = await client.send(op === 'Query' ? new QueryCommand(shadow as never) : new ScanCommand(shadow as never));
      return out.Items ?? [];
    },
  };
}
