import { describe, expect, it } from 'vitest';
import { deriveTier, effectiveTier, tierRule } from '../../../shared/customers/customer-tier';
import { applyModelTiers, modelTierOf, type ModelTierStore } from '../../../shared/customers/model-tier';
import { planCustomerUpdate } from '../../../shared/customers/update-customer';
import type { CustomerModelRecord } from '../../../shared/customers/customer-model-store';

const record = (customerId: string, predictedValue90d: number | null, netSpend = 100): CustomerModelRecord => ({
  customerId,
  runDay: '2026-03-08',
  asOf: '2026-03-07',
  country: 'United Kingdom',
  profile: { recencyDays: 10, invoices: 2, netSpend },
  segment: { id: 0, name: 'champions' },
  predictedSpend60d: null,
  predictedValue90d,
  churnRisk: null,
  recommendations: [],
});

// 11 finite predictions: the top 10 % is ceil(1.1) = 2 customers, so the cut is the 2nd largest, 900.
const values = [1200, 900, 800, 500, 400, 300, 200, 100, 50, 0, -20, null];
const run = values.map((v, i) => record(`s${i}`, v));

describe('tier rule', () => {
  it('makes the top 10 % by predicted 90-day value vip (cut = the ceil(10 % · n)-th largest)', () => {
    const rule = tierRule(run)!;
    expect(rule).toEqual({ basis: 'predicted-value', cut: 900, modelled: 12 });
    expect(run.filter((r) => deriveTier(r, rule).tier === 'vip').map((r) => r.customerId)).toEqual(['s0', 's1']);
    expect(deriveTier(run[0]!, rule).reason).toBe('predicted 90-day value £1200.00 is in the top 10 % of 12 modelled customers (cut £900.00)');
    expect(deriveTier(run[2]!, rule)).toEqual({ tier: 'standard', reason: 'predicted 90-day value £800.00 is below the top 10 % cut (£900.00)' });
    expect(deriveTier(run[11]!, rule)).toEqual({ tier: 'standard', reason: 'no predicted 90-day value' });
  });

  it('keeps a tie with the last vip in, and never makes a value of 0 or less vip', () => {
    // 12 finite values: ceil(1.2) = 2 → cut 900, and both 900s are vip.
    const tied = [...run, record('s12', 900)];
    const rule = tierRule(tied)!;
    expect(rule.cut).toBe(900);
    expect(tied.filter((r) => deriveTier(r, rule).tier === 'vip')).toHaveLength(3);
    const flat = [record('a', 0), record('b', 0), record('c', -5)];
    const zero = tierRule(flat)!;
    expect(zero.cut).toBe(0);
    expect(flat.map((r) => deriveTier(r, zero).tier)).toEqual(['standard', 'standard', 'standard']);
  });

  it('falls back to past net spend when the value model made no prediction this run', () => {
    const spends = [5000, 3000, 900, 800, 700, 600, 500, 400, 300, 200];
    const noValue = spends.map((s, i) => record(`p${i}`, null, s));
    const rule = tierRule(noValue)!;
    // 10 customers: ceil(1) = 1 → only the biggest spender.
    expect(rule).toEqual({ basis: 'past-spend', cut: 5000, modelled: 10 });
    expect(noValue.map((r) => deriveTier(r, rule).tier)).toEqual(['vip', ...new Array(9).fill('standard')]);
    expect(deriveTier(noValue[0]!, rule).reason).toMatch(/^past net spend \(no value predictions this run\) £5000\.00 is in the top 10 %/);
    expect(tierRule([])).toBeUndefined();
  });
});

describe('effective tier', () => {
  const model = { tier: 'vip' as const, runDay: '2026-03-08', reason: 'top value' };
  it("takes the manager's tier first, then the models', else standard", () => {
    expect(effectiveTier({ tier: 'standard', tierSetAt: '2026-03-09T10:00:00.000Z', modelTier: model })).toEqual({
      tier: 'standard',
      source: 'manager',
      reason: 'set by a manager at 2026-03-09T10:00:00.000Z',
    });
    expect(effectiveTier({ modelTier: model, shopCustomerId: '17850' })).toEqual({ tier: 'vip', source: 'model', reason: 'top value (customer models of 2026-03-08)' });
    expect(effectiveTier({ shopCustomerId: '17850' })).toEqual({ tier: 'standard', source: 'default', reason: 'linked, not yet modelled' });
    expect(effectiveTier(undefined).tier).toBe('standard');
  });
});

describe('planning a manager change', () => {
  const now = new Date('2026-03-09T10:00:00.000Z');
  const ctx = { now, by: 'key1' };
  it('sets or clears the tier, and changes the link only when the shop id differs', () => {
    expect(planCustomerUpdate('cus_1', {}, { tier: 'vip' }, ctx)).toEqual({
      customerId: 'cus_1',
      updatedAt: now.toISOString(),
      tier: { tier: 'vip', setAt: now.toISOString(), setBy: 'key1' },
    });
    expect(planCustomerUpdate('cus_1', { tier: 'vip' }, { tier: null }, ctx).tier).toBeNull();
    expect(planCustomerUpdate('cus_1', { shopCustomerId: '1' }, { shopCustomerId: '1' }, ctx)).not.toHaveProperty('link');
    expect(planCustomerUpdate('cus_1', { shopCustomerId: '1' }, { shopCustomerId: '2' }, ctx).link).toEqual({ previous: '1', next: '2' });
    expect(planCustomerUpdate('cus_1', {}, { shopCustomerId: '2' }, ctx).link).toEqual({ next: '2' });
    expect(planCustomerUpdate('cus_1', { shopCustomerId: '1' }, { shopCustomerId: null }, ctx).link).toEqual({ previous: '1' });
    expect(() => planCustomerUpdate('cus_1', {}, {}, ctx)).toThrow(/at least one/);
  });
});

describe('derived tiers of linked customers', () => {
  it("gives each link its shop customer's tier, standard when the run did not model them", () => {
    const tierOf = modelTierOf(run, '2026-03-08');
    expect(tierOf('s0')).toMatchObject({ tier: 'vip', runDay: '2026-03-08' });
    expect(tierOf('s5').tier).toBe('standard');
    expect(tierOf('unknown')).toEqual({ tier: 'standard', runDay: '2026-03-08', reason: "no order in the customer models' window" });
  });

  it('pages through every link and counts links that moved meanwhile', async () => {
    const links = ['s0', 's1', 's2', 'gone'].map((s, i) => ({ shopCustomerId: s, customerId: `cus_${i}`, linkedAt: 't' }));
    const written: Array<[string, string]> = [];
    const store: ModelTierStore = {
      // Two pages of two.
      listShopCustomerLinks: async ({ cursor }) => (cursor ? { items: links.slice(2) } : { items: links.slice(0, 2), next: 'p2' }),
      setModelTier: async (link, m) => {
        if (link.customerId === 'cus_2') return false; // re-linked while the job ran
        written.push([link.customerId, m.tier]);
        return true;
      },
    };
    expect(await applyModelTiers(store, run, '2026-03-08')).toEqual({ linked: 3, vip: 2, moved: 1 });
    expect(written).toEqual([['cus_0', 'vip'], ['cus_1', 'vip'], ['cus_3', 'standard']]);
  });
});
