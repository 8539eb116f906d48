import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Customer, FirstContact } from '../domain/ticket';
import type { Page } from '../lib/page';
import type { CustomerStore, Identity } from '../customers/customer-store';
import { keys } from './crm-keys';
import { CrmAdapter } from './crm-table';
import { failedConditions, isConditionFailure, translate } from './dynamo-errors';
import { toCustomer } from './crm-items';
import type { CustomerTier, CustomerTierFacts, ModelTier } from '../customers/customer-tier';
import type { CustomerTierChange, ShopCustomerLink } from '../customers/update-customer';
import { CustomerTierTable } from './dynamo-customer-tier';


/** Customers and their identities in the crm table (keys: crm-keys.ts); tiers and shop links: dynamo-customer-tier.ts. */
export class DynamoCustomerStore extends CrmAdapter implements CustomerStore {
  async findIdentities(identities: Identity[], opts: { consistent?: boolean } = {}): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (identities.length === 0) return found;
    const items = await this.crm.batchGet(identities.map((i) => keys.identity(i.channel, i.address)), 'look up identities', opts.consistent ?? true);
    for (const item of items) found.set(`${item.channel}#${item.address}`, String(item.customerId));
    return found;
  }

  async linkIdentities(
    customer: Pick<Customer, 'customerId' | 'name' | 'email' | 'firstContact'>,
    identities: Identity[],
    now: Date,
    opts: { newCustomer?: boolean } = {},
  ): Promise<Map<string, string>> {
    const at = now.toISOString();
    const identityPut = (i: Identity) => ({
      TableName: this.table,
      Item: { ...keys.identity(i.channel, i.address), type: 'identity', ...i, customerId: customer.customerId, createdAt: at },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    if (opts.newCustomer) return this.linkNewCustomer(customer, identities, at, identityPut);
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
            ...identities.map((i) => ({ Put: identityPut(i) })),
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

  /**
   * A new customer: the profile first, then each identity, plain conditional puts (a new
   * customer's id is new, so nothing else writes the profile). A crash between them leaves a
   * profile no identity points at, never an identity without a profile.
   */
  private async linkNewCustomer(
    customer: Pick<Customer, 'customerId' | 'name' | 'email' | 'firstContact'>,
    identities: Identity[],
    at: string,
    identityPut: (i: Identity) => Record<string, unknown>,
  ): Promise<Map<string, string>> {
    const profile = {
      ...keys.customer(customer.customerId),
      type: 'customer',
      customerId: customer.customerId,
      ...(customer.name ? { name: customer.name } : {}),
      ...(customer.email ? { email: customer.email } : {}),
      identities,
      ...(customer.firstContact ? { firstContact: customer.firstContact } : {}),
      createdAt: at,
      updatedAt: at,
    };
    const taken: Identity[] = [];
    try {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: profile, ConditionExpression: 'attribute_not_exists(pk)' }));
      for (const i of identities) {
        try {
          await this.doc.send(new PutCommand(identityPut(i) as never));
        } catch (err) {
          if (!isConditionFailure(err)) throw err;
          taken.push(i);
        }
      }
    } catch (err) {
      return translate(err, 'create the customer');
    }
    // Another writer linked some of these first: report who owns them.
    return taken.length ? this.findIdentities(taken) : new Map();
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

  getRoutingFacts(customerId: string, opts: { consistent?: boolean } = {}): Promise<{ tier: CustomerTier; firstContact?: FirstContact } | undefined> {
    return this.tiers.getRoutingFacts(customerId, opts);
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
