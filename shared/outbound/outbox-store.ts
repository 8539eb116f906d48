import type { Delivery } from '../domain/delivery';
import type { ReplyContext } from './delivery';

/** What the outbound side needs from the crm table (adapter: DynamoDB). */

/** An outbound message item as the deliver step sees it. */
export interface OutboundRecord {
  messageId: string;
  ticketId: string;
  text: string;
  delivery: Delivery;
}

export interface OutboxStore {
  /** The customer's latest message on a ticket, which an agent's reply answers (undefined: none found). */
  replyContext(ticketId: string): Promise<ReplyContext | undefined>;
  getOutbound(messageId: string): Promise<OutboundRecord | undefined>;
  /**
   * Claims a delivery for one sender: `queued` (or `sending` whose claim is older than
   * `staleBefore`: its sender died) → `sending` with `claimId`. False when another sender holds
   * it or it is done, so two copies of a queue message never both call the provider.
   */
  claimDelivery(messageId: string, claim: { claimId: string; at: string; staleBefore: string }): Promise<boolean>;
  /**
   * Records a sent or failed delivery under the claim that sent it (removing it from the outbox
   * list); false when the claim was lost. `claimId` undefined: only while still `queued`.
   */
  recordDelivery(messageId: string, delivery: Delivery, claimId?: string): Promise<boolean>;
  /** Replies still on the outbox (queued or being sent) last enqueued before `before`, oldest first. */
  listQueuedDeliveries(before: Date, limit: number): Promise<Array<{ messageId: string; sweepCount: number }>>;
  /** Counts a re-enqueue of an outbox reply and restarts its grace period from `at`. */
  markDeliverySwept(messageId: string, at: string): Promise<void>;
  /**
   * A reply failed for good: the ticket goes back to `open` if it was waiting for the customer,
   * with the failure on it, so an agent sees the customer never got the answer. Idempotent per
   * reply (a second call for the same `messageId` changes nothing).
   */
  flagFailedDelivery(ticketId: string, failure: { messageId: string; error: string; at: string }): Promise<void>;
}
