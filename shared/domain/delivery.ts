/**
 * A reply's delivery as tickets carry it: whom to send it to and how far sending got.
 * In the domain because a ticket's messages hold it; shared/outbound makes and sends it.
 */

/** `sending`: claimed by one run of the deliver function (`claimId`, `claimedAt`) that is calling the provider. */
export type DeliveryStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface Delivery {
  status: DeliveryStatus;
  channel: 'email' | 'sms';
  /** The customer's address: an email address or an E.164 number. */
  to: string;
  /**
   * The address the customer wrote to (our mailbox or number); the deliver function's
   * configured default (EMAIL_FROM / SMS_ORIGINATION_IDENTITY) when the inbound had none.
   */
  from?: string;
  /** Email only. */
  subject?: string;
  /** Email threading (RFC 5322): the Message-ID answered, and the thread's ids root first. */
  inReplyTo?: string;
  references?: string[];
  /** Sent by the pipeline itself: marked `Auto-Submitted: auto-replied` (RFC 3834) so other robots do not answer. */
  auto?: boolean;
  claimId?: string;
  claimedAt?: string;
  /** When its failure was flagged on the ticket (so it is flagged once). */
  flaggedAt?: string;
  /** Set when sent: the provider's id, and when. */
  providerMessageId?: string;
  deliveredAt?: string;
  /** Set when it failed for good: why, in words an agent can act on. */
  error?: string;
  failedAt?: string;
}
