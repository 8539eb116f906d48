import type { InboundMessage } from '../domain/message';

/** Messages stored but not routed: the sweeper's work (adapter: dynamo-message-store.ts). */
export interface PendingStore {
  /** Messages stored but not routed, received before `before`. */
  listPendingMessages(before: Date, limit: number): Promise<Array<{ message: InboundMessage; sweepCount: number }>>;
  /**
   * Counts a sweep of a message still unrouted, which also hands it to the pipeline again (the
   * update passes the crm stream to classify); after too many the sweeper leaves it to an operator.
   */
  markSwept(messageId: string): Promise<void>;
  /** Takes a message off the sweeper's list for good (kept under `STUCK` for an operator). */
  markStuck(messageId: string): Promise<void>;
}
