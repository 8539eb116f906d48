import { ConflictError } from '../domain/errors';
import type { InboundMessage } from '../domain/message';
import type { MessageStore } from './message-store';

export interface AcceptResult {
  messageId: string;
  /** True when this provider message was accepted before. */
  duplicate: boolean;
}

/**
 * The one way a message enters the pipeline, whatever its channel: stored once (idempotent on
 * the provider's id). The stored item is the outbox: the crm table's stream hands it to
 * classify, so there is no send that could fail after the store.
 *
 * A redelivery of a message that is still waiting to be routed touches it, so the stream hands
 * it on again at once (the first delivery may have failed; the consumers are idempotent).
 */
export async function acceptInboundMessage(
  deps: { store: Pick<MessageStore, 'putInboundMessage' | 'touchPendingMessage'> },
  message: InboundMessage,
  now: Date = new Date(),
): Promise<AcceptResult> {
  const put = await deps.store.putInboundMessage(message);
  if (put.created) return { messageId: message.messageId, duplicate: false };
  if (put.existing.text !== message.text) {
    throw new ConflictError(`Message ${message.providerMessageId} was already received with different content; use a new message id.`);
  }
  if (put.existing.status !== 'routed') await deps.store.touchPendingMessage(message.messageId, now.toISOString());
  return { messageId: message.messageId, duplicate: true };
}
