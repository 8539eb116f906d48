import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ReplyContext } from '../outbound/delivery';
import type { Delivery } from '../domain/delivery';
import type { OutboundRecord, OutboxStore } from '../outbound/outbox-store';
import { keys, timeKey } from './crm-keys';
import { createDocumentClient } from './dynamo-client';
import { CrmTable } from './crm-table';
import { latestMessage, ticketMessageIds } from './crm-threads';
import { failedConditions, isConditionFailure, translate } from './dynamo-errors';

/**
 * The outbound side of the crm table: reply items carry their `delivery`; queued ones are
 * on the sparse gsi3 `OUTBOX` list (see crm-items.ts) until recorded as sent or failed.
 */
export class DynamoOutboxStore implements OutboxStore {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  constructor(opts: { tableName: string; client?: DynamoDBDocumentClient }) {
    this.doc = opts.client ?? createDocumentClient();
    this.table = opts.tableName;
    this.crm = new CrmTable(this.table, this.doc);
  }
  private readonly crm: CrmTable;

  async replyContext(ticketId: string): Promise<ReplyContext | undefined> {
    const { ids } = await ticketMessageIds(this.crm, ticketId);
    // The customer's latest message on the ticket.
    const m = await latestMessage(this.crm, ids, (i) => i.direction === 'inbound');
    if (!m) return undefined;
    return {
      channel: m.channel as ReplyContext['channel'],
      from: String(m.from),
      ...(m.to ? { to: String(m.to) } : {}),
      ...(m.subject ? { subject: String(m.subject) } : {}),
      providerMessageId: String(m.providerMessageId),
      threadKey: String(m.threadKey ?? m.from),
    };
  }

  async getOutbound(messageId: string): Promise<OutboundRecord | undefined> {
    try {
      // Strongly consistent: the reply was written a moment ago by routing or the API.
      const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.message(messageId), ConsistentRead: true }));
      const item = out.Item;
      if (!item || item.direction !== 'outbound' || !item.delivery) return undefined;
      return { messageId, ticketId: String(item.ticketId), text: String(item.text), delivery: item.delivery as Delivery };
    } catch (err) {
      return translate(err, 'read the outbound message');
    }
  }

  async claimDelivery(messageId: string, claim: { claimId: string; at: string; staleBefore: string }): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.message(messageId),
          UpdateExpression: 'SET delivery.#s = :sending, delivery.claimId = :claim, delivery.claimedAt = :at',
          ConditionExpression: 'delivery.#s = :queued OR (delivery.#s = :sending AND delivery.claimedAt < :stale)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':sending': 'sending', ':queued': 'queued', ':claim': claim.claimId, ':at': claim.at, ':stale': claim.staleBefore },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      return translate(err, 'claim the delivery');
    }
  }

  async recordDelivery(messageId: string, delivery: Delivery, claimId?: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.message(messageId),
          UpdateExpression: 'SET delivery = :d REMOVE gsi3pk, gsi3sk, sweepCount',
          ConditionExpression: claimId ? 'delivery.#s = :sending AND delivery.claimId = :claim' : 'delivery.#s = :queued',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':d': delivery, ...(claimId ? { ':sending': 'sending', ':claim': claimId } : { ':queued': 'queued' }) },
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      return translate(err, 'record the delivery');
    }
  }

  async listQueuedDeliveries(before: Date, limit: number): Promise<Array<{ messageId: string; sweepCount: number }>> {
    try {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk < :before',
          ExpressionAttributeValues: { ':pk': keys.outbox, ':before': before.toISOString() },
          Limit: limit,
        }),
      );
      return (out.Items ?? []).map((i) => ({ messageId: String(i.messageId), sweepCount: Number(i.sweepCount ?? 0) }));
    } catch (err) {
      return translate(err, 'list the outbox');
    }
  }

  async markDeliverySwept(messageId: string, at: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.message(messageId),
          // The outbox sort key restarts the grace period: the next sweep waits for this copy's retries.
          UpdateExpression: 'ADD sweepCount :one SET gsi3sk = :sk',
          ConditionExpression: 'gsi3pk = :outbox',
          ExpressionAttributeValues: { ':one': 1, ':outbox': keys.outbox, ':sk': timeKey(at, messageId) },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) translate(err, 'count the outbox sweep');
    }
  }

  async flagFailedDelivery(ticketId: string, failure: { messageId: string; error: string; at: string }): Promise<void> {
    // The reply item remembers that its failure was flagged, in the same transaction, so a retry
    // (after a lost record) never flags it again — even after a later reply cleared the ticket's flag.
    const mark = {
      Update: {
        TableName: this.table,
        Key: keys.message(failure.messageId),
        UpdateExpression: 'SET delivery.flaggedAt = :at',
        ConditionExpression: 'attribute_exists(delivery) AND attribute_not_exists(delivery.flaggedAt)',
        ExpressionAttributeValues: { ':at': failure.at },
      },
    };
    const ticket = (reopen: boolean) => ({
      Update: {
        TableName: this.table,
        Key: keys.ticket(ticketId),
        // Open and pending share the queue key (see ticketItem): only the status changes.
        UpdateExpression: `SET deliveryFailure = :f, updatedAt = :at${reopen ? ', #st = :open' : ''}`,
        ConditionExpression: reopen ? '#st = :pending' : 'attribute_exists(pk)',
        ...(reopen ? { ExpressionAttributeNames: { '#st': 'status' } } : {}),
        ExpressionAttributeValues: { ':f': failure, ':at': failure.at, ...(reopen ? { ':open': 'open', ':pending': 'pending' } : {}) },
      },
    });
    // Waiting for the customer: back to the agents. Otherwise (an agent moved it on) keep the status, note the failure.
    for (const reopen of [true, false]) {
      try {
        await this.doc.send(new TransactWriteCommand({ TransactItems: [mark, ticket(reopen)] as never }));
        return;
      } catch (err) {
        const failed = failedConditions(err);
        if (!failed) return translate(err, 'flag the failed delivery');
        if (failed.includes(0)) return; // flagged before
        if (!reopen) return; // the ticket is gone: nothing to flag
      }
    }
  }
}
