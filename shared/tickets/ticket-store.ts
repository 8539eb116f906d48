import type { CounterIncrement } from '../analytics/counters';
import type { OutboundReply, StoredMessage, Ticket, TicketStatus } from '../domain/ticket';
import type { Page } from '../lib/page';
import type { TicketRating } from './rate-ticket';
import type { TicketUpdatePlan } from './update-ticket';

/** Tickets as agents see and change them (adapter: dynamo-ticket-store.ts). */
export interface TicketStore {
  getTicket(ticketId: string): Promise<Ticket | undefined>;
  /** A ticket's messages in time order. */
  listTicketMessages(ticketId: string, opts: { limit: number; cursor?: string }): Promise<Page<StoredMessage>>;
  /** Open and pending: in queue order; solved and closed: newest activity first. */
  listTickets(status: TicketStatus, opts: { limit: number; cursor?: string }): Promise<Page<Ticket>>;
  /** Open and pending tickets in queue order: highest priority first, then longest waiting. */
  listQueue(opts: { limit: number; cursor?: string }): Promise<Page<Ticket>>;
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
}
