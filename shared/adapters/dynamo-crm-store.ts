import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors';
import type { TicketRating } from '../tickets/rate-ticket';
import type { LabelledExample, TicketUpdatePlan } from '../tickets/update-ticket';
import type { CounterIncrement } from '../analytics/counters';
import type { Channel, InboundMessage } from '../domain/message';
import type { Customer, StoredMessage, Ticket, TicketStatus } from '../domain/ticket';
import type { CrmStore, OutboundReply, Page, PutMessageResult, RoutedMessage } from '../ports/crm-store';
import { keys, QUEUED_STATUSES, RECEIVED_SHARDS, timeKey } from './crm-keys';
import { CrmTable, type Item, type PageQuery } from './crm-table';
import { shardOf } from '../analytics/counters';
import type { CountedMessage, RoutedMessageLog, RoutingCounts } from '../analytics/routing-counts';
import { daysBetween } from '../lib/days';
import type { TextSample } from '../analytics/text-samples';
import { createDocumentClient } from './dynamo-client';
import { failedConditions, isConditionFailure, translate } from './dynamo-errors';
import { outboundMessageItem, toCustomer, toMessage, toTicket, ticketItem } from './crm-items';
import { textSampleItem } from '../analytics/text-samples';
import { counterUpdates, reportingKeys } from './reporting-keys';
import type { CustomerTier, CustomerTierFacts, ModelTier } from '../customers/customer-tier';
import type { CustomerTierChange, ShopCustomerLink } from '../customers/update-customer';
import { CustomerTierTable } from './dynamo-customer-tier';

/** How long a ticket change's client request id is remembered (retries come within minutes). */
const REQUEST_MEMORY_SECONDS = 2 * 86_400;


/** The crm single table behind the CrmStore port. Layout: see crm-keys.ts. */
export class DynamoCrmStore implements CrmStore, RoutedMessageLog {
  private readonly doc: DynamoDBDocumentClient;
  private readonly table: string;
  private readonly reportingTable: string | undefined;
  /** `reportingTableName`: where routing's counters go (needed only by writers that count). */
  private readonly crm: CrmTable;
  constructor(opts: { tableName: string; reportingTableName?: string; client?: DynamoDBDocumentClient }) {
    this.doc = opts.client ?? createDocumentClient();
    this.table = opts.tableName;
    this.reportingTable = opts.reportingTableName;
    this.crm = new CrmTable(this.table, this.doc);
  }

  /** The text sample (need analysis) that rides along the routing transaction. */
  /** The counter updates that ride along a transaction (none when nothing is counted). */
  private counterWrites(counters: CounterIncrement | undefined): object[] {
    if (!counters) return [];
    if (!this.reportingTable) throw new Error('Counters were given but the store has no reporting table (REPORTING_TABLE binding missing)');
    return counterUpdates(this.reportingTable, counters);
  }

