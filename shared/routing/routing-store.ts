import type { RoutingCounts } from '../analytics/routing-counts';
import type { TextSample } from '../analytics/text-samples';
import type { CounterIncrement } from '../analytics/counters';
import type { CustomerStore } from '../customers/customer-store';
import type { Channel, Classification } from '../domain/message';
import type { MessageSuggestion, OutboundReply, Priority, StoredMessage, Ticket } from '../domain/ticket';

/** What routing reads and writes: messages, the thread's ticket, and (through CustomerStore) who wrote. */
export interface RoutingStore extends Pick<CustomerStore, 'findIdentities' | 'linkIdentities' | 'getRoutingFacts'> {
  getMessage(messageId: string): Promise<StoredMessage | undefined>;
  getTicket(ticketId: string): Promise<Ticket | undefined>;
  /**
   * The ticket holding a thread: its id, the message that opened it, and the ticket itself
   * (absent while the opener has claimed the thread but not yet written the ticket). `consistent:
   * false` for a first look: the conditional writes that follow catch a stale one.
   */
  findThreadTicket(channel: Channel, threadKey: string, opts?: { consistent?: boolean }): Promise<{ ticketId: string; openedBy?: string; ticket?: Ticket } | undefined>;
  /** Claims a thread for a new ticket; false when another ticket holds it. */
  claimThread(channel: Channel, threadKey: string, ticketId: string, openedBy: string): Promise<boolean>;
  /** Gives up a claim whose ticket was never written (its message turned out to be routed already). */
  releaseThread(channel: Channel, threadKey: string, ticketId: string): Promise<void>;
  /** Writes a routed ticket: a new one (`previousUpdatedAt` absent) or over the one read; false when it changed meanwhile. */
  putTicket(ticket: Ticket, previousUpdatedAt?: string): Promise<boolean>;
  /** Writes an auto-reply into the thread once (its id is derived from the message it answers). */
  putReply(reply: OutboundReply, on: { ticketId: string; customerId: string; routedAt: string }): Promise<void>;
  /** Records a message's routing, with what it counts; false when it was routed before (nothing written). */
  markRouted(message: RoutedMessage): Promise<boolean>;
  /** Replaces what a routed message counts (its ticket was changed by an agent while it was routed). */
  updateRoutingCounts(messageId: string, counts: RoutingCounts): Promise<void>;
  /**
   * Takes back a routing into a ticket that was closed meanwhile, so that a rerun routes the
   * message afresh: deletes its auto-reply (if written into that ticket), then sets the message
   * back to `received`; each only while it still points at that ticket.
   */
  unroute(messageId: string, ticketId: string, replyId?: string): Promise<void>;
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
  /** A late message's text sample for need analysis, written with its routing (the rollup bundles the others'). */
  textSample?: TextSample;
  /** Knowledge-base matches stored on the message item (best first). */
  suggestions?: MessageSuggestion[];
}
