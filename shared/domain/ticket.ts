import type { Delivery } from './delivery';
import type { Channel, Classification } from './message';

export const TICKET_STATUSES = ['open', 'pending', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface Priority {
  /** 0 (can wait) .. 100 (drop everything). */
  score: number;
  /** Why, in words an agent can read. */
  reasons: string[];
}

export interface Ticket {
  ticketId: string;
  customerId: string;
  channel: Channel;
  threadKey: string;
  subject: string;
  status: TicketStatus;
  priority: Priority;
  language: string;
  sentiment: Classification['sentiment']['label'];
  messageCount: number;
  createdAt: string;
  updatedAt: string;
  lastMessageAt: string;
  lastMessagePreview: string;
  /** Support category and intent: from the classifier, or as an agent corrected them. */
  category?: string;
  intent?: string;
  /** Seed 004's ticket type, derived from category and intent. */
  ticketType?: 'inquiry' | 'complaint' | 'feedback';
  /** Team the ticket is routed to (`triage` when the classifier was not confident). */
  team?: string;
  /** Agent the ticket is assigned to (an API key id or agent id). */
  assignee?: string;
  /** When the ticket was last solved (cleared when it is reopened). */
  resolvedAt?: string;
  /** The best knowledge-base answer to the latest customer message, and whether it was sent. */
  suggestedAnswer?: SuggestedAnswer;
  /** When the customer first got an answer (so far only an auto-reply sets it). */
  firstResponseAt?: string;
  /** The customer's satisfaction rating (one per ticket). */
  rating?: { score: 1 | 2 | 3 | 4 | 5; comment?: string; ratedAt: string; recordedBy: string };
  /** The current resolution counted a service outcome (resolutions made before outcomes were counted have none to revoke). */
  outcomeCounted?: true;
  /** The latest reply the provider refused (the ticket went back to `open`); cleared by the next reply. */
  deliveryFailure?: { messageId: string; error: string; at: string };
  /**
   * Its messages' ids (the customer's and the replies), in the order they were attached: the
   * ticket's thread is read from it, and a rerun of routing sees its ticket write was done.
   */
  messageIds: string[];
}

export interface StoredMessage {
  messageId: string;
  channel: Channel;
  direction: 'inbound' | 'outbound';
  from: string;
  fromName?: string;
  subject?: string;
  text: string;
  threadKey: string;
  receivedAt: string;
  status: 'received' | 'routed';
  routedAt?: string;
  ticketId?: string;
  customerId?: string;
  classification?: Classification;
  /** Inbound: the top knowledge-base matches computed at routing, best first. */
  suggestions?: MessageSuggestion[];
  /** Outbound auto-reply: the inbound message it answers and the article it sent. */
  inReplyTo?: string;
  articleId?: string;
  /** Outbound on email / SMS: whom it goes to and whether the provider took it. */
  delivery?: Delivery;
  /** Inbound: the address the customer wrote to, and the provider's id (email: its Message-ID). */
  to?: string;
  providerMessageId?: string;
}

/** A knowledge-base match stored with a message (compact: no body). */
export interface MessageSuggestion {
  articleId: string;
  title: string;
  /** Raw BM25 (comparable within one message only). */
  score: number;
  /** BM25 over the message's self-score, 0..1 (see docs/knowledge-base.md). */
  normalisedScore: number;
}

/** The ticket's best suggestion and the auto-reply decision taken on it. */
export interface SuggestedAnswer {
  articleId: string;
  title: string;
  normalisedScore: number;
  /** True when the pipeline sent the article to the customer itself. */
  autoReplied: boolean;
  /**
   * Why (not): an AutoReplyReason code (`auto-reply`, `below-threshold`, `article-disallows`, …),
   * or `channel has no outbound delivery yet` when policy allowed it on email or SMS.
   */
  reason: string;
  /** The message the suggestion is for. */
  messageId: string;
}

export interface Customer {
  customerId: string;
  name?: string;
  email?: string;
  identities: Array<{ channel: Channel; address: string }>;
  /** The message that created the customer, when a message did (it made them active in its month). */
  firstContact?: FirstContact;
  createdAt: string;
  updatedAt: string;
}

export interface FirstContact {
  messageId: string;
  channel: Channel;
  /** When that message was received. */
  at: string;
}

/** An outbound message the pipeline sends itself: stored like an inbound one, `direction: 'outbound'`. */
export interface OutboundReply {
  /** Derived from the inbound message's id, so a retry lands on the same item. */
  messageId: string;
  channel: Channel;
  threadKey: string;
  from: string;
  text: string;
  /** When it was sent: after the inbound message, so the thread lists it second. */
  sentAt: string;
  inReplyTo: string;
  /** The knowledge-base article of an auto-reply. */
  articleId?: string;
  /** The API key of the agent who wrote it (agent replies). */
  sentBy?: string;
  /** Email / SMS: the provider delivery the outbound queue's consumer carries out (chat needs none). */
  delivery?: Delivery;
}
