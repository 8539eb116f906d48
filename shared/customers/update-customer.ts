/**
 * A manager's change to a customer's tier and shop link (PATCH /v1/customers/{id}), planned from
 * what was read so the store can apply it in one guarded transaction.
 */
import { ValidationError } from '../domain/errors';
import type { CustomerTier, CustomerTierFacts } from './customer-tier';

/** The request: `null` clears a field, an absent field is left as it is. */
export interface CustomerPatch {
  tier?: CustomerTier | null;
  shopCustomerId?: string | null;
}

/** A shop customer id linked to a Switchboard customer (`SHOPCUST#<shop id>`; one customer per shop id). */
export interface ShopCustomerLink {
  shopCustomerId: string;
  customerId: string;
  linkedAt: string;
}

/** What the store writes, atomically. */
export interface CustomerTierChange {
  customerId: string;
  updatedAt: string;
  /** Absent: the explicit tier stays; null: it is removed. */
  tier?: { tier: CustomerTier; setAt: string; setBy: string } | null;
  /**
   * Only when the link changes: the shop id as read (its link item is deleted, and the customer
   * update is conditional on it, so a concurrent change is a conflict) and the new one (its link
   * item is created only if no other customer holds it). The derived tier belonged to the old
   * shop customer, so it is removed; the next customer-models run derives the new one.
   */
  link?: { previous?: string; next?: string };
}

/**
 * Plans a patch against the customer's current tier facts. ValidationError for an empty patch.
 * Re-linking the same shop id is no link change (and writes no link item).
 */
export function planCustomerUpdate(
  customerId: string,
  current: CustomerTierFacts,
  patch: CustomerPatch,
  ctx: { now: Date; by: string },
): CustomerTierChange {
  if (patch.tier === undefined && patch.shopCustomerId === undefined) {
    throw new ValidationError('Give at least one of `tier` and `shopCustomerId`.');
  }
  const at = ctx.now.toISOString();
  const change: CustomerTierChange = { customerId, updatedAt: at };
  if (patch.tier !== undefined) change.tier = patch.tier === null ? null : { tier: patch.tier, setAt: at, setBy: ctx.by };
  if (patch.shopCustomerId !== undefined) {
    const next = patch.shopCustomerId ?? undefined;
    if (next !== current.shopCustomerId) {
      change.link = {
        ...(current.shopCustomerId !== undefined ? { previous: current.shopCustomerId } : {}),
        ...(next !== undefined ? { next } : {}),
      };
    }
  }
  return change;
}
