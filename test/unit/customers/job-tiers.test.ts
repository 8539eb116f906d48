import { describe, expect, it } from 'vitest';
import { runCustomerModelsJob } from '../../../shared/analytics/customer-models-job';
import { cleanOrderLines, parseOrderLines } from '../../../shared/analytics/customers/order-lines';
import type { ModelTier } from '../../../shared/customers/customer-tier';
import type { ModelTierStore } from '../../../shared/customers/model-tier';
import { ordersFromLines, type Order, type OrderStore } from '../../../shared/analytics/customers/order-store';
import type { CustomerModelRecord, CustomerModelStore } from '../../../shared/customers/customer-model-store';
import { generateOrderLines } from '../../fixtures/generated-orders';

describe('customer-models job: derived tiers of linked customers', () => {
  it('after storing the records, sets each linked customer’s tier from the run (top 10 % by predicted value)', async () => {
    const generated = generateOrderLines({ lastDay: '2024-06-20', days: 330, customers: 40, prefix: 'g' });
    const stored: Order[] = ordersFromLines(cleanOrderLines(parseOrderLines(generated as unknown as Array<Record<string, string>>)).lines);
    const orders: OrderStore = {
      putOrders: async () => ({ orders: 0, created: 0, replaced: 0 }),
      listOrdersOfMonth: async (month) => stored.filter((o) => o.invoiceDate.startsWith(month)),
    };
    const records: CustomerModelRecord[] = [];
    const results = {
      putCustomerModels: async (rs: readonly CustomerModelRecord[]) => void records.push(...rs),
      putSummary: async () => {},
    } as unknown as CustomerModelStore;
    // gc10 and gc15 are the 1st and 4th best of 40 predictions (450 and 360: ceil(4) = 4 are vip), gc25 the 5th.
    const links = ['gc10', 'gc15', 'gc25', 'gc0', 'nobody'].map((shop, i) => ({ shopCustomerId: shop, customerId: `cus_${i}`, linkedAt: 't' }));
    const set = new Map<string, ModelTier>();
    const tiers: ModelTierStore = {
      listShopCustomerLinks: async () => ({ items: links }),
      setModelTier: async (link, m) => (set.set(link.customerId, m), true),
    };

    const result = await runCustomerModelsJob(orders, results, new Date('2024-06-29T02:00:00Z'), {}, tiers);
    expect(result.status).toBe('ok');
    expect(result.tiers).toEqual({ linked: 5, vip: 2, moved: 0 });
    expect(records.map((r) => r.predictedValue90d!).sort((x, y) => y - x)[3]).toBe(360);
    expect([0, 1, 2, 3].map((i) => set.get(`cus_${i}`)!.tier)).toEqual(['vip', 'vip', 'standard', 'standard']);
    expect(set.get('cus_1')!.reason).toBe('predicted 90-day value £360.00 is in the top 10 % of 40 modelled customers (cut £360.00)');
    expect(set.get('cus_4')).toEqual({ tier: 'standard', runDay: '2024-06-29', reason: "no order in the customer models' window" });
    expect([...set.values()].every((m) => m.runDay === '2024-06-29')).toBe(true);

    // Without the crm side (the bench, older callers) nothing changes.
    expect((await runCustomerModelsJob(orders, results, new Date('2024-06-29T02:00:00Z'))).tiers).toBeUndefined();
  });
});
