import type { Delivery, ReplyContext } from '../outbound/delivery';

/** What the outbound side needs from providers and the crm table (adapters: SES v2, End User Messaging SMS, DynamoDB). */

export interface OutboundEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  headers: Array<{ name: string; value: string }>;
}

export interface OutboundSms {
  /** Origination identity (our number or pool); the account's default when absent. */
  from?: string;
  to: string;
  text: string;
}

export interface EmailSender {
  sendEmail(mail: OutboundEmail): Promise<{ providerMessageId: string }>;
}

export interface SmsSender {
  sendSms(sms: OutboundSms): Promise<{ providerMessageId: string }>;
}

/**
 * The provider refused the message for a reason no retry can fix (bad address, unverified
 * sender, opted-out number): the reply is marked failed instead of retried.
 */
export class DeliveryRejectedError extends Error {
  override readonly name = 'DeliveryRejectedError';
}

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
   * Records a sent or failed delivery, only while it is still queued (removing it from the
   * outbox list); false when another run recorded it first.
   */
  recordDelivery(messageId: string, delivery: Delivery): Promise<boolean>;
  /** Deliveries still queued and sent to the outbox before `before`, oldest first. */
  listQueuedDeliveries(before: Date, limit: number): Promise<Array<{ messageId: string; sweepCount: number }>>;
  /** Counts a re-enqueue of a queued delivery. */
  markDeliverySwept(messageId: string): Promise<void>;
  /**
   * A reply failed for good: the ticket goes back to `open` if it was waiting for the customer,
   * with the failure on it, so an agent sees the customer never got the answer.
   */
  flagFailedDelivery(ticketId: string, failure: { messageId: string; error: string; at: string }): Promise<void>;
}
