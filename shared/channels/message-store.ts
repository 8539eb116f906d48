import type { Channel, InboundMessage } from '../domain/message';
import type { StoredMessage } from '../domain/ticket';
import type { Page } from '../lib/page';

export type PutMessageResult = { created: true } | { created: false; existing: StoredMessage & { text: string } };

/**
 * Messages as the channels take them in and show them (adapter: dynamo-message-store.ts). A
 * stored inbound message is the pipeline's outbox: the crm table's stream delivers it to classify.
 */
export interface MessageStore {
  /** Stores an inbound message once; a second call with the same id returns the first. */
  putInboundMessage(message: InboundMessage): Promise<PutMessageResult>;
  /**
   * Hands a stored message that is still waiting to be routed to the pipeline again (the adapter
   * changes an attribute, so the crm stream emits it once more); a routed message is left as it is.
   */
  touchPendingMessage(messageId: string, at: string): Promise<void>;
  getMessage(messageId: string): Promise<StoredMessage | undefined>;
  /** Routed messages of one channel thread in time order (the visitor's view). */
  listThreadMessages(channel: Channel, threadKey: string, opts: { limit: number; cursor?: string }): Promise<Page<StoredMessage>>;
}
