/**
 * A customer's tier (issue 4: priority by customer value/tier). Two sources: a manager sets it
 * explicitly (PATCH /v1/customers/{id}), or the daily customer-models job derives it from the
 * models of the shop customer linked to the Switchboard customer. The explicit tier wins; with
 * neither the customer is standard. Routing adds PRIORITY_WEIGHTS.vipCustomer for `vip`.
 */
import type { CustomerModelRecord } from './customer-model-store';

export type CustomerTier = 'vip' | 'standard';
export const CUSTOMER_TIERS = ['vip', 'standard'] as const satisfies readonly CustomerTier[];

/** Where a customer's effective tier comes from. */
export type TierSource = 'manager' | 'model' | 'default';

/** The tier the customer-models job derived, with the run that derived it and why. */
export interface ModelTier {
  tier: CustomerTier;
  /** The job's run day (YYYY-MM-DD). */
  runDay: string;
  reason: string;
}

/** The tier facts kept on the customer profile (`CUST#<id>` / `PROFILE`). */
export interface CustomerTierFacts {
  /** The manager's explicit tier, when set. */
  tier?: CustomerTier;
  tierSetAt?: string;
  /** The API key id that set it. */
  tierSetBy?: string;
  /** The job's derived tier, for a linked shop customer. */
  modelTier?: ModelTier;
  /** The shop's customer id (the orders' `CustomerID`) linked to this customer; unique. */
  shopCustomerId?: string;
}

export interface EffectiveTier {
  tier: CustomerTier;
  source: TierSource;
  reason: string;
}

/** The tier routing uses: the manager's when set, else the models', else standard. */
export function effectiveTier(facts: CustomerTierFacts | undefined): EffectiveTier {
  if (facts?.tier) return { tier: facts.tier, source: 'manager', reason: `set by a manager${facts.tierSetAt ? ` at ${facts.tierSetAt}` : ''}` };
  if (facts?.modelTier) return { tier: facts.modelTier.tier, source: 'model', reason: `${facts.modelTier.reason} (customer models of ${facts.modelTier.runDay})` };
  return { tier: 'standard', source: 'default', reason: facts?.shopCustomerId ? 'linked, not yet modelled' : 'no tier set and no linked shop customer' };
}

/**
 * The derivation rule. A shop customer is `vip` when their predicted net spend over the next 90
 * days (the customer value regression) is positive and among the top VIP_SHARE (10 %) of the
 * customers modelled in the run: ranked by predicted value, the first ceil(10 % · n) are vip, and
 * so is anyone tied with the last of them. Forward-looking on purpose: "customers who pay more" is
 * about what they will spend, and a past big spender who has gone quiet gets a low prediction.
 * When the value model was skipped in a run (too little history: no prediction at all), the same
 * top-10 % cut applies to past net spend (the profile's). Segments are not used: k-means segments
 * are coarse (the top one held 9 % to 26 % of customers on the sample) and their names move between
 * runs ("champions" split into two); figures in docs/architecture.md, "Customer tier".
 */
export const VIP_SHARE = 0.1;

export interface TierRule {
  /** What the cut applies to: the value model's prediction, or past spend when it was skipped. */
  basis: 'predicted-value' | 'past-spend';
  /** Value at or above which a customer is vip (and it must be above 0). */
  cut: number;
  modelled: number;
}

const money = (v: number) => `£${v.toFixed(2)}`;
const finite = (v: number | null): v is number => v !== null && Number.isFinite(v);
const valueOf = (r: CustomerModelRecord, basis: TierRule['basis']): number | null =>
  basis === 'predicted-value' ? r.predictedValue90d : r.profile.netSpend;

/** The rule's parameters for one run's records (the whole population of modelled customers). */
export function tierRule(records: readonly CustomerModelRecord[]): TierRule | undefined {
  const basis: TierRule['basis'] = records.some((r) => finite(r.predictedValue90d)) ? 'predicted-value' : 'past-spend';
  const values = records.map((r) => valueOf(r, basis)).filter(finite).sort((a, b) => b - a);
  if (values.length === 0) return undefined;
  return { basis, cut: values[Math.ceil(values.length * VIP_SHARE) - 1]!, modelled: records.length };
}

/** One record's tier under a run's rule, with the reason a manager can read. */
export function deriveTier(record: CustomerModelRecord, rule: TierRule): Omit<ModelTier, 'runDay'> {
  const v = valueOf(record, rule.basis);
  const what = rule.basis === 'predicted-value' ? 'predicted 90-day value' : 'past net spend (no value predictions this run)';
  const top = `top ${VIP_SHARE * 100} %`;
  if (!finite(v)) return { tier: 'standard', reason: `no ${what}` };
  if (v > 0 && v >= rule.cut) return { tier: 'vip', reason: `${what} ${money(v)} is in the ${top} of ${rule.modelled} modelled customers (cut ${money(rule.cut)})` };
  return { tier: 'standard', reason: `${what} ${money(v)} is below the ${top} cut (${money(rule.cut)})` };
}
