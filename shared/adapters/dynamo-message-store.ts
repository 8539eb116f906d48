import { DeleteCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Channel, InboundMessage } from '../domain/message';
import type { StoredMessage } from '../domain/ticket';
import type { OutboundReply } from '../domain/ticket';
import type { Page } from '../lib/page';
import type { PutMessageResult, MessageStore } from '../channels/message-store';
import type { RoutedMessage, RoutingStore } from '../routing/routing-store';
import type { PendingStore } from '../pipeline/pending-store';
import { keys, RECEIVED_SHARDS } from './crm-keys';
import { CrmAdapter, type Item } from './crm-table';
import type { CountedMessage, RoutedMessageLog, RoutingCounts } from '../analytics/routing-counts';
import { daysBetween } from '../lib/days';
import type { TextSample } from '../analytics/text-samples';
import { failedConditions, isConditionFailure, translate } from './dynamo-errors';
import { inboundMessageItem, outboundMessageItem, storedPriority, toInboundMessage, toMessage } from './crm-items';
import { messagesPage, threadMessageIds } from './crm-threads';
import { textSampleItem, textSampleOf } from '../analytics/text-samples';
import { reportingKeys, reportingWrites } from './reporting-keys';

/**
 * Messages in the crm table (keys: crm-keys.ts): intake, routing's writes on the message and its
 * auto-reply, the thread view, the sweeper's list and the received-day walk the rollup reads.
 */
