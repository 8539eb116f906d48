/** A queue the domain can send to; adapters map it to SQS. */
export interface MessageQueue {
  send(body: unknown, opts?: { groupId?: string }): Promise<void>;
  /** Sends many; resolves to the indexes that failed (empty when all were accepted). */
  sendBatch(bodies: unknown[]): Promise<number[]>;
}
