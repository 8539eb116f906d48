import type { MessageQueue } from '../ports/queue';
import { DeliveryRejectedError, type EmailSender, type OutboxStore, type SmsSender } from '../ports/outbound';
import type { Delivery } from './delivery';

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
  /** Already sent or failed by an earlier run (a redelivery of the queue message). */
  | { outcome: 'done-before' };

/** The outbound queue's message: the reply to deliver, by id (its item holds the rest). */
export interface DeliveryRequest {
  messageId: string;
}

/**
 * Sends one queued reply through its channel's provider and records the outcome. Idempotent
 * per reply: a delivery already recorded is not sent again. A provider error a retry may fix
 * is thrown (SQS retries, then the DLQ); a refusal is recorded as failed. A crash between the
 * provider's acceptance and the record resends once: providers offer no idempotency key.
 */
export async function deliverReply(deps: DeliverDeps, request: DeliveryRequest, now: Date): Promise<DeliverOutcome> {
  const record = await deps.store.getOutbound(request.messageId);
  // Replies are written before they are queued: a missing one is a fault worth a retry.
  if (!record) throw new Error(`Outbound message ${request.messageId} is not in the store`);
  const d = record.delivery;
  if (d.status !== 'queued') return { outcome: 'done-before' };

  let done: Delivery;
  try {
    const { providerMessageId } = await send(deps, d, record.text);
    done = { ...d, status: 'sent', providerMessageId, deliveredAt: now.toISOString() };
  } catch (err) {
    if (!(err instanceof DeliveryRejectedError)) throw err;
    done = { ...d, status: 'failed', error: err.message, failedAt: now.toISOString() };
  }
  const recorded = await deps.store.recordDelivery(record.messageId, done);
  if (!recorded) return { outcome: 'done-before' };
  if (done.status === 'failed') {
    await deps.store.flagFailedDelivery(record.ticketId, { messageId: record.messageId, error: done.error!, at: done.failedAt! });
    return { outcome: 'failed', error: done.error! };
  }
  return { outcome: 'sent', providerMessageId: done.providerMessageId! };
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

export const OUTBOX_GRACE_MS = 5 * 60_000;
export const MAX_OUTBOX_SWEEPS = 3;

/**
 * Re-enqueues replies still queued after the grace period (a send to the outbound queue lost
 * after the write, or a local restart that lost the emulated queues). After MAX_OUTBOX_SWEEPS
 * the reply is marked failed: it is likely in the outbound DLQ, and the agent must know.
 */
export async function sweepOutbox(deps: { store: OutboxStore; outbound: MessageQueue }, now: Date): Promise<{ requeued: number; givenUp: number }> {
  const queued = await deps.store.listQueuedDeliveries(new Date(now.getTime() - OUTBOX_GRACE_MS), 100);
  const retry = queued.filter((q) => q.sweepCount < MAX_OUTBOX_SWEEPS);
  const failed = new Set(await deps.outbound.sendBatch(retry.map((q): DeliveryRequest => ({ messageId: q.messageId }))));
  const sent = retry.filter((_, i) => !failed.has(i));
  for (const q of sent) await deps.store.markDeliverySwept(q.messageId);
  let givenUp = 0;
  for (const q of queued.filter((x) => x.sweepCount >= MAX_OUTBOX_SWEEPS)) {
    const record = await deps.store.getOutbound(q.messageId);
    if (!record || record.delivery.status !== 'queued') continue;
    const at = now.toISOString();
    const error = `Not delivered after ${MAX_OUTBOX_SWEEPS + 1} attempts; see the outbound queue's DLQ.`;
    if (await deps.store.recordDelivery(q.messageId, { ...record.delivery, status: 'failed', error, failedAt: at })) {
      await deps.store.flagFailedDelivery(record.ticketId, { messageId: q.messageId, error, at });
      givenUp++;
    }
  }
  return { requeued: sent.length, givenUp };
}
