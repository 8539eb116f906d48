import type { Channel } from '../domain/message';
import type { FirstContact } from '../domain/ticket';
import type { ReportingStore } from './reporting-store';
import { periodKey, previousPeriodKey } from './kpi';

/**
 * Customers active per month, for the churn rate of seed 001's channel evaluation
 * (docs/kpis.md): a customer is active in a month when they contacted support in it, and
 * active on a channel when they contacted support on that channel. The first contact of a
 * customer in a month (overall, and on each channel) claims a marker, and its message counts 1
 * in `activeCustomers` of that scope — and in `retainedCustomers` when they were also active
 * in it the month before — so each customer counts once per month and scope however often
 * they write or a message is redelivered.
 */

/** Counter fields the KPI job reads for the monthly churn rate, as `<field>@<scope>` cells. */
export const ACTIVE_FIELD = 'activeCustomers';
export const RETAINED_FIELD = 'retainedCustomers';

/** The scopes a contact on `channel` makes a customer active in: overall, and that channel (KPI dimensions). */
export const activityScopes = (channel: Channel): string[] => ['all', `channel#${channel}`];

/** Scopes a message made its customer active in (and of those, retained from the month before). */
export interface ActivityCounts {
  active?: string[];
  retained?: string[];
}

/**
 * Customer-months already known to be marked, per container: markers are only ever created within
 * their month, so a hit needs no read. Bounded: cleared when it grows past MEMO_LIMIT.
 */
export class ActivityMemo {
  /** Customer-month-channel → the message that holds its markers. */
  private readonly seen = new Map<string, string>();
  claimedBy(key: string): string | undefined {
    return this.seen.get(key);
  }
  add(key: string, claimedBy: string): void {
    if (this.seen.size >= MEMO_LIMIT) this.seen.clear();
    this.seen.set(key, claimedBy);
  }
}
const MEMO_LIMIT = 50_000;

/**
 * The first contact of a customer in a month (in the reporting time zone), overall and on the
 * channel, claims a marker per scope for this message; the message then counts the scopes it
 * claimed (routing keeps them in its counts, so they are counted once). A rerun of the same
 * message finds its own claims and counts them again in the same counts; another message finds
 * them taken and counts nothing.
 *
 * A customer a message created needs no markers: the profile records that message as its first
 * contact, which stands for the markers of its month (overall and its channel), claimed by it.
 * The creating message counts those scopes without a write; later messages read the first
 * contact with the customer's tier (no extra read) and neither claim those scopes in that month
 * nor miss them as the month before (retained).
 */
export async function activityOf(
  store: Pick<ReportingStore, 'claimActivity'>,
  input: { customerId: string; channel: Channel; at: string; timeZone: string; messageId: string; newCustomer?: boolean; firstContact?: FirstContact },
  memo?: ActivityMemo,
): Promise<ActivityCounts> {
  const month = periodKey('month', input.at, input.timeZone);
  const previousMonth = previousPeriodKey(month);
  const first = input.firstContact && { month: periodKey('month', input.firstContact.at, input.timeZone), scopes: activityScopes(input.firstContact.channel), by: input.firstContact.messageId };
  // The customer's first contact (its first run, or a rerun of it): active in its scopes, nothing to write.
  if (input.newCustomer || first?.by === input.messageId) return { active: first?.scopes ?? activityScopes(input.channel) };
  const implied = first?.month === month ? first.scopes : [];
  const scopes = activityScopes(input.channel).filter((s) => !implied.includes(s));
  if (!scopes.length) return {};
  const memoKey = `${input.customerId}|${month}|${input.channel}`;
  // Known marked, by another message: nothing to count. (A rerun of the claiming message reads again.)
  const by = memo?.claimedBy(memoKey);
  if (by !== undefined && by !== input.messageId) return {};
  const claimed = await store.claimActivity({ customerId: input.customerId, scopes, month, previousMonth, by: input.messageId });
  // Remembered with the message that holds the markers, so that message's own rerun still counts them.
  const holder = claimed.active.length ? input.messageId : claimed.heldBy;
  if (holder) memo?.add(memoKey, holder);
  const retained = [...new Set([...claimed.retained, ...(first?.month === previousMonth ? claimed.active.filter((s) => first.scopes.includes(s)) : [])])];
  return { ...(claimed.active.length ? { active: claimed.active } : {}), ...(retained.length ? { retained } : {}) };
}
