import type { ReportingStore } from '../ports/reporting-store';
import { hourOf, shardOf } from './counters';
import { periodKey, previousPeriodKey } from './kpi';

/**
 * Customers active per month, for the churn rate of seed 001's channel evaluation
 * (docs/kpis.md): a customer is active in a month when they contacted support in it.
 * The first contact of a customer in a month writes a marker and adds 1 to
 * `activeCustomers` — and to `retainedCustomers` when they were also active the month
 * before — in one conditional transaction, so each customer counts once per month
 * however often they write or a message is redelivered.
 */

/** Counter cells (dimension `all`) the KPI job reads for the monthly churn rate. */
export const ACTIVE_CELL = 'activeCustomers@all';
export const RETAINED_CELL = 'retainedCustomers@all';

/** Marks a customer active in the month of `at` (in the reporting time zone); a no-op after the first time. */
export async function recordCustomerActivity(store: ReportingStore, customerId: string, at: string, timeZone: string): Promise<'counted' | 'already-counted'> {
  const month = periodKey('month', at, timeZone);
  return store.markCustomerActive({ customerId, month, previousMonth: previousPeriodKey(month), hour: hourOf(at), shard: shardOf(`${customerId}#${month}`) });
}
