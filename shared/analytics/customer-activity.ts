import type { Channel } from '../domain/message';
import type { ReportingStore } from './reporting-store';
import { hourOf, shardOf } from './counters';
import { periodKey, previousPeriodKey } from './kpi';

/**
 * Customers active per month, for the churn rate of seed 001's channel evaluation
 * (docs/kpis.md): a customer is active in a month when they contacted support in it, and
 * active on a channel when they contacted support on that channel. The first contact of a
 * customer in a month (overall, and on each channel) writes a marker and adds 1 to
 * `activeCustomers` of that scope — and to `retainedCustomers` when they were also active
 * in it the month before — in one conditional transaction, so each customer counts once
 * per month and scope however often they write or a message is redelivered.
 */

/** Counter fields the KPI job reads for the monthly churn rate, as `<field>@<scope>` cells. */
export const ACTIVE_FIELD = 'activeCustomers';
export const RETAINED_FIELD = 'retainedCustomers';

/** The scopes a contact on `channel` makes a customer active in: overall, and that channel (KPI dimensions). */
export const activityScopes = (channel: Channel): string[] => ['all', `channel#${channel}`];

/** Marks a customer active in the month of `at` (in the reporting time zone), overall and on the channel. */
export async function recordCustomerActivity(
  store: ReportingStore,
  customerId: string,
  channel: Channel,
  at: string,
  timeZone: string,
): Promise<'counted' | 'already-counted'> {
  const month = periodKey('month', at, timeZone);
  return store.markCustomerActive({
    customerId,
    scopes: activityScopes(channel),
    month,
    previousMonth: previousPeriodKey(month),
    hour: hourOf(at),
    shard: shardOf(`${customerId}#${month}`),
  });
}
