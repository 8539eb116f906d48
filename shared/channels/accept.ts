import { ConflictError, DependencyError } from '../domain/errors';
import type { InboundMessage } from '../domain/message';
import type { MessageStore } from './message-store';
import type { MessageQueue } from '../domain/queue';

export interface AcceptResult {
  messageId: string;
  /** True when this provider message was accepted before. */
  duplicate: boolean;
}

/**
 * The one way a message enters the pipeline, whatever its channel: stored once
 * (idempotent on the provider's id), then put on the inbound queue.
 *
 * A redelivery of a message that is still waiting to be routed is enqueued
 * again: the first send may be what failed, and the consumers are idempotent.
 */
export async function acceptInboundMessage(
  deps: { store: Pick<MessageStore, 'putInboundMessage'>; inbound: MessageQueue },
  message: InboundMessage,
): Promise<AcceptResult> {
  const put = await deps.store.putInboundMessage(message);
  if (!put.created) {
    if (put.existing.text !== message.text) {
      throw new ConflictError(
        `Message ${message.providerMessageId} was already received with different content; use a new message id.`,
      );
    }
    if (put.existing.status === 'routed') return { messageId: message.messageId, duplicate: true };
  }
  try {
    await deps.inbound.send(message);
  } catch (err) {
    // Stored but not queued: the sweeper re-enqueues it, and a client retry does so at once.
    throw new DependencyError('The message was stored but could not be queued; retry the request.', { cause: err });
  }
  return { messageId: message.messageId, duplicate: !put.created };
}
