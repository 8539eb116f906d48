import type { Channel } from '../domain/message';
import type { Customer, FirstContact } from '../domain/ticket';
import type { Page } from '../lib/page';
import type { CustomerTier, CustomerTierFacts, ModelTier } from './customer-tier';
import type { CustomerTierChange, ShopCustomerLink } from './update-customer';

export type Identity = { channel: Channel; address: string };

/** Customers, the identities that point at them, their tiers and shop links (adapter: dynamo-customer-store.ts). */
export interface CustomerStore {
  /** Customer ids of whichever of these identities are known (`consistent: false` for a first look a conditional write then confirms). */
  findIdentities(identities: Identity[], opts?: { consistent?: boolean }): Promise<Map<string, string>>;
  /**
   * Links identities to a customer, creating the customer profile if needed (`newCustomer`: the
   * id was just made, so the profile is created, not updated). Returns the identities that
   * another writer linked first (a race), with their customer id.
   */
  linkIdentities(customer: Pick<Customer, 'customerId' | 'name' | 'email' | 'firstContact'>, identities: Identity[], now: Date, opts?: { newCustomer?: boolean }): Promise<Map<string, string>>;
  getCustomer(customerId: string): Promise<Customer | undefined>;
  /** The customer's effective tier: one small eventually consistent read. */
  getCustomerTier(customerId: string): Promise<CustomerTier | undefined>;
  /** What routing reads of a customer (the same small read, eventually consistent unless asked): the effective tier and the first contact. */
  getRoutingFacts(customerId: string, opts?: { consistent?: boolean }): Promise<{ tier: CustomerTier; firstContact?: FirstContact } | undefined>;
  /** The customer profile with its tier facts (consistent read); undefined for an unknown customer. */
  getCustomerWithTier(customerId: string): Promise<{ customer: Customer; tier: CustomerTierFacts } | undefined>;
  /**
   * Applies a manager's tier / link change in one transaction: NotFoundError for an unknown customer,
   * ConflictError when the shop id is linked to another customer or the link changed since it was read.
   */
  updateCustomerTier(change: CustomerTierChange): Promise<void>;
  /** Every shop-customer link, a page at a time (the customer-models job). */
  listShopCustomerLinks(opts: { limit: number; cursor?: string }): Promise<Page<ShopCustomerLink>>;
  /** Sets a linked customer's derived tier; false (nothing written) when the link moved since it was listed. */
  setModelTier(link: ShopCustomerLink, modelTier: ModelTier): Promise<boolean>;
}
