import type { Classification } from '../domain/message';
import type { Priority } from '../domain/ticket';

/**
 * One priority score per message (seed 003: the queue is ordered by urgency), 0..100,
 * with every contribution stated as a reason an agent can read. Inputs: the message's
 * urgency (urgent wording, legal/fraud, waiting the customer mentions, ...), its
 * sentiment, the classifier's intent, the customer's tier and how long the ticket has
 * already waited. SLA due times join when SLA policies exist (a later issue).
 */
export const PRIORITY_WEIGHTS = {
  /** Unhappy customers churn. */
  negativeSentiment: 10,
  /** The classifier was not sure: a person must look at it before it goes astray. */
  outOfScope: 5,
  /** Customers who pay more, or are marked VIP by the company, come first. */
  vipCustomer: 15,
  /** The ticket was opened this long ago and the customer writes again. */
  waitingOverDay: 10,
  waitingOverHours: 5,
} as const;

/**
 * Intents whose tickets should not wait: a complaint or a demand for a human is a
 * customer at the edge of leaving; money stuck in a failed payment or refund hurts.
 */
export const INTENT_WEIGHTS: Readonly<Record<string, number>> = {
  complaint: 15,
  contact_human_agent: 10,
  payment_issue: 10,
  get_refund: 5,
  track_refund: 5,
  cancel_order: 5,
  delete_account: 5,
};

export interface PriorityContext {
  /** The customer's tier; `vip` raises priority. */
  customerTier?: 'vip' | 'standard';
  /** When the ticket this message joins was opened (absent for a new ticket). */
  ticketOpenedAt?: string;
  /** When the message was received. */
  receivedAt?: string;
}

const HOUR_MS = 3_600_000;

/** A message's priority: its urgency plus what sentiment, intent, tier and waiting add. */
export function messagePriority(c: Classification, ctx: PriorityContext = {}): Priority {
  const reasons = [...c.urgency.reasons];
  let score = c.urgency.score;
  const add = (points: number, reason: string) => {
    score += points;
    reasons.push(`${reason} (+${points})`);
  };
  if (c.sentiment.label === 'negative') add(PRIORITY_WEIGHTS.negativeSentiment, 'negative sentiment');
  if (c.topic) {
    if (c.topic.outOfScope) add(PRIORITY_WEIGHTS.outOfScope, 'classifier unsure: needs triage');
    else if (INTENT_WEIGHTS[c.topic.intent]) add(INTENT_WEIGHTS[c.topic.intent]!, `intent ${c.topic.intent}`);
  }
  if (ctx.customerTier === 'vip') add(PRIORITY_WEIGHTS.vipCustomer, 'VIP customer');
  if (ctx.ticketOpenedAt && ctx.receivedAt) {
    const waited = Date.parse(ctx.receivedAt) - Date.parse(ctx.ticketOpenedAt);
    if (waited >= 24 * HOUR_MS) add(PRIORITY_WEIGHTS.waitingOverDay, 'ticket open for over a day');
    else if (waited >= 4 * HOUR_MS) add(PRIORITY_WEIGHTS.waitingOverHours, 'ticket open for over 4 hours');
  }
  return { score: Math.max(0, Math.min(100, Math.round(score))), reasons };
}

/** A ticket is as urgent as its most urgent message so far. */
export function mergePriority(current: Priority, incoming: Priority): Priority {
  return incoming.score > current.score ? incoming : current;
}
