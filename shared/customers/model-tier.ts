/**
 * The derived tier of linked customers, written by the daily customer-models job after it has
 * stored its per-shop-customer records: for every shop customer linked to a Switchboard customer,
 * the tier the rule of customer-tier.ts gives, with the run day. A linked shop customer the run did
 * not model (no order in the job's window) is standard: they have not bought for over a year.
 */
import type { CustomerModelRecord } from './customer-model-store';
import { deriveTier, tierRule, type ModelTier } from './customer-tier';
import type { ShopCustomerLink } from './update-customer';

/** The crm-side port the job needs (CrmStore has both). */
export interface ModelTierStore {
  /** Every shop-customer link, a page at a time (in shop id order). */
  listShopCustomerLinks(opts: { limit: number; cursor?: string }): Promise<{ items: ShopCustomerLink[]; next?: string }>;
  /** Sets the customer's derived tier; false when the link moved since it was listed (nothing written). */
  setModelTier(link: ShopCustomerLink, modelTier: ModelTier): Promise<boolean>;
}

export interface ModelTierResult {
  linked: number;
  vip: number;
  /** Links whose customer was re-linked (or unlinked) while the job ran: left to the next run. */
  moved: number;
}

/** Pure: the derived tier of any linked shop customer, given the run's records (the whole modelled population). */
export function modelTierOf(records: readonly CustomerModelRecord[], runDay: string): (shopCustomerId: string) => ModelTier {
  const rule = tierRule(records);
  const byShopId = new Map(records.map((r) => [r.customerId, r]));
  return (shopCustomerId) => {
    const record = byShopId.get(shopCustomerId);
    const derived = record && rule ? deriveTier(record, rule) : { tier: 'standard' as const, reason: "no order in the customer models' window" };
    return { ...derived, runDay };
  };
}

const PAGE = 100;
/** Writes in flight at once: small, the job is not in a hurry and the table is shared with routing. */
const WRITE_CONCURRENCY = 8;

/** Derives and stores the tier of every linked customer for one run. */
export async function applyModelTiers(store: ModelTierStore, records: readonly CustomerModelRecord[], runDay: string): Promise<ModelTierResult> {
  const result: ModelTierResult = { linked: 0, vip: 0, moved: 0 };
  const tierOf = modelTierOf(records, runDay);
  let cursor: string | undefined;
  do {
    const page = await store.listShopCustomerLinks({ limit: PAGE, ...(cursor ? { cursor } : {}) });
    const planned = page.items.map((link) => ({ link, modelTier: tierOf(link.shopCustomerId) }));
    for (let i = 0; i < planned.length; i += WRITE_CONCURRENCY) {
      const done = await Promise.all(planned.slice(i, i + WRITE_CONCURRENCY).map((p) => store.setModelTier(p.link, p.modelTier)));
      done.forEach((written, j) => {
        if (!written) return void (result.moved += 1);
        result.linked += 1;
        if (planned[i + j]!.modelTier.tier === 'vip') result.vip += 1;
      });
    }
    cursor = page.next;
  } while (cursor);
  return result;
}
