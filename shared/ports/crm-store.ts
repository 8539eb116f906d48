import type { CounterIncrement } from '../analytics/counters';
import type { RoutingCounts } from '../analytics/routing-counts';
import type { TextSample } from '../analytics/text-samples';
import type { Channel, Classification, InboundMessage } from '../domain/message';
import type { Customer, MessageSuggestion, Priority, StoredMessage, Ticket, TicketStatus } from '../domain/ticket';
import type { CustomerTier, CustomerTierFacts, ModelTier } from '../customers/customer-tier';
import type { CustomerTierChange, ShopCustomerLink } from '../customers/update-customer';
import type { Delivery } from '../domain/delivery';
import type { TicketRating } from '../tickets/rate-ticket';
import type { LabelledExample, TicketUpdatePlan } from '../tickets/update-ticket';

export type PutMessageResult = { created: true } | { created: false; existing: StoredMessage & { text: string } };

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, absent on the last one. */
  next?: string;
}

/** Everything the pipeline and the API need from the crm table. */
export interface CrmStore {
  /** Stores an inbound message once; a second call with the same id returns the first. */
  putInboundMessage(message: InboundMessage): Promise<PutMessageResult>;
  getMessage(messageId: string): Promise<StoredMessage | undefined>;
  /** Messages of one channel thread in time order (the visitor's view). */
  listThreadMessages(channel: Channel, threadKey: string, opts: { limit: number; cursor?: string }): Promise<Page<StoredMessage>>;

  /** Customer ids of whichever of these identities are known. */
  findIdentities(identities: Array<{ channel: Channel; address: string }>): Promise<Map<string, string>>;
  /**
   * Links identities to a customer, creating the customer profile if needed.
   * Returns the identities that another writer linked first (a race), with their customer id.
   */
  linkIdentities(
    customer: Pick<Customer, 'customerId' | 'name' | 'email'>,
    identities: Array<{ channel: Channel; address: string }>,
    now: Date,
  ): Promise<Map<string, string>>;
  getCustomer(customerId: string): Promise<Customer | undefined>;

  /** The open ticket of a channel thread, if any. */
  findOpenTicket(channel: Channel, threadKey: string): Promise<Ticket | undefined>;
  /**
   * The ticket holding a thread: its id, the message that opened it, and the ticket itself
   * (absent while the opener has claimed the thread but not yet written the ticket).
   */
  findThreadTicket(channel: Channel, threadKey: string): Promise<{ ticketId: string; openedBy?: string; ticket?: Ticket } | undefined>;
  /** Claims a thread for a new ticket; false when another ticket holds it. */
  claimThread(channel: Channel, threadKey: string, ticketId: string, openedBy: string): Promise<boolean>;
  /** Writes a routed ticket: a new one (`previousUpdatedAt` absent) or over the one read; false when it changed meanwhile. */
  putTicket(ticket: Ticket, previousUpdatedAt?: string): Promise<boolean>;
  /** Writes an auto-reply into the thread once (its id is derived from the message it answers). */
  putReply(reply: OutboundReply, on: { ticketId: string; customerId: string; routedAt: string }): Promise<void>;
  /** Records a message's routing, with what it counts; false when it was routed before (nothing written). */
  markRouted(message: RoutedMessage): Promise<boolean>;
  /** Replaces what a routed message counts (its ticket was changed by an agent while it was routed). */
  updateRoutingCounts(messageId: string, counts: RoutingCounts): Promise<void>;
  getTicket(ticketId: string): Promise<Ticket | undefined>;
  listTicketMessages(ticketId: string, opts: { limit: number; cursor?: string }): Promise<Page<StoredMessage>>;
  listTickets(status: TicketStatus, opts: { limit: number; cursor?: string }): Promise<Page<Ticket>>;
  /**
   * Applies an agent's change (see planTicketUpdate) atomically: the ticket, its counters and
   * labelled example. ConflictError when the ticket changed since `previous` was read;
   * `replayed` (nothing written) when the plan's `clientRequestId` was applied before.
   */
  applyTicketUpdate(previous: Ticket, plan: TicketUpdatePlan): Promise<'applied' | 'replayed'>;
  /**
   * Writes an agent's reply into the ticket's thread with the ticket's change and its
   * counters, atomically; ConflictError when the ticket changed since `previous` was read;
   * `replayed` (nothing written) when this reply (same id) was posted before.
   */
  replyToTicket(previous: Ticket, plan: { ticket: Ticket; reply: OutboundReply; counters: CounterIncrement }): Promise<'applied' | 'replayed'>;
  /** Records a ticket's rating with its counters, once: ConflictError when it is already rated. */
  rateTicket(ticket: Ticket, rating: TicketRating, counters: CounterIncrement): Promise<void>;
  /** Agents' category corrections, oldest first. */
  listLabelledExamples(opts: { limit: number; cursor?: string }): Promise<Page<LabelledExample>>;
  /** Open and pending tickets in queue order: highest priority first, then longest waiting. */
  listQueue(opts: { limit: number; cursor?: string }): Promise<Page<Ticket>>;

  /** Messages stored but not routed, received before `before`. */
  listPendingMessages(before: Date, limit: number): Promise<Array<{ message: InboundMessage; sweepCount: number }>>;
  /** Counts a re-enqueue; after too many the sweeper leaves the message to an operator. */
  markSwept(messageId: string): Promise<void>;
  /** Takes a message off the sweeper's list for good (kept under `STUCK` for an operator). */
  markStuck(messageId: string): Promise<void>;

  // ---- Customer tier and shop-customer link (shared/customers; adapter: dynamo-customer-tier.ts) ----
  /** The customer's effective tier for routing: one small eventually consistent read. */
  getCustomerTier(customerId: string): Promise<CustomerTier | undefined>;
  /** The customer profile with its tier facts (consistent read); undefined for an unknown customer. */
  getCustomerWithTier(customerId: string): Promise<{ customer: Customer; tier: CustomerTierFacts } | undefined>;
  /**
   * Applies a manager's tier / link change in one transaction: NotFoundError for an unknown customer,
   * ConflictError when the shop id is linked to another customer or the link changed since it was read.
   */
  updateCustomerTier(change: CustomerTierChange): Promise<void>;
  /** Every shop-customer link, a page at a time (the customer-models job). */
  listShopCustomerLinks(opts: { limit: number; cursor?: string }): Promise<Page<ShopCustomerLink>>;
  /** Sets a linked customer's derived tier; false (nothing written) when the link moved since it was listed. */
  setModelTier(link: ShopCustomerLink, modelTier: ModelTier): Promise<boolean>;
}

export interface RoutedMessage {
  messageId: string;
  channel: Channel;
  threadKey: string;
  receivedAt: string;
  ticketId: string;
  customerId: string;
  classification: Classification;
  priority: Priority;
  /** When routing finished: ingest→routed latency is `routedAt − receivedAt`. */
  routedAt: string;
  /** What the message counts in the reporting counters (summed by the rollup, see routing-counts.ts). */
  counts: RoutingCounts;
  /** A late message's counts as counter increments, written with its routing in one transaction. */
  directCounters?: CounterIncrement[];
  /** The text sample need analysis reads. */
  textSample?: TextSample;
  /** Knowledge-base matches stored on the message item (best first). */
  suggestions?: MessageSuggestion[];
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

