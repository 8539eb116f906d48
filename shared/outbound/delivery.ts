import type { Delivery } from '../domain/delivery';
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

/** Longest SMS reply: End User Messaging sends at most 1,600 characters (concatenated parts). */
export const SMS_MAX_CHARS = 1600;

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
