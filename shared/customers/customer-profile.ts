import type { Customer } from '../domain/ticket';
import type { CustomerModelRecord } from './customer-model-store';
import { effectiveTier, type CustomerTier, type CustomerTierFacts, type ModelTier, type TierSource } from './customer-tier';

/** What GET and PATCH /v1/customers/{id} answer. */
export interface CustomerProfile extends Customer {
  /** The tier routing uses, where it comes from and why. */
  tier: CustomerTier;
  tierSource: TierSource;
  tierReason: string;
  /** The manager's explicit tier, when set (it wins over the models'). */
  managerTier?: { tier: CustomerTier; setAt?: string; setBy?: string };
  /** The customer-models job's tier for the linked shop customer, with its run day. */
  modelTier?: ModelTier;
  shopCustomerId?: string;
}

/** The profile of a customer with its tier, and the linked shop customer's latest model facts (null when unlinked or never modelled). */
export function customerProfile(
  customer: Customer,
  facts: CustomerTierFacts,
  model: CustomerModelRecord | undefined,
): { customer: CustomerProfile; model: CustomerModelRecord | null } {
  const eff = effectiveTier(facts);
  const profile: CustomerProfile = { ...customer, tier: eff.tier, tierSource: eff.source, tierReason: eff.reason };
  if (facts.tier) {
    profile.managerTier = { tier: facts.tier, ...(facts.tierSetAt ? { setAt: facts.tierSetAt } : {}), ...(facts.tierSetBy ? { setBy: facts.tierSetBy } : {}) };
  }
  if (facts.modelTier) profile.modelTier = facts.modelTier;
  if (facts.shopCustomerId !== undefined) profile.shopCustomerId = facts.shopCustomerId;
  return { customer: profile, model: facts.shopCustomerId !== undefined ? (model ?? null) : null };
}
