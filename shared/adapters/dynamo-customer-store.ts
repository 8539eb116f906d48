import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Customer } from '../domain/ticket';
import type { Page } from '../lib/page';
import type { CustomerStore, Identity } from '../customers/customer-store';
import { keys } from './crm-keys';
import { CrmTable } from './crm-table';
import { createDocumentClient } from './dynamo-client';
import { failedConditions, translate } from './dynamo-errors';
import { toCustomer } from './crm-items';
import type { CustomerTier, CustomerTierFacts, ModelTier } from '../customers/customer-tier';
import type { CustomerTierChange, ShopCustomerLink } from '../customers/update-customer';
import { CustomerTierTable } from './dynamo-customer-tier';


/** Customers and their identities in the crm table (keys: crm-keys.ts); tiers and shop links: dynamo-customer-tier.ts. */
export class DynamoCustomerStore implements CustomerStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly crm: CrmTable;
  constructor(opts: { tableName: string; client?: DynamoDBDocumentClient }) {
    this.doc = opts.client ?? createDocumentClient();
    this.table = opts.tableName;
    this.crm = new CrmTable(this.table, this.doc);
  }

  async findIdentities(identities: Identity[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (identities.length === 0) return found;
    const items = await this.crm.batchGet(identities.map((i) => keys.identity(i.channel, i.address)), 'look up identities', true);
    for (const item of items) found.set(`${item.channel}#${item.address}`, String(item.customerId));
    return found;
  }

  async linkIdentities(
    customer: Pick<Customer, 'customerId' | 'name' | 'email'>,
    identities: Identity[],
    now: Date,
  ): Promise<Map<string, string>> {
    const at = now.toISOString();
    const names: Record<string, string> = { '#u': 'updatedAt', '#c': 'createdAt', '#t': 'type', '#id': 'customerId' };
    const values: Record<string, unknown> = { ':now': at, ':t': 'customer', ':id': customer.customerId, ':ids': identities };
    let set = '#u = :now, #c = if_not_exists(#c, :now), #t = :t, #id = :id';
    if (customer.name) (set += ', #n = :n'), (names['#n'] = 'name'), (values[':n'] = customer.name);
    if (customer.email) (set += ', #e = if_not_exists(#e, :e)'), (names['#e'] = 'email'), (values[':e'] = customer.email);
    set += ', identities = list_append(if_not_exists(identities, :empty), :ids)';
    values[':empty'] = [];
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            ...identities.map((i) => ({
              Put: {
                TableName: this.table,
                Item: { ...keys.identity(i.channel, i.address), type: 'identity', ...i, customerId: customer.customerId, createdAt: at },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
            {
              Update: {
                TableName: this.table,
                Key: keys.customer(customer.customerId),
                UpdateExpression: `SET ${set}`,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
          ],
        }),
      );
      return new Map();
    } catch (err) {
      const failed = failedConditions(err);
      if (!failed?.length) return translate(err, 'link identities');
      // Another writer linked some of these first: report who owns them.
      const taken = failed.flatMap((i) => (identities[i] ? [identities[i]] : []));
      return this.findIdentities(taken);
    }
  }

  async getCustomer(customerId: string): Promise<Customer | undefined> {
    const item = await this.crm.get(keys.customer(customerId), 'read the customer', false);
    return item ? toCustomer(item) : undefined;
  }


  // ---- Customer tier and shop-customer link: items and writes in dynamo-customer-tier.ts ----
  private tierTable?: CustomerTierTable;

  private get tiers(): CustomerTierTable {
    return (this.tierTable ??= new CustomerTierTable(this.doc, this.table));
  }

  getCustomerTier(customerId: string): Promise<CustomerTier | undefined> {
    return this.tiers.getTier(customerId);
  }

  getCustomerWithTier(customerId: string): Promise<{ customer: Customer; tier: CustomerTierFacts } | undefined> {
    return this.tiers.getWithTier(customerId);
  }

  updateCustomerTier(change: CustomerTierChange): Promise<void> {
    return this.tiers.update(change);
  }

  listShopCustomerLinks(opts: { limit: number; cursor?: string }): Promise<Page<ShopCustomerLink>> {
    return this.tiers.listLinks(opts);
  }

  setModelTier(link: ShopCustomerLink, modelTier: ModelTier): Promise<boolean> {
    return this.tiers.setModelTier(link, modelTier);
  }
}
