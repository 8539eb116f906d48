import { BatchGetCommand, GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Order, OrderStore, OrderWriteResult } from '../analytics/customers/order-store';
import type { CustomerModelRecord, CustomerModelStore, CustomerModelSummary } from '../customers/customer-model-store';
import { customerItem, customerModelKeys, orderItem, orderKeys, summaryItems, toOrder, withoutKeys } from './customer-model-items';
import { backoff, batchPut, MAX_UNPROCESSED_RETRIES } from './dynamo-batch';
import { createDocumentClient } from './dynamo-client';
import { translate } from './dynamo-errors';

/** BatchGetItem takes 100 keys. */
const GET_BATCH = 100;

/** Orders in the crm table (layout: customer-model-items.ts). */
export class DynamoOrderStore implements OrderStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  constructor(opts: { tableName: string; client?: DynamoDBDocumentClient }) {
    this.doc = opts.client ?? createDocumentClient();
    this.table = opts.tableName;
  }

  async putOrders(orders: readonly Order[]): Promise<OrderWriteResult> {
    // Which invoices exist already: a keys-only BatchGet, so the answer can say created vs replaced.
    const existing = await this.existingInvoices(orders.map((o) => o.invoiceNo));
    await batchPut(this.doc, this.table, orders.map(orderItem), 'store orders');
    const replaced = orders.filter((o) => existing.has(o.invoiceNo)).length;
    return { orders: orders.length, created: orders.length - replaced, replaced };
  }

  async listOrdersOfMonth(month: string): Promise<Order[]> {
    const orders: Order[] = [];
    let start: Record<string, unknown> | undefined;
    try {
      do {
        const out = await this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': orderKeys.month(month) },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) orders.push(toOrder(item));
        start = out.LastEvaluatedKey;
      } while (start);
    } catch (err) {
      translate(err, 'read orders');
    }
    return orders;
  }

  private async existingInvoices(invoiceNos: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    const unique = [...new Set(invoiceNos)];
    for (let i = 0; i < unique.length; i += GET_BATCH) {
      let keys: Array<Record<string, unknown>> | undefined = unique.slice(i, i + GET_BATCH).map((n) => orderKeys.order(n));
      for (let attempt = 0; keys && keys.length; attempt++) {
        if (attempt > MAX_UNPROCESSED_RETRIES) translate(new Error('order keys stayed unprocessed (throttled)'), 'check existing orders');
        if (attempt) await backoff(attempt);
        try {
          const out = await this.doc.send(
            new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ProjectionExpression: 'pk' } } }),
          );
          for (const item of out.Responses?.[this.table] ?? []) found.add(String(item.pk).slice('ORDER#'.length));
          keys = out.UnprocessedKeys?.[this.table]?.Keys as Array<Record<string, unknown>> | undefined;
        } catch (err) {
          translate(err, 'check existing orders');
        }
      }
    }
    return found;
  }
}

/** Customer-model results in the reporting table (layout: customer-model-items.ts). */
export class DynamoCustomerModelStore implements CustomerModelStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  constructor(opts: { tableName: string; client?: DynamoDBDocumentClient }) {
    this.doc = opts.client ?? createDocumentClient();
    this.table = opts.tableName;
  }

  putCustomerModels(records: readonly CustomerModelRecord[]): Promise<void> {
    return batchPut(this.doc, this.table, records.map(customerItem), 'store customer models');
  }

  async putSummary(summary: CustomerModelSummary): Promise<void> {
    try {
      // The run and the LATEST pointer together: readers never see one without the other.
      await this.doc.send(
        new TransactWriteCommand({ TransactItems: summaryItems(summary).map((Item) => ({ Put: { TableName: this.table, Item } })) }),
      );
    } catch (err) {
      translate(err, 'store the customer-models summary');
    }
  }

  async getLatestSummary(): Promise<CustomerModelSummary | undefined> {
    return this.get({ pk: customerModelKeys.summaryPk, sk: customerModelKeys.latest }, 'read the customer-models summary');
  }

  async getSummary(runDay: string): Promise<CustomerModelSummary | undefined> {
    return this.get({ pk: customerModelKeys.summaryPk, sk: runDay }, 'read the customer-models summary');
  }

  async getCustomerModel(customerId: string): Promise<CustomerModelRecord | undefined> {
    return this.get(customerModelKeys.customer(customerId), "read the customer's model");
  }

  private async get<T>(key: Record<string, string>, what: string): Promise<T | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: key }));
      return out.Item ? withoutKeys<T>(out.Item) : undefined;
    } catch (err) {
      return translate(err, what);
    }
  }
}
