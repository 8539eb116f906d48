import type { Channel, InboundMessage } from '../domain/message';
import type { StoredMessage } from '../domain/ticket';
import type { Page } from '../lib/page';

export type PutMessageResult = { created: true } | { created: false; existing: StoredMessage & { text: string } };

/** Messages as the channels take them in and show them (adapter: dynamo-message-store.ts). */
export interface MessageStore {
  /** Stores an inbound message once; a second call with the same id returns the first. */
  putInboundMessage(message: InboundMessage): Promise<PutMessageResult>;
  getMessage(messageId: string): Promise<StoredMessage | undefined>;
  /** Routed messages of one channel thread in time order (the visitor's view). */
  listThreadMessages(channel: Channel, threadKey: string, opts: { limit: number; cursor?: string }): Promise<Page<StoredMessage>>;
}