  async putInboundMessage(message: InboundMessage): Promise<PutMessageResult> {
    const item = {
      ...keys.message(message.messageId),
      type: 'message',
      direction: 'inbound',
      status: 'received',
      ...message,
      // By the hour received, for the sweeper and the rollup; in the thread (gsi1) once routed.
      gsi2pk: keys.received(message.receivedAt.slice(0, 10), shardOf(message.messageId) % RECEIVED_SHARDS),
      gsi2sk: timeKey(message.receivedAt, message.messageId),
    };
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

  private async getRaw(messageId: string): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.message(messageId), ConsistentRead: true }));
      return out.Item;
    } catch (err) {
      return translate(err, 'read the message');
    }
  }

  listThreadMessages(channel: Channel, threadKey: string, opts: { limit: number; cursor?: string }): Promise<Page<StoredMessage>> {
    return this.queryPage('gsi1', keys.thread(channel, threadKey), opts, toMessage);
  }

  async findIdentities(identities: Array<{ channel: Channel; address: string }>): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    if (identities.length === 0) return found;
    try {
      const out = await this.doc.send(
        new BatchGetCommand({
          RequestItems: {
            [this.table]: { Keys: identities.map((i) => keys.identity(i.channel, i.address)), ConsistentRead: true },
          },
        }),
      );
      for (const item of out.Responses?.[this.table] ?? []) {
        found.set(`${item.channel}#${item.address}`, String(item.customerId));
      }
      // A handful of small keys never comes back unprocessed short of throttling; retry is the queue's job.
      if (Object.keys(out.UnprocessedKeys ?? {}).length) throw new Error('identity lookup throttled');
    } catch (err) {
      translate(err, 'look up identities');
    }
    return found;
  }

  async linkIdentities(
    customer: Pick<Customer, 'customerId' | 'name' | 'email'>,
    identities: Array<{ channel: Channel; address: string }>,
    now: Date,
  ): Promise<Map<string, string>> {
    const at = now.toISOString();
    const names: Record<string, string> = { '#u': 'updatedAt', '#c': 'createdAt', '#t': 'type', '#id': 'customerId' };
    const values: Record<string, unknown> = { ':now': at, ':t': 'customer', ':id': customer.customerId, ':ids': identities };
    let set = '#u = :now, #c = if_not_exists(#c, :now), #t = :t, #id = :id';
    if (customer.name) (set += ', #n = :n'), (names['#n'] = 'name'), (values[':n'] = customer.name);
    if (customer.email) (set += ', #e = if_not_exists(#e, :e)'), (names['#e'] = 'email'), (values[':e'] = customer.email);
    set += ', identities = list_append(if_not_exists(identities, :empty), :ids)';
    values[':empty'] = [];
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            ...identities.map((i) => ({
              Put: {
                TableName: this.table,
                Item: { ...keys.identity(i.channel, i.address), type: 'identity', ...i, customerId: customer.customerId, createdAt: at },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            })),
            {
              Update: {
                TableName: this.table,
                Key: keys.customer(customer.customerId),
                UpdateExpression: `SET ${set}`,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
          ],
        }),
      );
      return new Map();
    } catch (err) {
      const failed = failedConditions(err);
      if (!failed?.length) return translate(err, 'link identities');
      // Another writer linked some of these first: report who owns them.
      const taken = failed.flatMap((i) => (identities[i] ? [identities[i]] : []));
      return this.findIdentities(taken);
    }
  }

  async getCustomer(customerId: string): Promise<Customer | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.customer(customerId) }));
      return out.Item ? toCustomer(out.Item) : undefined;
    } catch (err) {
      return translate(err, 'read the customer');
    }
  }

  async findOpenTicket(channel: Channel, threadKey: string): Promise<Ticket | undefined> {
    const thread = await this.findThreadTicket(channel, threadKey);
    return thread?.ticket;
  }

  async findThreadTicket(channel: Channel, threadKey: string): Promise<{ ticketId: string; openedBy?: string; ticket?: Ticket } | undefined> {
    const pointer = await this.crm.get(keys.openTicket(channel, threadKey), 'find the open ticket');
    if (!pointer) return undefined;
    const ticketId = String(pointer.ticketId);
    const ticket = await this.getTicket(ticketId);
    // A closed ticket frees its thread (its pointer is deleted with the close); one left behind is ignored.
    if (ticket?.status === 'closed') return undefined;
    return { ticketId, ...(pointer.openedBy ? { openedBy: String(pointer.openedBy) } : {}), ...(ticket ? { ticket } : {}) };
  }

  async claimThread(channel: Channel, threadKey: string, ticketId: string, openedBy: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.openTicket(channel, threadKey), type: 'open-ticket', ticketId, openedBy },
          // Free, or held by a closed ticket whose close did not get to delete it.
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      return translate(err, 'claim the thread');
    }
  }

  async putTicket(ticket: Ticket, previousUpdatedAt?: string): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: ticketItem(ticket),
          // New: not there yet. Otherwise as read (agents write it too; every write moves updatedAt on).
          ConditionExpression: previousUpdatedAt === undefined ? 'attribute_not_exists(pk)' : 'updatedAt = :prev',
          ...(previousUpdatedAt === undefined ? {} : { ExpressionAttributeValues: { ':prev': previousUpdatedAt } }),
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      return translate(err, 'write the ticket');
    }
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
    // The sample first: a Put under the message's own key, so a rerun writes the same item.
    if (m.textSample) await this.putTextSample(m.textSample);
    const update = {
      TableName: this.table,
      Key: keys.message(m.messageId),
      UpdateExpression: `SET #st = :routed, ticketId = :t, customerId = :c, classification = :cl, priority = :pr, routedAt = :ra, counts = :n, gsi1pk = :g1, gsi1sk = :g1s${m.suggestions ? ', suggestions = :sg' : ''}`,
      ConditionExpression: '#st = :received',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: {
        ':routed': 'routed',
        ':received': 'received',
        ':t': m.ticketId,
        ':c': m.customerId,
        ':cl': m.classification,
        ':pr': m.priority,
        ':ra': m.routedAt,
        ':n': m.counts,
        ':g1': keys.thread(m.channel, m.threadKey),
        ':g1s': timeKey(m.receivedAt, m.messageId),
        ...(m.suggestions ? { ':sg': m.suggestions } : {}),
      },
    };
    try {
      // A late message's counters go with it, atomically (the rollup may have closed its hour).
      if (m.directCounters) await this.doc.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, ...m.directCounters.flatMap((c) => this.counterWrites(c))] as never }));
      else await this.doc.send(new UpdateCommand(update));
      return true;
    } catch (err) {
      if (isConditionFailure(err) || failedConditions(err)?.includes(0)) return false;
      return translate(err, 'record the routing');
    }
  }

  async updateRoutingCounts(messageId: string, counts: RoutingCounts): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({ TableName: this.table, Key: keys.message(messageId), UpdateExpression: 'SET counts = :n', ConditionExpression: 'attribute_exists(counts)', ExpressionAttributeValues: { ':n': counts } }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) translate(err, 'correct the routing counts');
    }
  }

  private async putTextSample(sample: TextSample): Promise<void> {
    if (!this.reportingTable) throw new Error('A text sample was given but the store has no reporting table (REPORTING_TABLE binding missing)');
    const { day, shard, sort, item } = textSampleItem(sample);
    try {
      await this.doc.send(new PutCommand({ TableName: this.reportingTable, Item: { pk: reportingKeys.textSamples(day, shard), sk: sort, type: 'text-sample', ...item } }));
    } catch (err) {
      translate(err, 'store the text sample');
    }
  }

  async replyToTicket(previous: Ticket, plan: { ticket: Ticket; reply: OutboundReply; counters: CounterIncrement }): Promise<'applied' | 'replayed'> {
    const item = outboundMessageItem(plan.reply, { ticketId: plan.ticket.ticketId, customerId: plan.ticket.customerId, routedAt: plan.reply.sentAt });
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            // As in applyTicketUpdate: the ticket is as the agent read it (routing writes it too).
            { Put: { TableName: this.table, Item: ticketItem(plan.ticket), ConditionExpression: 'updatedAt = :prev', ExpressionAttributeValues: { ':prev': previous.updatedAt } } },
            { Put: { TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
            ...this.counterWrites(plan.counters),
          ] as never,
        }),
      );
      return 'applied';
    } catch (err) {
      const failed = failedConditions(err);
      // The reply's id comes from the client's reply id: it exists, so this is a retry of a posted reply.
      if (failed?.includes(1)) return 'replayed';
      if (failed?.length) throw new ConflictError('The ticket changed since it was read; read it again and retry.');
      return translate(err, 'reply to the ticket');
    }
  }


  async applyTicketUpdate(previous: Ticket, plan: TicketUpdatePlan): Promise<'applied' | 'replayed'> {
    const t = plan.ticket;
    const writes: object[] = [
      {
        Put: {
          TableName: this.table,
          Item: ticketItem(t),
          // Optimistic concurrency: the ticket is as the caller read it (routing also writes it).
          ConditionExpression: 'updatedAt = :prev',
          ExpressionAttributeValues: { ':prev': previous.updatedAt },
        },
      },
    ];
    if (t.status === 'closed' && previous.status !== 'closed') {
      // Closed is final: free the thread, so the customer's next message opens a new ticket.
      writes.push({
        Delete: {
          TableName: this.table,
          Key: keys.openTicket(t.channel, t.threadKey),
          ConditionExpression: 'attribute_not_exists(pk) OR ticketId = :id',
          ExpressionAttributeValues: { ':id': t.ticketId },
        },
      });
    }
    if (plan.label) {
      const l = plan.label;
      writes.push({
        Put: { TableName: this.table, Item: { ...keys.label(l.ticketId), type: 'label', ...l, gsi1pk: keys.labels, gsi1sk: timeKey(l.correctedAt, l.ticketId) } },
      });
    }
    // Second, so its index is known: a retry of the same request fails here and writes nothing.
    if (plan.clientRequestId) {
      const expiresAt = Math.floor(Date.parse(t.updatedAt) / 1000) + REQUEST_MEMORY_SECONDS;
      writes.splice(1, 0, { Put: { TableName: this.table, Item: { ...keys.ticketRequest(t.ticketId, plan.clientRequestId), type: 'ticket-request', expiresAt }, ConditionExpression: 'attribute_not_exists(pk)' } });
    }
    writes.push(...this.counterWrites(plan.counters), ...this.counterWrites(plan.correction));
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: writes as never }));
      return 'applied';
    } catch (err) {
      const failed = failedConditions(err);
      if (plan.clientRequestId && failed?.includes(1)) return 'replayed';
      if (failed?.length) throw new ConflictError('The ticket changed since it was read; read it again and retry.');
      return translate(err, 'update the ticket');
    }
  }

  async rateTicket(ticket: Ticket, rating: TicketRating, counters: CounterIncrement): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.table,
                Key: keys.ticket(ticket.ticketId),
                UpdateExpression: 'SET rating = :r',
                // Once: a second rating would count twice in every rating KPI.
                ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(rating)',
                ExpressionAttributeValues: { ':r': rating },
              },
            },
            ...this.counterWrites(counters),
          ] as never,
        }),
      );
    } catch (err) {
      if (failedConditions(err)?.length) throw new ConflictError('This ticket is already rated; a ticket takes one rating.');
      translate(err, 'rate the ticket');
    }
  }

  async listLabelledExamples(opts: { limit: number; cursor?: string }): Promise<Page<LabelledExample>> {
    return this.queryPage('gsi1', keys.labels, opts, (item) => {
      const { pk, sk, type, gsi1pk, gsi1sk, ...rest } = item;
      return rest as unknown as LabelledExample;
    });
  }

  async getTicket(ticketId: string): Promise<Ticket | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.ticket(ticketId), ConsistentRead: true }));
      return out.Item ? toTicket(out.Item) : undefined;
    } catch (err) {
      return translate(err, 'read the ticket');
    }
  }

  /** A ticket's messages: its thread's, filtered by ticket (a thread's successive tickets share it). */
  async listTicketMessages(ticketId: string, opts: { limit: number; cursor?: string }): Promise<Page<StoredMessage>> {
    const ticket = await this.getTicket(ticketId);
    if (!ticket) return { items: [] };
    const page = await this.crm.page({ index: 'gsi1', pk: keys.thread(ticket.channel, ticket.threadKey), equals: { ticketId }, ...opts }, 'list the ticket messages');
    return { items: page.items.map(toMessage), ...(page.next ? { next: page.next } : {}) };
  }

  /** Open and pending: in queue order; solved and closed: newest activity first. */
  async listTickets(status: TicketStatus, opts: { limit: number; cursor?: string }): Promise<Page<Ticket>> {
    const queued = QUEUED_STATUSES.has(status);
    return this.ticketPage({ index: 'gsi3', pk: queued ? keys.queue : keys.ticketsByStatus(status), forward: queued, ...(queued ? { equals: { status } } : {}), ...opts });
  }

  listQueue(opts: { limit: number; cursor?: string }): Promise<Page<Ticket>> {
    return this.ticketPage({ index: 'gsi3', pk: keys.queue, ...opts });
  }

  /** The work index holds a ticket's keys and list fields only: the page's tickets are read by key, in index order. */
  private async ticketPage(q: PageQuery): Promise<Page<Ticket>> {
    const page = await this.crm.page(q, 'list tickets');
    const full = await this.crm.batchGet(page.items.map((i) => ({ pk: String(i.pk), sk: String(i.sk) })), 'read the listed tickets');
    const byPk = new Map(full.map((i) => [String(i.pk), i]));
    const items = page.items.flatMap((i) => {
      const t = byPk.get(String(i.pk));
      return t ? [toTicket(t)] : [];
    });
    return { items, ...(page.next ? { next: page.next } : {}) };
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
    for await (const items of this.received(from, to, true)) pending.push(...items.filter((i) => i.status === 'received' && !i.stuck));
    pending.sort((a, b) => String(a.receivedAt).localeCompare(String(b.receivedAt)));
    // Next time, start at the oldest message still waiting (or where this sweep ended).
    const watermark = pending[0] ? String(pending[0].receivedAt) : to;
    if (watermark !== from) await this.crm.put({ ...keys.sweepState, type: 'sweep-state', watermark }, 'move the sweeper watermark');
    return pending.slice(0, limit).map((item) => ({ message: toInboundMessage(item), sweepCount: Number(item.sweepCount ?? 0) }));
  }

  /** Routed inbound messages received in [from, to), with what they count, a page at a time. */
  async forEachCounted(from: string, to: string, fn: (m: CountedMessage) => void): Promise<void> {
    for await (const items of this.received(from, to, false)) {
      for (const i of items) {
        const counts = i.counts as RoutingCounts | undefined;
        if (i.status === 'routed' && counts) fn({ messageId: String(i.messageId), channel: i.channel as Channel, receivedAt: String(i.receivedAt), counts });
      }
    }
  }

  /** The message items received in [from, to): keys from the received-day lists (KEYS_ONLY), then the items, a page at a time. */
  private async *received(from: string, to: string, consistent: boolean): AsyncGenerator<Item[]> {
    for (const day of daysBetween(from.slice(0, 10), to.slice(0, 10))) {
      for (let shard = 0; shard < RECEIVED_SHARDS; shard++) {
        let cursor: string | undefined;
        do {
          const page = await this.crm.page({ index: 'gsi2', pk: keys.received(day, shard), from, before: to, limit: RECEIVED_PAGE, ...(cursor ? { cursor } : {}) }, 'list received messages');
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

  // ---- Customer tier and shop-customer link: items and writes in dynamo-customer-tier.ts ----
  private tierTable?: CustomerTierTable;
  private get tiers(): CustomerTierTable {
    return (this.tierTable ??= new CustomerTierTable(this.doc, this.table));
  }
  getCustomerTier(customerId: string): Promise<CustomerTier | undefined> {
    return this.tiers.getTier(customerId);
  }
  getCustomerWithTier(customerId: string): Promise<{ customer: Customer; tier: CustomerTierFacts } | undefined> {
    return this.tiers.getWithTier(customerId);
  }
  updateCustomerTier(change: CustomerTierChange): Promise<void> {
    return this.tiers.update(change);
  }
  listShopCustomerLinks(opts: { limit: number; cursor?: string }): Promise<Page<ShopCustomerLink>> {
    return this.tiers.listLinks(opts);
  }
  setModelTier(link: ShopCustomerLink, modelTier: ModelTier): Promise<boolean> {
    return this.tiers.setModelTier(link, modelTier);
  }
  // ---- end customer tier ----

  /** Updates a message only while it is still unrouted. */
  private async updatePending(messageId: string, expression: string, value: unknown): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.message(messageId),
          UpdateExpression: expression,
          ConditionExpression: '#st = :received',
          ExpressionAttributeNames: { '#st': 'status' },
          ExpressionAttributeValues: { ':v': value, ':received': 'received', ...(expression.includes(':stuck') ? { ':stuck': keys.stuck } : {}) },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) translate(err, 'update the pending message');
    }
  }

  private async queryPage<T>(index: 'gsi1', pk: string, opts: { limit: number; cursor?: string }, map: (item: Item) => T): Promise<Page<T>> {
    const page = await this.crm.page({ index, pk, ...opts }, 'query');
    return { items: page.items.map(map), ...(page.next ? { next: page.next } : {}) };
  }
}

/** The sweeper's first run looks this far back (later runs start at their watermark). */
const SWEEP_FIRST_LOOKBACK_MS = 24 * 3_600_000;
const SWEEP_MAX_LOOKBACK_MS = 2 * 24 * 3_600_000;
/** Keys per received-list page (one BatchGetItem). */
const RECEIVED_PAGE = 100;

function toInboundMessage(item: Record<string, unknown>): InboundMessage {
  const { pk, sk, type, direction, status, gsi1pk, gsi1sk, gsi2pk, gsi2sk, gsi3pk, gsi3sk, sweepCount, stuck, ...rest } = item;
  return rest as unknown as InboundMessage;
}
