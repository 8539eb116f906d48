import { randomUUID } from 'node:crypto';
import type { Delivery } from '../domain/delivery';
import type { MessageQueue } from '../domain/queue';
import type { OutboxStore } from './outbox-store';
import { DeliveryRejectedError, type EmailSender, type SmsSender } from './senders';

export interface DeliverDeps {
  store: OutboxStore;
  email: EmailSender;
  sms: SmsSender;
  /** Senders used when the inbound message named none (EMAIL_FROM, SMS_ORIGINATION_IDENTITY). */
  defaults?: { emailFrom?: string; smsFrom?: string };
}

export type DeliverOutcome =
  /** `sent`: the provider accepted it; `failed`: refused for good (recorded, the ticket flagged). */
  | { outcome: 'sent' | 'failed'; providerMessageId?: string; error?: string }
  /** Sent or failed by an earlier run, or being sent by another one right now (a copy of the request). */
  | { outcome: 'done-before' };

/** The outbound queue's message: the reply to deliver, by id (its item holds the rest). */
export interface DeliveryRequest {
  messageId: string;
}

/**
 * How long a claim protects a send: well over the deliver function's 30 s timeout (a sender
 * still holding it after that has died) and under the queue's visibility timeout (so the
 * dead sender's redelivered message can take over).
 */
export const CLAIM_LEASE_MS = 90_000;

/**
 * Sends one queued reply through its channel's provider and records the outcome. Idempotent
 * per reply: the send is claimed first, so copies of the request (a redelivery, a sweep)
 * never both call the provider, and a delivery already recorded is not sent again. A provider
 * error a retry may fix is thrown (SQS retries, then the DLQ); a refusal is recorded as failed
 * and flagged on the ticket (flag first: the flag is idempotent, so a retry after a lost record
 * completes both). A crash between the provider's acceptance and the record sends it again
 * after the lease: providers offer no idempotency key.
 */
export async function deliverReply(deps: DeliverDeps, request: DeliveryRequest, now: Date): Promise<DeliverOutcome> {
  const record = await deps.store.getOutbound(request.messageId);
  // Replies are written before they are queued: a missing one is a fault worth a retry.
  if (!record) throw new Error(`Outbound message ${request.messageId} is not in the store`);
  const d = record.delivery;
  if (d.status === 'sent' || d.status === 'failed') return { outcome: 'done-before' };
  const at = now.toISOString();
  const claimId = randomUUID();
  const staleBefore = new Date(now.getTime() - CLAIM_LEASE_MS).toISOString();
  if (!(await deps.store.claimDelivery(record.messageId, { claimId, at, staleBefore }))) return { outcome: 'done-before' };
  const { claimId: _c, claimedAt: _a, ...unclaimed } = d;

  let done: Delivery;
  try {
    const { providerMessageId } = await send(deps, d, record.text);
    done = { ...unclaimed, status: 'sent', providerMessageId, deliveredAt: at };
  } catch (err) {
    if (!(err instanceof DeliveryRejectedError)) throw err;
    // flaggedAt stays on the record: the flag is once per reply, whatever comes later.
    done = { ...unclaimed, status: 'failed', error: err.message, failedAt: at, flaggedAt: d.flaggedAt ?? at };
    await deps.store.flagFailedDelivery(record.ticketId, { messageId: record.messageId, error: err.message, at });
  }
  if (!(await deps.store.recordDelivery(record.messageId, done, claimId))) return { outcome: 'done-before' };
  return done.status === 'failed' ? { outcome: 'failed', error: done.error! } : { outcome: 'sent', providerMessageId: done.providerMessageId! };
}

async function send(deps: DeliverDeps, d: Delivery, text: string): Promise<{ providerMessageId: string }> {
  if (d.channel === 'sms') {
    const from = d.from ?? deps.defaults?.smsFrom;
    return deps.sms.sendSms({ ...(from ? { from } : {}), to: d.to, text });
  }
  const from = d.from ?? deps.defaults?.emailFrom;
  if (!from) throw new DeliveryRejectedError('No sender address: the customer wrote to no address we know and EMAIL_FROM is not set.');
  const headers: Array<{ name: string; value: string }> = [];
  if (d.inReplyTo) headers.push({ name: 'In-Reply-To', value: d.inReplyTo });
  if (d.references?.length) headers.push({ name: 'References', value: d.references.join(' ') });
  if (d.auto) headers.push({ name: 'Auto-Submitted', value: 'auto-replied' });
  return deps.email.sendEmail({ from, to: d.to, subject: d.subject ?? 'Re: your message', text, headers });
}

/**
 * A reply is swept when it is still on the outbox this long after it was (re-)enqueued: longer
 * than the outbound queue's own retries take (visibility 180 s × 5 receives = 15 min), so a
 * sweep never races a copy that SQS is still retrying.
 */
export const OUTBOX_GRACE_MS = 20 * 60_000;
export const MAX_OUTBOX_SWEEPS = 3;

/**
 * Re-enqueues replies still on the outbox after the grace period (a send to the outbound queue
 * lost after the write, a copy that ended in the DLQ, a local restart that lost the emulated
 * queues). After MAX_OUTBOX_SWEEPS the reply is marked failed and the ticket flagged: the agent
 * must know. Copies in flight are harmless: deliverReply claims before it sends.
 */
export async function sweepOutbox(deps: { store: OutboxStore; outbound: MessageQueue }, now: Date): Promise<{ requeued: number; givenUp: number }> {
  const at = now.toISOString();
  const listed = await deps.store.listQueuedDeliveries(new Date(now.getTime() - OUTBOX_GRACE_MS), 100);
  const retry = listed.filter((q) => q.sweepCount < MAX_OUTBOX_SWEEPS);
  const failed = new Set(await deps.outbound.sendBatch(retry.map((q): DeliveryRequest => ({ messageId: q.messageId }))));
  const sent = retry.filter((_, i) => !failed.has(i));
  for (const q of sent) await deps.store.markDeliverySwept(q.messageId, at);
  let givenUp = 0;
  for (const q of listed.filter((x) => x.sweepCount >= MAX_OUTBOX_SWEEPS)) {
    const record = await deps.store.getOutbound(q.messageId);
    if (!record || record.delivery.status === 'sent' || record.delivery.status === 'failed') continue;
    // Claimed like a send, so a late copy of the request cannot send it after it is marked failed.
    const claimId = randomUUID();
    if (!(await deps.store.claimDelivery(q.messageId, { claimId, at, staleBefore: new Date(now.getTime() - CLAIM_LEASE_MS).toISOString() }))) continue;
    const error = `Not delivered after ${MAX_OUTBOX_SWEEPS + 1} attempts; see the outbound queue's DLQ.`;
    await deps.store.flagFailedDelivery(record.ticketId, { messageId: q.messageId, error, at });
    const { claimId: _c, claimedAt: _a, ...unclaimed } = record.delivery;
    if (await deps.store.recordDelivery(q.messageId, { ...unclaimed, status: 'failed', error, failedAt: at, flaggedAt: record.delivery.flaggedAt ?? at }, claimId)) givenUp++;
  }
  return { requeued: sent.length, givenUp };
}
