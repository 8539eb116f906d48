import type { Channel, InboundMessage } from '../domain/message';

/**
 * Outbound delivery (spec §2: routing → outbound queue → fn → SES / SMS / chat).
 * A reply is written into the thread first; on channels with a provider it also carries a
 * `Delivery`: whom to send it to and how far sending got. Chat needs none: the visitor's
 * widget reads the thread.
 */

/** Channels whose replies a provider must carry (SES, End User Messaging SMS). */
export const PROVIDER_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['email', 'sms']);

/** Channels Switchboard can answer on: chat through the thread, email and SMS through a provider. */
export const REPLY_CHANNELS: ReadonlySet<Channel> = new Set<Channel>(['chat', 'email', 'sms']);

/** `sending`: claimed by one run of the deliver function (`claimId`, `claimedAt`) that is calling the provider. */
/** Longest SMS reply: End User Messaging sends at most 1,600 characters (concatenated parts). */
export const SMS_MAX_CHARS = 1600;

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

/** The part of an inbound message a reply is addressed from. */
export type ReplyContext = Pick<InboundMessage, 'channel' | 'from' | 'to' | 'subject' | 'providerMessageId' | 'threadKey'>;

const RE = /^\s*(re|aw|sv|antw|rif|res)\s*:/i;

/** `Re: <subject>` once, however many times the thread went back and forth. */
export function replySubject(subject: string | undefined): string {
  const s = (subject ?? '').trim();
  if (!s) return 'Re: your message';
  return RE.test(s) ? s : `Re: ${s}`;
}

/**
 * The delivery of a reply to `inbound` (the customer's latest message in the thread), queued;
 * undefined on chat, which needs none. Email answers from the address the customer wrote to,
 * keeps the thread's root first in References so the customer's next reply joins the same
 * ticket (email threading keys on it), and answers their Message-ID.
 */
export function deliveryFor(inbound: ReplyContext, opts: { auto: boolean }): Delivery | undefined {
  if (inbound.channel !== 'email' && inbound.channel !== 'sms') return undefined;
  const base = {
    status: 'queued' as const,
    channel: inbound.channel,
    to: inbound.from,
    ...(inbound.to ? { from: inbound.to } : {}),
    ...(opts.auto ? { auto: true } : {}),
  };
  if (inbound.channel === 'sms') return base;
  const references = inbound.threadKey === inbound.providerMessageId ? [inbound.threadKey] : [inbound.threadKey, inbound.providerMessageId];
  return { ...base, subject: replySubject(inbound.subject), inReplyTo: inbound.providerMessageId, references };
}

/** A delivery as agents see it: no claim bookkeeping; a send in progress is still `queued` (not yet delivered). */
export function deliveryView(d: Delivery): Delivery {
  const { claimId: _c, claimedAt: _a, flaggedAt: _f, ...view } = d;
  return view.status === 'sending' ? { ...view, status: 'queued' } : view;
}
