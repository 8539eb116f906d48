/**
 * What a support category means for the ticket: its type (seed 004: inquiry / complaint /
 * feedback) and the team it is routed to. Plain tables so product owners can read and
 * change them; the categories are the shipped model's (Bitext).
 */

export type TicketType = 'inquiry' | 'complaint' | 'feedback';

/** Teams a ticket can be routed to by category; out-of-scope goes to human triage. */
export type Team = 'orders' | 'billing' | 'accounts' | 'shipping' | 'general' | 'triage';

export const SUPPORT_CATEGORIES = [
  'ACCOUNT', 'CANCELLATION_FEE', 'CONTACT', 'DELIVERY', 'FEEDBACK', 'INVOICE',
  'NEWSLETTER', 'ORDER', 'PAYMENT', 'REFUND', 'SHIPPING_ADDRESS',
] as const;
export type SupportCategory = (typeof SUPPORT_CATEGORIES)[number];

/**
 * Category → team. Money matters (payments, invoices, refunds, cancellation fees) go to
 * billing; delivery and addresses to shipping; contact requests, feedback and the
 * newsletter to the general desk.
 */
export const CATEGORY_TEAM: Readonly<Record<SupportCategory, Team>> = {
  ORDER: 'orders',
  REFUND: 'billing',
  PAYMENT: 'billing',
  INVOICE: 'billing',
  CANCELLATION_FEE: 'billing',
  ACCOUNT: 'accounts',
  SHIPPING_ADDRESS: 'shipping',
  DELIVERY: 'shipping',
  CONTACT: 'general',
  FEEDBACK: 'general',
  NEWSLETTER: 'general',
};

/**
 * Intents whose ticket type is not "inquiry": a complaint is a complaint whatever its
 * category; a review is feedback. Every other intent (questions and requests: track an
 * order, get an invoice, ...) is an inquiry. `payment_issue` stays an inquiry: it asks for
 * help with a failed payment rather than complaining about the service.
 */
export const INTENT_TICKET_TYPE: Readonly<Record<string, TicketType>> = {
  complaint: 'complaint',
  review: 'feedback',
};

/**
 * Ticket type of a classified message: from the intent when it has its own type, else
 * "feedback" for the FEEDBACK category (a review-like message whose intent is unknown),
 * else "inquiry".
 */
export function ticketTypeOf(category: string, intent?: string): TicketType {
  const byIntent = intent === undefined ? undefined : INTENT_TICKET_TYPE[intent];
  if (byIntent) return byIntent;
  return category === 'FEEDBACK' ? 'feedback' : 'inquiry';
}

/** Team for a category; unknown categories and out-of-scope messages go to triage. */
export function teamOf(category: string, outOfScope = false): Team {
  if (outOfScope) return 'triage';
  return (CATEGORY_TEAM as Record<string, Team | undefined>)[category] ?? 'triage';
}
