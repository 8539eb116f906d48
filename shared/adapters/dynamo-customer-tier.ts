import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CUSTOMER_TIERS, effectiveTier, type CustomerTier, type CustomerTierFacts, type ModelTier } from '../customers/customer-tier';
import type { CustomerTierChange, ShopCustomerLink } from '../customers/update-customer';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { Customer, FirstContact } from '../domain/ticket';
import type { Page } from '../lib/page';
import { encodeCursor, keys, startKeyOf } from './crm-keys';
import { toCustomer, toFirstContact } from './crm-items';
import { failedConditions, isConditionFailure, translate } from './dynamo-errors';

/**
 * Customer tier and shop-customer links in the crm table (DynamoCustomerStore delegates here):
 * - on the customer profile `CUST#<id>` / `PROFILE`: `tier`, `tierSetAt`, `tierSetBy` (a
 *   manager's), `modelTier { tier, runDay, reason }` (the customer-models job's), `shopCustomerId`;
 * - link `SHOPCUST#<shop id>` / `LINK` → `customerId`, gsi1 `SHOPCUSTS` / `<shop id>` (the job
 *   lists the links with one paged Query). Written in the same transaction as the profile, with
 *   `attribute_not_exists`, so one shop id never belongs to two customers.
 */
export const tierKeys = {
  link: (shopCustomerId: string) => ({ pk: `SHOPCUST#${shopCustomerId}`, sk: 'LINK' }),
  links: 'SHOPCUSTS',
} as const;

const TIER_ATTRIBUTES = ['tier', 'tierSetAt', 'tierSetBy', 'modelTier', 'shopCustomerId'] as const;

const isTier = (v: unknown): v is CustomerTier => CUSTOMER_TIERS.includes(v as CustomerTier);

/** The tier facts of a profile item; unknown values (a hand-edited item) are ignored, not trusted. */
export function toTierFacts(item: Record<string, unknown>): CustomerTierFacts {
  const facts: CustomerTierFacts = {};
  if (isTier(item.tier)) facts.tier = item.tier;
  if (typeof item.tierSetAt === 'string') facts.tierSetAt = item.tierSetAt;
  if (typeof item.tierSetBy === 'string') facts.tierSetBy = item.tierSetBy;
  const m = item.modelTier as Partial<ModelTier> | undefined;
  if (m && isTier(m.tier)) facts.modelTier = { tier: m.tier, runDay: String(m.runDay ?? ''), reason: String(m.reason ?? '') };
  if (typeof item.shopCustomerId === 'string') facts.shopCustomerId = item.shopCustomerId;
  return facts;
}

export class CustomerTierTable {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getTier(customerId: string): Promise<CustomerTier | undefined> {
    return (await this.getRoutingFacts(customerId))?.tier;
  }

