import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { backoff, MAX_UNPROCESSED_RETRIES } from './dynamo-batch';
import { encodeCursor, INDEX_KEYS, startKeyOf } from './crm-keys';
import { createDocumentClient } from './dynamo-client';
import { isConditionFailure, translate } from './dynamo-errors';

export type Item = Record<string, unknown>;
export type Key = { pk: string; sk: string };

export interface PageQuery {
  index?: 'gsi1' | 'gsi2' | 'gsi3';
  pk: string;
  /** Sort key bounds: `from` and `through` (inclusive), or `before` alone (exclusive). */
  before?: string;
  from?: string;
  through?: string;
  /** A FilterExpression over attributes named `#f0`, `#f1`, … with values `:f0`, `:f1`, … (all must equal). */
  equals?: Record<string, unknown>;
  forward?: boolean;
  limit: number;
  cursor?: string;
}

/** BatchGetItem takes 100 keys per call. */
const GET_BATCH = 100;

/**
 * The one helper every crm-table adapter shares: the client, paged and filtered queries (a
 * filtered page is filled from as many queries as it takes), the read-every-page loop, batched
 * gets with retry of unprocessed keys, and error translation.
 */
export class CrmTable {
  readonly doc: DynamoDBDocumentClient;
  constructor(readonly name: string, client?: DynamoDBDocumentClient) {
    this.doc = client ?? createDocumentClient();
  }

  async get(key: Key, what: string, consistent = true): Promise<Item | undefined> {
    try {
      return (await this.doc.send(new GetCommand({ TableName: this.name, Key: key, ConsistentRead: consistent }))).Item;
    } catch (err) {
      return translate(err, what);
    }
  }

  async put(item: Item, what: string): Promise<void> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.name, Item: item }));
    } catch (err) {
      translate(err, what);
    }
  }

  /** A conditional update on this table: false when its condition fails (the item is left as it was). */
  async updateIf(update: Omit<UpdateCommandInput, 'TableName'>, what: string): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand({ TableName: this.name, ...update }));
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      return translate(err, what);
    }
  }

  /** Items by key, in the keys' order; undefined where an item is missing. */
  async getInOrder(keys: readonly Key[], what: string, consistent = false): Promise<Array<Item | undefined>> {
    const found = await this.batchGet(keys, what, consistent);
    const byKey = new Map(found.map((i) => [`${String(i.pk)}\n${String(i.sk)}`, i]));
    return keys.map((k) => byKey.get(`${k.pk}\n${k.sk}`));
  }

  /** One page of a query; with `equals`, pages on until `limit` items pass the filter or the partition ends. */
  async page(q: PageQuery, what: string): Promise<{ items: Item[]; next?: string }> {
    const items: Item[] = [];
    let start = startKeyOf(q.cursor);
    do {
      const out = await this.query(q, start, q.limit - items.length, what);
      items.push(...out.items);
      start = out.last;
    } while (q.equals && start && items.length < q.limit);
    return { items, ...(start ? { next: encodeCursor(start) } : {}) };
  }

  /** Every item of a query, page after page. */
  async all(q: Omit<PageQuery, 'limit' | 'cursor'>, what: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.query(q, start, undefined, what);
      items.push(...out.items);
      start = out.last;
    } while (start);
    return items;
  }

  /** Items by key, in no particular order; missing ones are left out. */
  async batchGet(keys: readonly Key[], what: string, consistent = false): Promise<Item[]> {
    const found: Item[] = [];
    for (let i = 0; i < keys.length; i += GET_BATCH) {
      let request: Record<string, { Keys: Key[]; ConsistentRead: boolean }> | undefined = { [this.name]: { Keys: keys.slice(i, i + GET_BATCH), ConsistentRead: consistent } };
      for (let attempt = 0; request && Object.keys(request).length; attempt++) {
        if (attempt > MAX_UNPROCESSED_RETRIES) translate(new Error(`${what}: keys stayed unprocessed (throttled)`), what);
        if (attempt) await backoff(attempt);
        try {
          const out = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
          found.push(...(out.Responses?.[this.name] ?? []));
          request = out.UnprocessedKeys as typeof request;
        } catch (err) {
          translate(err, what);
        }
      }
    }
    return found;
  }

  private async query(q: Omit<PageQuery, 'cursor' | 'limit'>, start: Item | undefined, limit: number | undefined, what: string): Promise<{ items: Item[]; last?: Item }> {
    const pkName = q.index ? INDEX_KEYS[q.index].pk : 'pk';
    const skName = q.index ? INDEX_KEYS[q.index].sk : 'sk';
    const names: Record<string, string> = { '#pk': pkName };
    const values: Record<string, unknown> = { ':pk': q.pk };
    let condition = '#pk = :pk';
    if (q.before !== undefined || q.from !== undefined || q.through !== undefined) names['#sk'] = skName;
    if (q.from !== undefined && q.through !== undefined) (condition += ' AND #sk BETWEEN :from AND :through'), Object.assign(values, { ':from': q.from, ':through': q.through });
    else if (q.before !== undefined) (condition += ' AND #sk < :before'), (values[':before'] = q.before);
    else if (q.from !== undefined) (condition += ' AND #sk >= :from'), (values[':from'] = q.from);
    const filters = Object.entries(q.equals ?? {}).map(([name, value], i) => {
      names[`#f${i}`] = name;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });
    try {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.name,
          ...(q.index ? { IndexName: q.index } : {}),
          KeyConditionExpression: condition,
          ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: q.forward ?? true,
          ...(limit ? { Limit: limit } : {}),
          ExclusiveStartKey: start,
        }),
      );
      return { items: out.Items ?? [], ...(out.LastEvaluatedKey ? { last: out.LastEvaluatedKey } : {}) };
    } catch (err) {
      return translate(err, what);
    }
  }
}

/** What every crm-table adapter is built from (`reportingTableName`: for those that also count in the reporting table). */
export interface CrmAdapterOptions {
  tableName: string;
  reportingTableName?: string;
  client?: DynamoDBDocumentClient;
}

/** The fields every crm-table adapter shares: the client, the table and its helper, the reporting table. */
export abstract class CrmAdapter {
  protected readonly doc: DynamoDBDocumentClient;
  protected readonly table: string;
  protected readonly crm: CrmTable;
  protected readonly reportingTable: string | undefined;
  constructor(opts: CrmAdapterOptions) {
    this.crm = new CrmTable(opts.tableName, opts.client);
    this.doc = this.crm.doc;
    this.table = opts.tableName;
    this.reportingTable = opts.reportingTableName;
  }
}