export class DynamoMessageStore extends CrmAdapter implements MessageStore, PendingStore, RoutedMessageLog, Pick<RoutingStore, 'getMessage' | 'putReply' | 'markRouted' | 'updateRoutingCounts' | 'unroute'> {
  async putInboundMessage(message: InboundMessage): Promise<PutMessageResult> {
    const item = inboundMessageItem(message);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { created: true };
    } catch (err) {
      if (isConditionFailure(err)) {
        const old = await this.getRaw(message.messageId);
        if (old) return { created: false, existing: toMessage(old) };
      }
      return translate(err, 'store the message');
    }
  }

  async getMessage(messageId: string): Promise<StoredMessage | undefined> {
    const item = await this.getRaw(messageId);
    return item ? toMessage(item) : undefined;
  }

  /**
   * Touches a message still waiting to be routed (`retriedAt`), so the crm table's stream carries
   * it to classify again (a MODIFY record that passes classify's filter). A routed message is left alone.
   */
  async touchPendingMessage(messageId: string, at: string): Promise<void> {
    await this.crm.updateIf(
      {
        Key: keys.message(messageId),
        UpdateExpression: 'SET retriedAt = :at',
        ConditionExpression: '#st = :received',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':at': at, ':received': 'received' },
      },
      'retry the message',
    );
  }

  private getRaw(messageId: string): Promise<Record<string, unknown> | undefined> {
    return this.crm.get(keys.message(messageId), 'read the message');
  }

  /** A channel thread's messages: those of every ticket it has had, in order (crm-threads.ts). */
  async listThreadMessages(channel: Channel, threadKey: string, opts: { limit: number; cursor?: string }): Promise<Page<StoredMessage>> {
    return messagesPage(this.crm, await threadMessageIds(this.crm, channel, threadKey), opts);
  }

  async putReply(reply: OutboundReply, on: { ticketId: string; customerId: string; routedAt: string }): Promise<void> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.table, Item: outboundMessageItem(reply, on), ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (err) {
      // Written by an earlier run of the same routing: it stays as it was.
      if (!isConditionFailure(err)) translate(err, 'write the auto-reply');
    }
  }

  async markRouted(m: RoutedMessage): Promise<boolean> {
    const update = {
      TableName: this.table,
      Key: keys.message(m.messageId),
      UpdateExpression: `SET #st = :routed, ticketId = :t, customerId = :c, classification = :cl, priority = :pr, routedAt = :ra, counts = :n${m.suggestions ? ', suggestions = :sg' : ''}`,
      ConditionExpression: '#st = :received',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: {
        ':routed': 'routed',
        ':received': 'received',
        ':t': m.ticketId,
        ':c': m.customerId,
        ':cl': m.classification,
        ':pr': storedPriority(m.priority, m.classification),
        ':ra': m.routedAt,
        ':n': m.counts,
        ...(m.suggestions ? { ':sg': m.suggestions } : {}),
      },
    };
    try {
      // A late message's counters and sample go with it, atomically (the rollup may have closed its hour).
      if (m.directCounters || m.textSample) {
        const sample = m.textSample ? [{ Put: this.textSamplePut(m.textSample) }] : [];
        await this.doc.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, ...(m.directCounters ?? []).flatMap((c) => reportingWrites(this.reportingTable, c)), ...sample] as never }));
      } else await this.doc.send(new UpdateCommand(update));
      return true;
    } catch (err) {
      if (isConditionFailure(err) || failedConditions(err)?.includes(0)) return false;
      return translate(err, 'record the routing');
    }
  }

  async unroute(messageId: string, ticketId: string, replyId?: string): Promise<void> {
    const onTicket = { ConditionExpression: 'ticketId = :t', ExpressionAttributeValues: { ':t': ticketId } };
    try {
      if (replyId) await this.doc.send(new DeleteCommand({ TableName: this.table, Key: keys.message(replyId), ...onTicket }));
    } catch (err) {
      if (!isConditionFailure(err)) translate(err, 'take back the auto-reply');
    }
    await this.crm.updateIf(
      {
        Key: keys.message(messageId),
        UpdateExpression: 'SET #st = :received REMOVE ticketId, customerId, classification, priority, routedAt, counts, suggestions',
        ConditionExpression: '#st = :routed AND ticketId = :t',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':t': ticketId, ':routed': 'routed', ':received': 'received' },
      },
      'take back the routing',
    );
  }

  async updateRoutingCounts(messageId: string, counts: RoutingCounts): Promise<void> {
    await this.crm.updateIf({ Key: keys.message(messageId), UpdateExpression: 'SET counts = :n', ConditionExpression: 'attribute_exists(counts)', ExpressionAttributeValues: { ':n': counts } }, 'correct the routing counts');
  }

  private textSamplePut(sample: TextSample) {
    if (!this.reportingTable) throw new Error('A text sample was given but the store has no reporting table (REPORTING_TABLE binding missing)');
    const { day, shard, sort, item } = textSampleItem(sample);
    return { TableName: this.reportingTable, Item: { pk: reportingKeys.textSamples(day, shard), sk: sort, type: 'text-sample', ...item } };
  }

  /**
   * Messages received before `before` and not routed: read from the received-hour lists from the
   * sweeper's watermark on, which then moves up to the oldest message still waiting.
   */
  async listPendingMessages(before: Date, limit: number): Promise<Array<{ message: InboundMessage; sweepCount: number }>> {
    const state = await this.crm.get(keys.sweepState, 'read the sweeper state');
    const to = before.toISOString();
    // From the watermark, but never more than SWEEP_MAX_LOOKBACK_MS back: older ones are an operator's.
    const oldest = new Date(before.getTime() - SWEEP_MAX_LOOKBACK_MS).toISOString();
    const from = typeof state?.watermark === 'string' && state.watermark < to ? (state.watermark > oldest ? state.watermark : oldest) : new Date(before.getTime() - SWEEP_FIRST_LOOKBACK_MS).toISOString();
    const pending: Item[] = [];
    // Eventually consistent: a stale 'received' lists a routed message, whose markSwept then writes nothing (its condition).
    for await (const items of this.received(from, to, false)) pending.push(...items.filter((i) => i.status === 'received' && !i.stuck));
    pending.sort((a, b) => String(a.receivedAt).localeCompare(String(b.receivedAt)));
    // Next time, start at the oldest message still waiting (or where this sweep ended).
    const watermark = pending[0] ? String(pending[0].receivedAt) : to;
    if (watermark !== from) await this.crm.put({ ...keys.sweepState, type: 'sweep-state', watermark }, 'move the sweeper watermark');
    return pending.slice(0, limit).map((item) => ({ message: toInboundMessage(item), sweepCount: Number(item.sweepCount ?? 0) }));
  }

  /** Routed inbound messages received in [from, to), with what they count and their text sample, a page at a time. */
  async forEachCounted(from: string, to: string, fn: (m: CountedMessage) => void): Promise<void> {
    for await (const items of this.received(from, to, false)) {
      for (const i of items) {
        const counts = i.counts as RoutingCounts | undefined;
        if (i.status !== 'routed' || !counts) continue;
        const message = toMessage(i);
        fn({ messageId: message.messageId, channel: message.channel, receivedAt: message.receivedAt, counts, sample: textSampleOf(message, message.classification) });
      }
    }
  }

  /** The message items received in [from, to): keys from the received-day lists (KEYS_ONLY), then the items, a page at a time. */
  private async *received(from: string, to: string, consistent: boolean): AsyncGenerator<Item[]> {
    // [from, to) as an inclusive range: the sort key is the receipt time, to the millisecond.
    const through = new Date(Date.parse(to) - 1).toISOString();
    for (const day of daysBetween(from.slice(0, 10), through.slice(0, 10))) {
      for (let shard = 0; shard < RECEIVED_SHARDS; shard++) {
        let cursor: string | undefined;
        do {
          const page = await this.crm.page({ index: 'gsi2', pk: keys.received(day, shard), from, through, limit: RECEIVED_PAGE, ...(cursor ? { cursor } : {}) }, 'list received messages');
          if (page.items.length) yield await this.crm.batchGet(page.items.map((i) => ({ pk: String(i.pk), sk: String(i.sk) })), 'read received messages', consistent);
          cursor = page.next;
        } while (cursor);
      }
    }
  }

  markSwept(messageId: string): Promise<void> {
    return this.updatePending(messageId, 'ADD sweepCount :v', 1);
  }

  /** Leaves the message to an operator: off the sweeper's list, on the `STUCK` work list. */
  markStuck(messageId: string): Promise<void> {
    return this.updatePending(messageId, 'SET stuck = :v, gsi3pk = :stuck, gsi3sk = receivedAt', true);
  }

  /** Updates a message only while it is still unrouted. */
  private async updatePending(messageId: string, expression: string, value: unknown): Promise<void> {
    await this.crm.updateIf(
      {
        Key: keys.message(messageId),
        UpdateExpression: expression,
        ConditionExpression: '#st = :received',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':v': value, ':received': 'received', ...(expression.includes(':stuck') ? { ':stuck': keys.stuck } : {}) },
      },
      'update the pending message',
    );
  }

}

/** The sweeper's first run looks this far back (later runs start at their watermark). */
const SWEEP_FIRST_LOOKBACK_MS = 24 * 3_600_000;
const SWEEP_MAX_LOOKBACK_MS = 2 * 24 * 3_600_000;
/** Keys per received-list page (one BatchGetItem). */
const RECEIVED_PAGE = 100;