  /** Routing's read: the tier attributes and the first contact only, eventually consistent by default (half a read unit). */
  async getRoutingFacts(customerId: string, opts: { consistent?: boolean } = {}): Promise<{ tier: CustomerTier; firstContact?: FirstContact } | undefined> {
    const names = [...TIER_ATTRIBUTES, 'firstContact'];
    try {
      const out = await this.doc.send(
        new GetCommand({
          TableName: this.table,
          Key: keys.customer(customerId),
          ...(opts.consistent ? { ConsistentRead: true } : {}),
          ProjectionExpression: names.map((_, i) => `#a${i}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(names.map((a, i) => [`#a${i}`, a])),
        }),
      );
      if (!out.Item) return undefined;
      const first = toFirstContact(out.Item.firstContact);
      return { tier: effectiveTier(toTierFacts(out.Item)).tier, ...(first ? { firstContact: first } : {}) };
    } catch (err) {
      return translate(err, "read the customer's tier");
    }
  }

  async getWithTier(customerId: string): Promise<{ customer: Customer; tier: CustomerTierFacts } | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.customer(customerId), ConsistentRead: true }));
      return out.Item ? { customer: toCustomer(out.Item), tier: toTierFacts(out.Item) } : undefined;
    } catch (err) {
      return translate(err, 'read the customer');
    }
  }

  async update(change: CustomerTierChange): Promise<void> {
    // Unused names or values are rejected by DynamoDB: each is added with the clause that uses it.
    const names: Record<string, string> = { '#u': 'updatedAt', ...(change.tier !== undefined ? { '#t': 'tier' } : {}) };
    const values: Record<string, unknown> = { ':u': change.updatedAt };
    const set = ['#u = :u'];
    const remove: string[] = [];
    if (change.tier === null) remove.push('#t', 'tierSetAt', 'tierSetBy');
    else if (change.tier) {
      set.push('#t = :t', 'tierSetAt = :ta', 'tierSetBy = :tb');
      Object.assign(values, { ':t': change.tier.tier, ':ta': change.tier.setAt, ':tb': change.tier.setBy });
    }
    let condition = 'attribute_exists(pk)';
    const writes: object[] = [];
    const link = change.link;
    if (link) {
      // The derived tier was the old shop customer's.
      remove.push('modelTier');
      if (link.next !== undefined) (set.push('shopCustomerId = :s'), (values[':s'] = link.next));
      else remove.push('shopCustomerId');
      // Guard: the link is still what the plan was made from (a concurrent PATCH is a conflict).
      if (link.previous !== undefined) (condition += ' AND shopCustomerId = :prev'), (values[':prev'] = link.previous);
      else condition += ' AND attribute_not_exists(shopCustomerId)';
      const mine = { ':me': change.customerId };
      if (link.next !== undefined) {
        const item: Record<string, unknown> = { ...tierKeys.link(link.next), type: 'shop-link', shopCustomerId: link.next, customerId: change.customerId, linkedAt: change.updatedAt, gsi1pk: tierKeys.links, gsi1sk: link.next };
        writes.push({ Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk) OR customerId = :me', ExpressionAttributeValues: mine } });
      }
      if (link.previous !== undefined) {
        writes.push({ Delete: { TableName: this.table, Key: tierKeys.link(link.previous), ConditionExpression: 'attribute_not_exists(pk) OR customerId = :me', ExpressionAttributeValues: mine } });
      }
    }
    const profile = {
      Update: {
        TableName: this.table,
        Key: keys.customer(change.customerId),
        UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: [profile, ...writes] as never }));
    } catch (err) {
      const failed = failedConditions(err);
      if (!failed?.length) return translate(err, "update the customer's tier");
      // Put of the new link is item 1 when there is one.
      if (link?.next !== undefined && failed.includes(1)) {
        const owner = await this.linkOwner(link.next);
        throw new ConflictError(`Shop customer ${link.next} is already linked to customer ${owner ?? '(another customer)'}; unlink it there first.`);
      }
      if (failed.includes(0) && !(await this.getWithTier(change.customerId))) throw new NotFoundError(`No customer ${change.customerId}.`);
      throw new ConflictError("The customer's shop link changed since it was read; read it again and retry.");
    }
  }

  private async linkOwner(shopCustomerId: string): Promise<string | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: tierKeys.link(shopCustomerId), ConsistentRead: true }));
      return out.Item ? String(out.Item.customerId) : undefined;
    } catch (err) {
      return translate(err, 'read the shop-customer link');
    }
  }

  async listLinks(opts: { limit: number; cursor?: string }): Promise<Page<ShopCustomerLink>> {
    try {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': tierKeys.links },
          Limit: opts.limit,
          ExclusiveStartKey: startKeyOf(opts.cursor),
        }),
      );
      const items = (out.Items ?? []).map((i) => ({ shopCustomerId: String(i.shopCustomerId), customerId: String(i.customerId), linkedAt: String(i.linkedAt) }));
      return { items, next: encodeCursor(out.LastEvaluatedKey) };
    } catch (err) {
      return translate(err, 'list shop-customer links');
    }
  }

  async setModelTier(link: ShopCustomerLink, modelTier: ModelTier): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.customer(link.customerId),
          UpdateExpression: 'SET modelTier = :m',
          // Still linked to this shop customer: a re-link in between keeps the new link's (absent) tier.
          ConditionExpression: 'shopCustomerId = :s',
          ExpressionAttributeValues: { ':m': modelTier, ':s': link.shopCustomerId },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      return translate(err, "store the customer's derived tier");
    }
  }
}
